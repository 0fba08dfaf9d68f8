import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import { activeInstallationForJob } from '../installations/active-installation.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobDefinition } from '../platform/queue.ts';
import { activeInstallationIds, recurringJob } from '../platform/recurring-job.ts';
import { enqueueFollowUp } from './enqueue.ts';
import { followUpJob, matchSweepJob } from './job-specs.ts';
import { runFollowUp } from './run.ts';
import { sweepPortal } from './sweep.ts';

/**
 * Every hour: one `call-follow-up.match-sweep` per active portal. A start queues the first one 10
 * minutes later, so portals installed before a property change get it soon (and before their
 * first rollup write in any case).
 */
export function followUpSweep(ctx: AppContext) {
  return recurringJob(ctx, {
    name: 'call-follow-up.sweep',
    everySeconds: 60 * 60,
    async handle() {
      const ids = await activeInstallationIds(ctx);
      await ctx.queue.sendMany(
        matchSweepJob,
        ids.map((installationId) => ({ data: { installationId }, singletonKey: installationId })),
      );
    },
  });
}

async function withActivity(
  ctx: AppContext,
  installationId: string,
  work: (activity: ActivityEntry[]) => Promise<void>,
) {
  const activity: ActivityEntry[] = [];
  try {
    await work(activity);
  } finally {
    await recordActivity(ctx.db, installationId, activity);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
export function createFollowUpJobs(ctx: AppContext): JobDefinition<any>[] {
  const run = defineJob({
    ...followUpJob,
    queue: {
      policy: 'stately',
      retryLimit: 10,
      retryDelaySeconds: 5,
      retryDelayMaxSeconds: 600,
      heartbeatSeconds: 30,
    },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      await withActivity(ctx, installationId, async (activity) => {
        const { retryInMs, more } = await runFollowUp(ctx, installation, activity);
        if (retryInMs !== null)
          await ctx.queue.send(
            followUpJob,
            { installationId },
            { singletonKey: installationId, startAfterSeconds: Math.ceil(retryInMs / 1000) },
          );
        else if (more) await enqueueFollowUp(ctx, installationId);
      });
    },
    async onDeadLetter({ installationId }, error) {
      await recordActivity(ctx.db, installationId, [
        {
          level: 'warning',
          step: 'follow_up_failed',
          message: `Could not write call rollups or missed-call tasks: ${error.message}. The next logged call or the hourly sweep tries again.`,
        },
      ]);
    },
  });

  const matchSweep = defineJob({
    ...matchSweepJob,
    queue: { policy: 'stately', retryLimit: 4, retryDelaySeconds: 30 },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      await withActivity(ctx, installationId, async (activity) => {
        await sweepPortal(ctx, installation, activity);
        await enqueueFollowUp(ctx, installationId);
      });
    },
  });

  return [run, matchSweep, followUpSweep(ctx).definition];
}
