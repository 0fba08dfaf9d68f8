import { sql } from 'kysely';
import type { AppContext } from '../platform/context.ts';
import { recurringJob } from '../platform/recurring-job.ts';
import { callSyncJob } from './sync-job-spec.ts';

/**
 * `calls.inbox-sweep`: queues the sync run of every portal whose inbox holds events older than
 * `CALL_LIVE_EVENTS_DELAY_MS` (checked twice per delay). These are the starts and answers of calls
 * still live, which queue no run of their own (`ingest.ts`), and anything a broken job chain left
 * behind (events, or pending calls no run picked up): nothing accepted waits for a person. One
 * statement for all portals (an index probe per active portal).
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
  const before = sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`;
  const rows = await ctx.db
    .selectFrom('installations as i')
    .select('i.id')
    .where('i.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('webhook_inbox as w')
            .select('w.id')
            .whereRef('w.installation_id', '=', 'i.id')
            .where('w.processed_at', 'is', null)
            .where('w.received_at', '<', before),
        ),
        // Calls ready to write that no run has picked up (a job chain broken by a crash).
        eb.exists(
          eb
            .selectFrom('calls as c')
            .select('c.call_id')
            .whereRef('c.installation_id', '=', 'i.id')
            .where('c.sync_state', '=', 'pending')
            .where('c.updated_at', '<', before),
        ),
      ]),
    )
    .execute();
  await ctx.queue.sendMany(
    callSyncJob,
    rows.map(({ id }) => ({ data: { installationId: id }, singletonKey: id })),
  );
  return rows.length;
}
