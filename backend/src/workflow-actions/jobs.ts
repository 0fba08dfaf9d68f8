import { recordActivity } from '../activity/record.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import { activeInstallationForJob } from '../installations/active-installation.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobDefinition } from '../platform/queue.ts';
import { executeQueued, workflowActions, type WorkflowActions } from './execute.ts';
import { completeCallbacksJob, executeActionJob } from './job-specs.ts';
import { findExecution, markCallbacks, pendingCallbacks } from './repository.ts';
import { outputFieldsSchema } from './schemas.ts';

/** HubSpot's batch completion takes up to 100 callbacks. */
export const CALLBACK_BATCH_SIZE = 100;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
export function createWorkflowActionJobs(ctx: AppContext): JobDefinition<any>[] {
  return [createExecuteJob(workflowActions(ctx)), createCompleteCallbacksJob(ctx)];
}

/** Retries with backoff (5 s doubling to 10 min, ~45 min in all), well inside HubSpot's P1D wait. */
export function createExecuteJob(deps: WorkflowActions) {
  return defineJob({
    ...executeActionJob,
    queue: { policy: 'stately', retryLimit: 9, retryDelaySeconds: 5, retryDelayMaxSeconds: 600 },
    work: { localConcurrency: 4 },
    async handle({ installationId, callbackId }, job) {
      const installation = await activeInstallationForJob(deps.ctx, installationId, job);
      if (!installation) return;
      const execution = await findExecution(deps.ctx.db, installationId, callbackId);
      if (!execution || execution.state === 'done') return;
      await executeQueued(deps, execution, job);
    },
  });
}

/** One job per portal at a time: sends every waiting completion, 100 per request. */
export function createCompleteCallbacksJob(ctx: AppContext) {
  return defineJob({
    ...completeCallbacksJob,
    queue: { policy: 'stately', retryLimit: 10, retryDelaySeconds: 5, retryDelayMaxSeconds: 600 },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      while (await completeBatch(ctx, installation)) {
        if (job.signal.aborted) throw new Error('stopped before every callback was completed');
      }
    },
  });
}

/** False when nothing was left to send. */
async function completeBatch(ctx: AppContext, installation: Installation): Promise<boolean> {
  const batch = await pendingCallbacks(ctx.db, installation.id, CALLBACK_BATCH_SIZE);
  if (batch.length === 0) return false;
  const ids = batch.map((row) => row.callback_id);
  const inputs = batch.map((row) => ({
    callbackId: row.callback_id,
    outputFields: outputFieldsSchema.parse(row.output_fields),
  }));
  try {
    await ctx.hubspot.forInstallation(installation).send('completeCallbacks', { body: { inputs } });
  } catch (error) {
    if (!(error instanceof HubSpotError) || error.retryable) throw error;
    await markCallbacks(ctx.db, installation.id, ids, 'failed', error.message);
    await recordActivity(ctx.db, installation.id, [
      {
        level: 'error',
        step: 'workflow_callback_failed',
        message: `HubSpot refused to complete ${ids.length} waiting workflow action(s): ${error.message}`,
        details: { callbackIds: ids },
      },
    ]);
    return true;
  }
  await markCallbacks(ctx.db, installation.id, ids, 'sent');
  return true;
}
