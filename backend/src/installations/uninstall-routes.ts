import { Router } from 'express';
import { z } from 'zod';
import { HubSpotError } from '../hubspot/errors.ts';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError, UPSTREAM_FAILED } from '../platform/http-errors.ts';
import { uninstall } from './uninstall.ts';

const uninstallBody = z
  .object({ confirm: z.literal('UNINSTALL', { error: 'Type UNINSTALL to confirm.' }) })
  .strict();

/** `DELETE /api/installation {"confirm": "UNINSTALL"}`: "Disconnect and uninstall" (super admin). */
export function uninstallRoutes(ctx: AppContext): Router {
  const router = Router();
  router.delete('/api/installation', requireSuperAdmin(ctx), async (req, res) => {
    const body = uninstallBody.safeParse(req.body ?? {});
    if (!body.success)
      throw new HttpError(400, 'confirmation_required', body.error.issues[0]?.message ?? 'Type UNINSTALL.');
    try {
      const { purgeAfter } = await uninstall(ctx, trusted(req).installation, 'settings_page');
      res.json({ uninstalled: true, purgeAfter: purgeAfter.toISOString() });
    } catch (error) {
      if (!(error instanceof HubSpotError)) throw error;
      throw new HttpError(
        UPSTREAM_FAILED,
        'hubspot_unavailable',
        'HubSpot did not confirm the uninstall, so nothing was changed. Try again in a few minutes.',
      );
    }
  });
  return router;
}
