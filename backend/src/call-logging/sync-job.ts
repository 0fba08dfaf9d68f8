import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import { replaceLists } from '../dialer-connection/mirror.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import { activeInstallationForJob } from '../installations/active-installation.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob } from '../platform/queue.ts';
import { isDebugMode } from '../settings/repository.ts';
import { foldInboxEvents } from './events.ts';
import { prepareCalls } from './prepare.ts';
import { callSyncJob } from './sync-job-spec.ts';
import { RetryLaterError } from './hubspot-calls.ts';
import { writeCalls } from './write.ts';

const BATCH = 100;
const ROUNDS = 50;

/**
 * The portal's call pipeline, one job in flight per portal (so per call): fold new events into
 * calls, then write up to 100 calls per HubSpot request until nothing is left.
 */
export function createCallSyncJob(ctx: AppContext) {
  return defineJob({
    ...callSyncJob,
    // A killed worker's job is taken over within about 30 s (heartbeat), not after expireInSeconds.
    queue: {
      policy: 'stately',
      retryLimit: 10,
      retryDelaySeconds: 2,
      retryDelayMaxSeconds: 300,
      heartbeatSeconds: 15,
    },
    work: { localConcurrency: 4 },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      const connection = await findConnection(ctx.db, installationId);
      const country = connection?.country ?? 'US';
      const client = ctx.hubspot.forInstallation(installation);
      const refreshLists = connection
        ? async () => replaceLists(ctx.db, installationId, await dialerClientFor(ctx, connection).listLists())
        : undefined;
      for (let round = 0; round < ROUNDS; round++) {
        const activity: ActivityEntry[] = [];
        try {
          const folded = await foldInboxEvents(ctx.db, installationId, activity);
          const rows = await ctx.db
            .selectFrom('calls')
            .selectAll()
            .where('installation_id', '=', installationId)
            .where('sync_state', 'in', ['pending', 'sending'])
            .orderBy('updated_at')
            .limit(BATCH)
            .execute();
          if (rows.length > 0) {
            const debug = await isDebugMode(ctx.db, installationId);
            const outgoing = await prepareCalls(
              ctx.db,
              installationId,
              client,
              rows,
              { country, debug, refreshLists },
              activity,
            );
            if (!debug) {
              const sentAt = new Map(
                rows
                  .filter((r) => r.sync_state === 'sending' && r.sending_at)
                  .map((r) => [r.call_id, new Date(r.sending_at!)]),
              );
              await writeCalls(
                ctx.db,
                installationId,
                client,
                outgoing,
                { sentAt, searchIndexDelayMs: ctx.config.hubspot.searchIndexDelayMs },
                activity,
              );
            }
          }
          if (folded === 0 && rows.length === 0) return;
        } catch (error) {
          if (error instanceof RetryLaterError) {
            // Not a failure: come back when HubSpot's search can see what we may have created.
            await ctx.queue.send(
              callSyncJob,
              { installationId },
              { singletonKey: installationId, startAfterSeconds: Math.ceil(error.waitMs / 1000) },
            );
            return;
          }
          const reason = error instanceof Error ? error.message : String(error);
          activity.push({
            level: 'warning',
            step: 'hubspot_retry',
            message: `Writing calls to HubSpot failed (attempt ${job.attempt}): ${reason}. It will be retried.`,
          });
          throw error;
        } finally {
          await recordActivity(ctx.db, installationId, activity);
        }
      }
      await ctx.queue.send(callSyncJob, { installationId }, { singletonKey: installationId });
    },
    async onDeadLetter({ installationId }, error, job) {
      const failed = await ctx.db
        .updateTable('calls')
        .set({ sync_state: 'failed', last_error: error.message, updated_at: new Date() })
        .where('installation_id', '=', installationId)
        .where('sync_state', '=', 'pending')
        .returning('call_id')
        .execute();
      await recordActivity(
        ctx.db,
        installationId,
        failed.map((row) => ({
          callId: row.call_id,
          level: 'error' as const,
          step: 'hubspot_failed',
          message: `Gave up writing this call to HubSpot after ${job.attempt} attempts: ${error.message}. Retry it from the activity log.`,
        })),
      );
    },
  });
}
