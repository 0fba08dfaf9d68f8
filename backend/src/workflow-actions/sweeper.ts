import type { AppContext } from '../platform/context.ts';
import { activeInstallationIds, recurringJob } from '../platform/recurring-job.ts';
import { STALE_RUNNING_MS, takeOverIfStale } from './execute.ts';
import { completeCallbacksJob } from './job-specs.ts';
import { pendingCallbacks, staleRunning } from './repository.ts';

export const WORKFLOW_SWEEP_EVERY_SECONDS = 60;

/**
 * `workflow-actions.sweep`, every minute: executions left `running` by a process that died are
 * taken over by the job (no longer only when HubSpot happens to call again), and due completions
 * whose job chain broke get their portal's completion job back.
 */
export function workflowSweep(ctx: AppContext) {
  return recurringJob(ctx, {
    name: 'workflow-actions.sweep',
    everySeconds: WORKFLOW_SWEEP_EVERY_SECONDS,
    async handle() {
      for (const id of await activeInstallationIds(ctx)) await sweepWorkflowPortal(ctx, id);
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
