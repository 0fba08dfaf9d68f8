import type { AppContext } from '../platform/context.ts';
import type { OperationKind, SyncOperation } from './contact-sync.table.ts';
import { contactSyncError } from './errors.ts';
import { operationJob } from './job-specs.ts';

const label = (kind: OperationKind) => (kind === 'pull_contacts' ? 'pull' : 'push');

const alreadyRunning = (kind: OperationKind) =>
  contactSyncError(
    'operation_running',
    `A contact ${label(kind)} is already running for this portal. Cancel it or wait for it to finish.`,
  );

/** PostgreSQL's unique_violation: here, the partial unique index of one active operation per kind. */
const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

/**
 * Starts a pull or push, or resumes the last run of that kind when it failed (it goes on from its
 * cursor, so contacts already done are not sent again). The database allows one queued or running
 * operation per portal and kind (a partial unique index): a second request, even at the same
 * instant, is refused with `operation_running`. The job is queued in the same transaction.
 */
export async function startOrResumeOperation(
  ctx: AppContext,
  installationId: string,
  kind: OperationKind,
  userId: number | null,
): Promise<{ operation: SyncOperation; resumed: boolean }> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('sync_operations')
        .selectAll()
        .where('installation_id', '=', installationId)
        .where('kind', '=', kind)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (last && (last.status === 'queued' || last.status === 'running')) throw alreadyRunning(kind);
      const resumed = last?.status === 'failed';
      const operation = resumed
        ? await trx
            .updateTable('sync_operations')
            .set({ status: 'queued', finished_at: null, last_error: null, updated_at: new Date() })
            .where('installation_id', '=', installationId)
            .where('id', '=', last.id)
            .where('status', '=', 'failed')
            .returningAll()
            .executeTakeFirst()
        : await trx
            .insertInto('sync_operations')
            .values({
              installation_id: installationId,
              kind,
              status: 'queued',
              total: null,
              requested_by: userId,
              cursor: null,
              in_flight: null,
              last_error: null,
              finished_at: null,
            })
            .returningAll()
            .executeTakeFirst();
      if (!operation) throw alreadyRunning(kind); // resumed by a request at the same time
      await ctx.queue.send(
        operationJob,
        { installationId, operationId: operation.id },
        { trx, singletonKey: operation.id },
      );
      return { operation, resumed };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyRunning(kind);
    throw error;
  }
}
