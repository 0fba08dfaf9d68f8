import { Router } from 'express';
import { z } from 'zod';
import { recordActivity } from '../activity/record.ts';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError } from '../platform/http-errors.ts';
import { isDebugMode, setDebugMode } from './repository.ts';

const patchBody = z.object({ debugMode: z.boolean() }).strict();

export function settingsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/api/settings', async (req, res) => {
    res.json({ debugMode: await isDebugMode(ctx.db, trusted(req).installation.id) });
  });
  router.patch('/api/settings', requireSuperAdmin(ctx), async (req, res) => {
    const body = patchBody.safeParse(req.body);
    if (!body.success)
      throw new HttpError(400, 'invalid_request', 'Send {"debugMode": true} or {"debugMode": false}.');
    const { installation, userId } = trusted(req);
    await setDebugMode(ctx.db, installation.id, body.data.debugMode);
    await recordActivity(ctx.db, installation.id, [
      {
        level: 'info',
        step: 'settings_changed',
        message: body.data.debugMode
          ? 'Debug mode turned on: calls are processed but nothing is written to HubSpot.'
          : 'Debug mode turned off: calls are written to HubSpot again.',
        details: { userId },
      },
    ]);
    res.json({ debugMode: body.data.debugMode });
  });
  return router;
}
