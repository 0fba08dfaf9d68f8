import { Router } from 'express';
import { trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { successOverLastDay } from './request-stats.ts';

/** `GET /api/health`: the portal's own HubSpot API success rate over the last 24 hours. */
export function apiHealthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/api/health', async (req, res) => {
    await ctx.requestStats.flush();
    const last24h = await successOverLastDay(ctx.db, trusted(req).installation.id, ctx.now());
    res.json({ hubspot: { last24h } });
  });
  return router;
}
