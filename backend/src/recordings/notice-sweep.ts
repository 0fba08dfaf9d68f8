import { sql } from 'kysely';
import { callSyncJob } from '../call-logging/sync-job-spec.ts';
import type { AppContext } from '../platform/context.ts';
import { recurringJob } from '../platform/recurring-job.ts';

export const NOTICE_SWEEP_EVERY_SECONDS = 60;

/**
 * `recordings.notice-sweep`, every minute: a portal with a recording or transcript notice whose
 * retry fell due (HubSpot or Dialer.io refused it earlier) gets its call pipeline run, which sends
 * it. Not a delayed run of the pipeline itself: that would hold back the portal's new calls.
 */
export function noticeSweep(ctx: AppContext) {
  return recurringJob(ctx, {
    name: 'recordings.notice-sweep',
    everySeconds: NOTICE_SWEEP_EVERY_SECONDS,
    async handle() {
      const { rows } = await sql<{ installation_id: string }>`
        select distinct m.installation_id from call_media m
        join installations i on i.id = m.installation_id and i.status = 'active'
        where m.next_attempt_at <= now() and m.attempts > 0
          and ((m.recording = 'ready' and m.ready_sent_at is null) or m.transcript = 'available')
      `.execute(ctx.db);
      for (const { installation_id: installationId } of rows)
        await ctx.queue.send(callSyncJob, { installationId }, { singletonKey: installationId });
    },
  });
}
