import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import { activeInstallationForJob } from '../installations/active-installation.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobDefinition } from '../platform/queue.ts';
import { backfillOwners } from './backfill.ts';
import { MappingError } from './errors.ts';
import {
  REFRESH_EVERY_SECONDS,
  SWEEP_KEY,
  mappingRefreshJob,
  ownerBackfillJob,
  refreshSweepJob,
} from './job-specs.ts';
import { refreshMappings } from './refresh.ts';

/**
 * Queues the next hourly sweep unless one is queued already (stately queue, one key): called at
 * every start and by each sweep, so the chain survives restarts, deploys and a failed sweep.
 */
export async function scheduleMappingRefresh(ctx: AppContext): Promise<void> {
  await ctx.queue.send(
    refreshSweepJob,
    {},
    { singletonKey: SWEEP_KEY, startAfterSeconds: REFRESH_EVERY_SECONDS },
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
export function createMappingJobs(ctx: AppContext): JobDefinition<any>[] {
  const sweep = defineJob({
    ...refreshSweepJob,
    queue: { policy: 'stately', retryLimit: 3 },
    async handle(_data, job) {
      await scheduleMappingRefresh(ctx);
      const installations = await ctx.db
        .selectFrom('installations as i')
        .innerJoin('dialer_connections as d', 'd.installation_id', 'i.id')
        .select('i.id')
        .where('i.status', '=', 'active')
        .execute();
      for (const { id } of installations)
        await ctx.queue.send(mappingRefreshJob, { installationId: id }, { singletonKey: id });
      job.logger.info({ installations: installations.length }, 'hourly mapping refresh queued');
    },
    async onDeadLetter() {
      await scheduleMappingRefresh(ctx);
    },
  });

  const refresh = defineJob({
    ...mappingRefreshJob,
    queue: { policy: 'stately', retryLimit: 4, retryDelaySeconds: 30 },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      try {
        await refreshMappings(ctx, installation, { agents: true, dispositions: true });
      } catch (error) {
        if (!(error instanceof MappingError) || error.retryable) throw error;
        // Disconnected meanwhile, or a revoked token: the admin must act, retrying cannot help.
        if (error.code !== 'dialer_not_connected') await refreshFailed(ctx, installationId, error);
      }
    },
    async onDeadLetter({ installationId }, error) {
      await refreshFailed(ctx, installationId, error);
    },
  });

  const backfill = defineJob({
    ...ownerBackfillJob,
    queue: { policy: 'stately', retryLimit: 6, retryDelaySeconds: 5 },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      const activity: ActivityEntry[] = [];
      try {
        const updated = await backfillOwners(ctx, installation, activity);
        job.logger.info({ installationId, updated }, 'owner backfill done');
      } finally {
        await recordActivity(ctx.db, installationId, activity);
      }
    },
    async onDeadLetter({ installationId }, error) {
      await recordActivity(ctx.db, installationId, [
        {
          level: 'warning',
          step: 'owner_backfill_failed',
          message: `Could not add the owner to recent calls logged without one: ${error.message}. The next hourly refresh tries again.`,
        },
      ]);
    },
  });

  return [sweep, refresh, backfill];
}

async function refreshFailed(ctx: AppContext, installationId: string, error: Error): Promise<void> {
  await recordActivity(ctx.db, installationId, [
    {
      level: 'warning',
      step: 'mapping_refresh_failed',
      message: `The hourly refresh of agents and dispositions failed: ${error.message}`,
    },
  ]);
}
