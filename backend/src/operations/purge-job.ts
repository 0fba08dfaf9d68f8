import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobSpec } from '../platform/queue.ts';

const EVERY_SECONDS = 60 * 60;

export const purgeJob: JobSpec<Record<string, never>> = {
  name: 'maintenance.purge',
  schema: z.object({}).strict(),
};

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

/**
 * Hourly housekeeping: processed webhook payloads (RETENTION_WEBHOOK_PAYLOAD_DAYS) and activity
 * (RETENTION_ACTIVITY_DAYS) expire, and so do OAuth
 * states, phone lookups and cached contact names. It schedules its own next run.
 */
export function createPurgeJob(ctx: AppContext) {
  return defineJob({
    ...purgeJob,
    queue: { policy: 'stately', retryLimit: 3 },
    async handle(_data, job) {
      const now = new Date();
      const inbox = await ctx.db
        .deleteFrom('webhook_inbox')
        .where('processed_at', '<', daysAgo(ctx.config.retention.webhookPayloadDays))
        .executeTakeFirst();
      const hubspotInbox = await ctx.db
        .deleteFrom('hubspot_webhook_inbox')
        .where('processed_at', '<', daysAgo(ctx.config.retention.webhookPayloadDays))
        .executeTakeFirst();
      const activity = await ctx.db
        .deleteFrom('activity_log')
        .where('created_at', '<', daysAgo(ctx.config.retention.activityDays))
        .executeTakeFirst();
      await ctx.db.deleteFrom('phone_lookups').where('expires_at', '<', now).execute();
      await ctx.db.deleteFrom('contact_cache').where('expires_at', '<', now).execute();
      await ctx.states.purgeExpired(ctx.db, now.getTime());
      job.logger.info(
        {
          inbox: Number(inbox.numDeletedRows),
          hubspotInbox: Number(hubspotInbox.numDeletedRows),
          activity: Number(activity.numDeletedRows),
        },
        'purged expired data',
      );
      await schedulePurge(ctx, EVERY_SECONDS);
    },
  });
}

export async function schedulePurge(ctx: AppContext, afterSeconds = 0): Promise<void> {
  await ctx.queue.send(purgeJob, {}, { singletonKey: 'purge', startAfterSeconds: afterSeconds });
}
