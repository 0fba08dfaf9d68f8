import { Router, type Request } from 'express';
import { z } from 'zod';
import { HubSpotError } from '../hubspot/errors.ts';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError, UPSTREAM_FAILED } from '../platform/http-errors.ts';
import type { Installation } from './installation.table.ts';
import { uninstall } from './uninstall.ts';

const uninstallBody = z
  .object({ confirm: z.literal('UNINSTALL', { error: 'Type UNINSTALL to confirm.' }) })
  .strict();

/**
 * A replayed uninstall (HubSpot retries a request answered with a 5xx) reaches an installation
 * that is already uninstalled: it gets the answer the first one had (no token is left to check
 * the user with, and nothing is changed).
 */
export function uninstallReplayAnswer(req: Request, installation: Installation) {
  if (
    req.method !== 'DELETE' ||
    `${req.baseUrl}${req.path}` !== '/api/installation' ||
    !installation.purge_after
  )
    return undefined;
  if (!uninstallBody.safeParse(req.body ?? {}).success) return undefined;
  return { uninstalled: true, purgeAfter: new Date(installation.purge_after).toISOString() };
}

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
