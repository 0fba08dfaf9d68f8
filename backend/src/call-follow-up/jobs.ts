import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import { activeInstallationForJob } from '../installations/active-installation.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobDefinition } from '../platform/queue.ts';
import { enqueueFollowUp } from './enqueue.ts';
import { SWEEP_EVERY_SECONDS, SWEEP_KEY, followUpJob, followUpSweepJob, matchSweepJob } from './job-specs.ts';
import { runFollowUp } from './run.ts';
import { sweepPortal } from './sweep.ts';

/**
 * Queues the next sweep unless one is queued (stately): each sweep queues the next in an hour;
 * a start queues one 10 minutes later, so portals installed before a property change get it soon
 * (and before their first rollup write in any case).
 */
export async function scheduleFollowUpSweep(ctx: AppContext, inSeconds = SWEEP_EVERY_SECONDS): Promise<void> {
  await ctx.queue.send(followUpSweepJob, {}, { singletonKey: SWEEP_KEY, startAfterSeconds: inSeconds });
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

  const sweep = defineJob({
    ...followUpSweepJob,
    queue: { policy: 'stately', retryLimit: 3 },
    async handle(_data, job) {
      await scheduleFollowUpSweep(ctx);
      const installations = await ctx.db
        .selectFrom('installations')
        .select('id')
        .where('status', '=', 'active')
        .execute();
      await ctx.queue.sendMany(
        matchSweepJob,
        installations.map(({ id }) => ({ data: { installationId: id }, singletonKey: id })),
      );
      job.logger.info({ installations: installations.length }, 'hourly follow-up sweep queued');
    },
    async onDeadLetter() {
      await scheduleFollowUpSweep(ctx);
    },
  });

  return [run, matchSweep, sweep];
}
