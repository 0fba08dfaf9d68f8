import { sql } from 'kysely';
import type { AppContext } from '../platform/context.ts';
import { recurringJob } from '../platform/recurring-job.ts';
import { callSyncJob } from './sync-job-spec.ts';

/**
 * `calls.inbox-sweep`: queues the sync run of every portal whose inbox holds events older than
 * `CALL_LIVE_EVENTS_DELAY_MS` (checked twice per delay). These are the starts and answers of calls
 * still live, which queue no run of their own (`ingest.ts`), and anything a broken job chain left
 * behind: no stored event waits for a person. One statement for all portals.
 */
export function inboxSweep(ctx: AppContext) {
  const delayMs = ctx.config.callSync.liveEventsDelayMs;
  return recurringJob(ctx, {
    name: 'calls.inbox-sweep',
    everySeconds: Math.max(1, Math.round(delayMs / 2000)),
    async handle() {
      await queueWaitingInboxes(ctx, delayMs);
    },
  });
}

export async function queueWaitingInboxes(ctx: AppContext, olderThanMs: number): Promise<number> {
  const rows = await ctx.db
    .selectFrom('webhook_inbox')
    .select('installation_id')
    .distinct()
    .where('processed_at', 'is', null)
    .where('received_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .execute();
  await ctx.queue.sendMany(
    callSyncJob,
    rows.map(({ installation_id }) => ({
      data: { installationId: installation_id },
      singletonKey: installation_id,
    })),
  );
  return rows.length;
}
