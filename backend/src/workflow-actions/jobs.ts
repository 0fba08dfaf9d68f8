import { recordActivity } from '../activity/record.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import { activeInstallationForJob } from '../installations/active-installation.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobDefinition } from '../platform/queue.ts';
import { BLOCK_EXPIRY_MS, executeQueued, workflowActions, type WorkflowActions } from './execute.ts';
import { workflowSweep } from './sweeper.ts';
import { completeCallbacksJob, executeActionJob } from './job-specs.ts';
import {
  deferCallback,
  findExecution,
  markCallbacks,
  nextCallbackRetry,
  pendingCallbacks,
  type PendingCallback,
} from './repository.ts';
import { outputFieldsSchema } from './schemas.ts';
import { typedOutputsFor } from './answers.ts';

/** HubSpot's batch completion takes up to 100 callbacks. */
export const CALLBACK_BATCH_SIZE = 100;
const CALLBACK_RETRY_BASE_MS = 30_000;
const CALLBACK_RETRY_MAX_MS = 60 * 60 * 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
export function createWorkflowActionJobs(ctx: AppContext): JobDefinition<any>[] {
  return [
    createExecuteJob(workflowActions(ctx)),
    createCompleteCallbacksJob(ctx),
    workflowSweep(ctx).definition,
  ];
}

/** Retries are scheduled by `executeQueued` itself (until shortly before the BLOCK expires). */
export function createExecuteJob(deps: WorkflowActions) {
  return defineJob({
    ...executeActionJob,
    queue: { policy: 'stately', retryLimit: 9, retryDelaySeconds: 5, retryDelayMaxSeconds: 600 },
    // Jobs of one portal queue for its Dialer.io slots in this process (booked only shortly before
    // they come): enough of them that the budget stays busy while each also reads and writes PostgreSQL.
    work: { localConcurrency: 24 },
    async handle({ installationId, callbackId }, job) {
      const installation = await activeInstallationForJob(deps.ctx, installationId, job);
      if (!installation) return;
      const execution = await findExecution(deps.ctx.db, installationId, callbackId);
      if (!execution || execution.state === 'done') return;
      await executeQueued(deps, execution, job);
    },
  });
}

/** One job per portal at a time: sends every due completion, 100 per request. */
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
      const next = await nextCallbackRetry(ctx.db, installationId);
      if (next)
        await ctx.queue.send(
          completeCallbacksJob,
          { installationId },
          {
            singletonKey: installationId,
            startAfterSeconds: Math.max(0.1, (next.getTime() - ctx.now()) / 1000),
          },
        );
    },
  });
}

/** False when nothing was due. */
async function completeBatch(ctx: AppContext, installation: Installation): Promise<boolean> {
  const batch = await pendingCallbacks(ctx.db, installation.id, CALLBACK_BATCH_SIZE);
  if (batch.length === 0) return false;
  await completeOrSplit(ctx, installation, batch);
  return true;
}

/**
 * Sends completions in one request, in the shape of HubSpot's 2026-03 reference (`callbackId`,
 * `outputFields`, `typedOutputs`). HubSpot refusing the batch (4xx) is narrowed down by halves, so
 * one refused completion no longer fails the others. A completion HubSpot refuses for good (a 4xx
 * other than 429: an unknown or expired callback) is marked failed with the reason at once, since
 * every retry would count against certification's error rate; a batch HubSpot could not take (5xx,
 * 429, network) is sent again later with backoff until its BLOCK expires, then marked failed.
 */
async function completeOrSplit(ctx: AppContext, installation: Installation, rows: PendingCallback[]) {
  try {
    await ctx.hubspot
      .forInstallation(installation)
      .send('completeCallbacks', { body: { inputs: rows.map(completionInput) } });
  } catch (error) {
    if (!(error instanceof HubSpotError)) throw error;
    if (error.retryable) return deferCallbacks(ctx, installation.id, rows, error.message);
    if (rows.length === 1) return refuseCallbacks(ctx, installation.id, rows, error.message);
    const half = Math.ceil(rows.length / 2);
    await completeOrSplit(ctx, installation, rows.slice(0, half));
    await completeOrSplit(ctx, installation, rows.slice(half));
    return;
  }
  await markCallbacks(
    ctx.db,
    installation.id,
    rows.map((row) => row.callback_id),
    'sent',
  );
}

function completionInput(row: PendingCallback) {
  const outputFields = outputFieldsSchema.parse(row.output_fields);
  return { callbackId: row.callback_id, outputFields, typedOutputs: typedOutputsFor(outputFields) };
}

async function deferCallbacks(
  ctx: AppContext,
  installationId: string,
  rows: PendingCallback[],
  reason: string,
) {
  const expired: string[] = [];
  for (const row of rows) {
    const expiresAt = new Date(row.created_at).getTime() + BLOCK_EXPIRY_MS;
    const retryAt =
      ctx.now() +
      Math.min(CALLBACK_RETRY_BASE_MS * 2 ** Math.min(row.callback_attempts, 20), CALLBACK_RETRY_MAX_MS);
    if (retryAt >= expiresAt) expired.push(row.callback_id);
    else await deferCallback(ctx.db, installationId, row.callback_id, new Date(retryAt), reason);
  }
  await failCallbacks(
    ctx,
    installationId,
    expired,
    reason,
    'HubSpot did not take the result of {n} waiting workflow action(s) before the workflow stopped waiting',
  );
}

/** HubSpot refused these completions for good (an unknown or expired callback): no retry. */
async function refuseCallbacks(
  ctx: AppContext,
  installationId: string,
  rows: PendingCallback[],
  reason: string,
) {
  await failCallbacks(
    ctx,
    installationId,
    rows.map((row) => row.callback_id),
    reason,
    'HubSpot refused the result of {n} waiting workflow action(s) (the workflow no longer waits for it, or never did); it is not sent again',
  );
}

async function failCallbacks(
  ctx: AppContext,
  installationId: string,
  callbackIds: string[],
  reason: string,
  summary: string,
) {
  if (callbackIds.length === 0) return;
  await markCallbacks(ctx.db, installationId, callbackIds, 'failed', reason);
  await recordActivity(ctx.db, installationId, [
    {
      level: 'error',
      step: 'workflow_callback_failed',
      message: `${summary.replace('{n}', String(callbackIds.length))}: ${reason}`,
      details: { callbackIds },
    },
  ]);
}
