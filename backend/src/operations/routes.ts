import { Router } from 'express';
import type { AppContext } from '../platform/context.ts';
import { pendingMigrations } from '../platform/db/migrator.ts';
import { sql } from 'kysely';

/** Operator endpoints: no tenant data, no auth. */
export function operationsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(ctx.db);
      const pending = await pendingMigrations(ctx.db);
      if (pending.length > 0) {
        res.status(503).json({ status: 'not_ready', reason: 'migrations pending', pending });
        return;
      }
      res.json({ status: 'ready', database: ctx.database.kind });
    } catch (error) {
      ctx.logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'not_ready', reason: 'database unreachable' });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  return router;
}
