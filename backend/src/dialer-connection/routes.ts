import { Router } from 'express';
import { z } from 'zod';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError } from '../platform/http-errors.ts';
import { connectDialer, disconnectDialer } from './connect.ts';
import { NO_HOOKS, type ConnectionHooks } from './hooks.ts';
import { setupChecklist } from './setup.ts';

const connectBody = z
  .object({ apiToken: z.string().trim().min(8, 'Paste the Dialer.io API token.').max(512) })
  .strict();

export function dialerConnectionRoutes(ctx: AppContext, hooks: ConnectionHooks = NO_HOOKS): Router {
  const router = Router();
  const superAdmin = requireSuperAdmin(ctx);

  router.post('/api/dialer/connection', superAdmin, async (req, res) => {
    const body = connectBody.safeParse(req.body);
    if (!body.success)
      throw new HttpError(400, 'invalid_request', body.error.issues[0]?.message ?? 'Invalid request.');
    const { installation, userId } = trusted(req);
    res.json({
      connected: true,
      ...(await connectDialer(ctx, installation, body.data.apiToken, userId, hooks)),
    });
  });

  router.delete('/api/dialer/connection', superAdmin, async (req, res) => {
    const disconnected = await disconnectDialer(ctx, trusted(req).installation);
    res.json({ connected: false, disconnected });
  });

  router.get('/api/setup', async (req, res) => {
    res.json(await setupChecklist(ctx, trusted(req).installation, hooks));
  });

  return router;
}
