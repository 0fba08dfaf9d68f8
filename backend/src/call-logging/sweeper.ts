import { recordActivity } from '../activity/record.ts';
import type { DialerCall } from '../dialer/index.ts';
import type { AppContext } from '../platform/context.ts';
import { activeInstallationIds, recurringJob } from '../platform/recurring-job.ts';
import { AUTO_RETRY_ATTEMPTS, releaseStaleWaiting, retryFailed } from './state-machine.ts';
import { callSyncJob } from './sync-job-spec.ts';

export const SWEEP_EVERY_SECONDS = 15 * 60;
/** A failed call is tried again by itself this long after it failed (then again, up to AUTO_RETRY_ATTEMPTS). */
export const FAILED_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * `calls.sweep`, every 15 minutes, for every active portal: calls `waiting` past the limit are
 * written with what is known and flagged; failed calls are tried again (their cause may have
 * cleared); a paused portal whose retry is overdue gets its job again. Nothing waits for a person.
 */
export function callSweep(ctx: AppContext) {
  return recurringJob(ctx, {
    name: 'calls.sweep',
    everySeconds: SWEEP_EVERY_SECONDS,
    async handle() {
      for (const id of await activeInstallationIds(ctx)) await sweepPortal(ctx, id);
    },
  });
}

export async function sweepPortal(ctx: AppContext, installationId: string): Promise<void> {
  const now = ctx.now();
  const stale = await releaseStaleWaiting(
    ctx.db,
    installationId,
    new Date(now - ctx.config.callSync.waitingLimitMs),
  );
  const retried = await retryFailed(ctx.db, installationId, {
    failedBefore: new Date(now - FAILED_RETRY_AFTER_MS),
    maxAttempts: AUTO_RETRY_ATTEMPTS,
  });
  const overdue = await ctx.db
    .selectFrom('call_sync_portals')
    .select('installation_id')
    .where('installation_id', '=', installationId)
    .where('paused_code', 'is not', null)
    .where('resume_at', '<', new Date(now - 60_000))
    .executeTakeFirst();
  await recordActivity(ctx.db, installationId, [
    ...stale.map(({ call_id, data }) => ({
      callId: call_id,
      level: 'warning' as const,
      step: 'call_incomplete',
      message: `Dialer.io sent no final event for this call within ${Math.round(ctx.config.callSync.waitingLimitMs / 60_000)} minutes: it is logged with what is known (${describe(data as DialerCall)}) and updated if the end still arrives.`,
    })),
    ...retried.map((callId) => ({
      callId,
      level: 'info' as const,
      step: 'retry_scheduled',
      message: 'Tried again by itself: the cause of the earlier failure may have cleared.',
    })),
  ]);
  if (stale.length || retried.length || overdue)
    await ctx.queue.send(callSyncJob, { installationId }, { singletonKey: installationId });
}

function describe(call: DialerCall): string {
  const parts = [`status ${call.status}`, call.started_at ? `started ${call.started_at}` : null];
  return parts.filter(Boolean).join(', ');
}
