import { Router } from 'express';
import { z } from 'zod';
import { findConnection } from '../dialer-connection/repository.ts';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import type { OperationKind } from './contact-sync.table.ts';
import { contactSyncError } from './errors.ts';
import {
  findOperation,
  lastRuns,
  recentOperations,
  setStatus,
  toView,
  unfinishedOperation,
} from './operations.ts';
import { startOrResumeOperation } from './operation-start.ts';
import { getContactSyncSettings } from './settings.ts';

const startBody = z.object({ kind: z.enum(['pull_contacts', 'push_contacts']) }).strict();

/**
 * `/api/sync/operations`: one-time pull and push, with progress, last-run times and cancel. Starting
 * a kind whose last run failed resumes that run (`resumed: true`).
 */
export function operationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/api/sync/operations', async (req, res) => {
    const { installation } = trusted(req);
    const operations = await recentOperations(ctx.db, installation.id);
    res.json({ operations: operations.map(toView), lastRuns: await lastRuns(ctx.db, installation.id) });
  });

  router.post('/api/sync/operations', requireSuperAdmin(ctx), async (req, res) => {
    const body = startBody.safeParse(req.body);
    if (!body.success)
      throw contactSyncError(
        'invalid_request',
        'Send {"kind": "pull_contacts"} or {"kind": "push_contacts"}.',
      );
    const { installation, userId } = trusted(req);
    const repeated = await repeatedStart(ctx, installation.id, body.data.kind, userId);
    if (repeated) return res.status(202).json({ operation: toView(repeated) });
    await checkAllowed(ctx, installation.id, body.data.kind);
    const started = await startOrResumeOperation(ctx, installation.id, body.data.kind, userId).catch(
      async (error: unknown) => {
        // The same start sent twice at once (a double click, a replay racing the first): the
        // database let one through; the other gets that one. Anyone else's start is refused.
        const winner = await repeatedStart(ctx, installation.id, body.data.kind, userId);
        if (winner && (error as { code?: unknown }).code === 'operation_running')
          return { operation: winner, resumed: undefined };
        throw error;
      },
    );
    res.status(202).json({ operation: toView(started.operation), resumed: started.resumed });
  });

  router.post('/api/sync/operations/:operationId/cancel', requireSuperAdmin(ctx), async (req, res) => {
    const { installation } = trusted(req);
    const id = String(req.params.operationId);
    const op = z.string().uuid().safeParse(id).success
      ? await findOperation(ctx.db, installation.id, id)
      : undefined;
    if (!op) throw contactSyncError('operation_not_found', 'No such operation.');
    await setStatus(ctx.db, installation.id, id, 'cancelled');
    res.json({ operation: toView((await findOperation(ctx.db, installation.id, id))!) });
  });
  return router;
}

/** HubSpot replays a hubspot.fetch request answered with a 5xx: a start repeated moments ago. */
const REPEAT_WINDOW_MS = 60_000;

/** The operation this user started moments ago and that is not finished: a repeat returns it. */
async function repeatedStart(
  ctx: AppContext,
  installationId: string,
  kind: OperationKind,
  userId: number | null,
) {
  const unfinished = await unfinishedOperation(ctx.db, installationId, kind);
  if (!unfinished || unfinished.requested_by !== userId) return undefined;
  return ctx.now() - new Date(unfinished.started_at).getTime() < REPEAT_WINDOW_MS ? unfinished : undefined;
}

async function checkAllowed(ctx: AppContext, installationId: string, kind: OperationKind): Promise<void> {
  if (!(await findConnection(ctx.db, installationId)))
    throw contactSyncError('dialer_not_connected', 'Connect Dialer.io first.');
  const settings = await getContactSyncSettings(ctx.db, installationId);
  if (kind === 'pull_contacts' && settings.creation === 'off')
    throw contactSyncError(
      'operation_not_allowed',
      'Contact creation is off in the sync settings: a pull would create Dialer.io contacts.',
    );
  if (kind === 'push_contacts' && settings.updates !== 'both')
    throw contactSyncError(
      'operation_not_allowed',
      'Updates go from HubSpot to Dialer.io only in the sync settings: a push would write to HubSpot.',
    );
}
