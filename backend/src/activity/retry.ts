import { retryFailed } from '../call-logging/state-machine.ts';
import { callSyncJob } from '../call-logging/sync-job-spec.ts';
import type { AppContext } from '../platform/context.ts';
import { recordActivity } from './record.ts';

/**
 * Failed calls back to pending through the call's state machine, noted in the activity log, and
 * the portal's sync job queued, all in one transaction. `callIds` undefined: every failed call.
 */
export async function retryCalls(
  ctx: AppContext,
  installationId: string,
  userId: number | null,
  callIds: string[] | undefined,
): Promise<string[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const retried = await retryFailed(trx, installationId, callIds ? { callIds } : {});
    if (retried.length === 0) return retried;
    await recordActivity(
      trx,
      installationId,
      retried.map((callId) => ({
        callId,
        level: 'info' as const,
        step: 'retry_requested',
        message: 'Retry requested from the settings page.',
        details: { userId },
      })),
    );
    await ctx.queue.send(callSyncJob, { installationId }, { trx, singletonKey: installationId });
    return retried;
  });
}
