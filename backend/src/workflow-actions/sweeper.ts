import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobSpec } from '../platform/queue.ts';
import { STALE_RUNNING_MS, takeOverIfStale } from './execute.ts';
import { completeCallbacksJob } from './job-specs.ts';
import { pendingCallbacks, staleRunning } from './repository.ts';

export const WORKFLOW_SWEEP_EVERY_SECONDS = 60;

export const workflowSweepJob: JobSpec<Record<string, never>> = {
  name: 'workflow-actions.sweep',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
};
const KEY = 'every-minute';

export async function scheduleWorkflowSweep(ctx: AppContext, afterSeconds = WORKFLOW_SWEEP_EVERY_SECONDS) {
  await ctx.queue.send(workflowSweepJob, {}, { singletonKey: KEY, startAfterSeconds: afterSeconds });
}

/**
 * Every minute: executions left `running` by a process that died are taken over by the job (no
 * longer only when HubSpot happens to call again), and deferred completions whose retry is overdue
 * get their portal's completion job back.
 */
export function createWorkflowSweepJob(ctx: AppContext) {
  return defineJob({
    ...workflowSweepJob,
    queue: { policy: 'stately', retryLimit: 3 },
    async handle() {
      await scheduleWorkflowSweep(ctx);
      const installations = await ctx.db
        .selectFrom('installations')
        .select('id')
        .where('status', '=', 'active')
        .execute();
      for (const { id } of installations) await sweepWorkflowPortal(ctx, id);
    },
    async onDeadLetter() {
      await scheduleWorkflowSweep(ctx);
    },
  });
}

export async function sweepWorkflowPortal(ctx: AppContext, installationId: string): Promise<number> {
  let taken = 0;
  for (const callbackId of await staleRunning(ctx.db, installationId, STALE_RUNNING_MS))
    if (await takeOverIfStale(ctx, installationId, callbackId)) taken++;
  // A due completion with no job (a chain broken by a crash): the portal's completion job again.
  if ((await pendingCallbacks(ctx.db, installationId, 1)).length > 0)
    await ctx.queue.send(completeCallbacksJob, { installationId }, { singletonKey: installationId });
  return taken;
}
