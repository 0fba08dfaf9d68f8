import { recordActivity } from '../activity/record.ts';
import type { DialerConnection } from '../dialer-connection/dialer-connection.table.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { JobContext } from '../platform/queue.ts';
import { activityFor, contactLinkFor, outputFieldsFor } from './answers.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { failure, reasonOf } from './failures.ts';
import { admitInline } from './inline-admission.ts';
import { completeCallbacksJob, executeActionJob } from './job-specs.ts';
import { createListCatalog, type ListCatalog } from './list-catalog.ts';
import { performAction, type Outcome } from './perform.ts';
import { readProgress, saveProgress } from './progress.ts';
import {
  claimExecution,
  countAttempt,
  expectCallback,
  findExecution,
  markDone,
  markQueued,
  saveContactLink,
} from './repository.ts';
import { outputFieldsSchema, storedRequestSchema, type OutputFields, type WorkflowCall } from './schemas.ts';
import type { ActionKind, WorkflowExecution } from './workflow-actions.table.ts';

/** Time the inline answer may spend on Dialer.io before it answers BLOCK and leaves it to a job. */
export const INLINE_BUDGET_MS = 5_000;
/** The inline execution's Dialer.io requests would wait longer for their slots: BLOCK at once (a burst). */
export const INLINE_MAX_BACKLOG_MS = 1_000;
/** An execution `running` this long was left by a process that died: a job takes it over. */
export const STALE_RUNNING_MS = 60_000;

/** How long HubSpot waits for the completion of a BLOCK answer (asked for in the answer). */
export const BLOCK_EXPIRY_MS = 3 * 24 * 60 * 60 * 1000;
export const BLOCK_ANSWER: OutputFields = { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P3D' };
/** The job gives up this long before HubSpot's wait ends, so its FAIL_CONTINUE still arrives. */
export const GIVE_UP_BEFORE_EXPIRY_MS = 60 * 60 * 1000;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 30 * 60 * 1000;

export interface WorkflowActions {
  ctx: AppContext;
  lists: ListCatalog;
}

export function workflowActions(ctx: AppContext): WorkflowActions {
  return { ctx, lists: createListCatalog(ctx) };
}

/**
 * A workflow action call: once per callbackId. Answers with the result when Dialer.io answers in
 * time, or BLOCK and a job finishes it and completes the callback.
 */
export async function handleActionCall(
  deps: WorkflowActions,
  installation: Installation,
  action: ActionKind,
  call: WorkflowCall,
): Promise<OutputFields> {
  const request = { inputFields: call.inputFields, properties: call.object.properties };
  const claimed = await claimExecution(deps.ctx.db, {
    installationId: installation.id,
    callbackId: call.callbackId,
    action,
    contactId: call.object.objectId,
    workflowId: call.context?.workflowId ?? null,
    request,
  });
  if (!claimed) return answerRepeat(deps.ctx, installation.id, call.callbackId);
  return executeInline(deps, claimed);
}

/** HubSpot called again with a callbackId we know: the stored answer, never a second Dialer.io write. */
async function answerRepeat(
  ctx: AppContext,
  installationId: string,
  callbackId: string,
): Promise<OutputFields> {
  const execution = await findExecution(ctx.db, installationId, callbackId);
  if (!execution) throw new Error('workflow execution disappeared while answering a repeated call');
  if (execution.state === 'done') return storedAnswer(ctx, installationId, callbackId);
  await takeOverIfStale(ctx, installationId, callbackId);
  if (await expectCallback(ctx.db, installationId, callbackId)) return BLOCK_ANSWER;
  return storedAnswer(ctx, installationId, callbackId);
}

/** An execution left `running` by a process that stopped goes to the job (in one transaction). */
export async function takeOverIfStale(
  ctx: AppContext,
  installationId: string,
  callbackId: string,
): Promise<boolean> {
  let taken = false;
  await ctx.db.transaction().execute(async (trx) => {
    const reason = 'taken over from a stopped process';
    if (!(await markQueued(trx, installationId, callbackId, reason, STALE_RUNNING_MS))) return;
    const key = callbackKey(installationId, callbackId);
    await ctx.queue.send(executeActionJob, { installationId, callbackId }, { trx, singletonKey: key });
    taken = true;
  });
  return taken;
}

async function storedAnswer(
  ctx: AppContext,
  installationId: string,
  callbackId: string,
): Promise<OutputFields> {
  const execution = await findExecution(ctx.db, installationId, callbackId);
  return outputFieldsSchema.parse(execution?.output_fields);
}

async function executeInline(deps: WorkflowActions, execution: WorkflowExecution): Promise<OutputFields> {
  const { ctx } = deps;
  const connection = await findConnection(ctx.db, execution.installation_id);
  if (!connection) return finish(ctx, execution, failure('DIALER_NOT_CONNECTED'));
  const release = await admitInline(ctx.db, connection.account_id, INLINE_MAX_BACKLOG_MS);
  if (!release) return defer(ctx, execution, 'Dialer.io is busy with other contacts');
  try {
    const signal = AbortSignal.timeout(INLINE_BUDGET_MS);
    const outcome = await perform(deps, execution, connection, signal).finally(release);
    return await finish(ctx, execution, outcome);
  } catch (error) {
    ctx.logger.warn({ err: error, callbackId: execution.callback_id }, 'workflow action deferred to a job');
    return defer(ctx, execution, reasonOf(error));
  }
}

/**
 * The job's turn. While Dialer.io keeps failing it tries again with backoff (5 s doubling to
 * 30 min) until shortly before HubSpot's BLOCK wait ends, then ends the execution as FAIL_CONTINUE
 * with the reason: the workflow never waits forever, and never gives up early.
 */
export async function executeQueued(
  deps: WorkflowActions,
  execution: WorkflowExecution,
  job: Pick<JobContext, 'signal' | 'logger'>,
): Promise<void> {
  const { ctx } = deps;
  const connection = await findConnection(ctx.db, execution.installation_id);
  if (!connection) return void (await finish(ctx, execution, failure('DIALER_NOT_CONNECTED')));
  await countAttempt(ctx.db, execution.installation_id, execution.callback_id);
  try {
    await finish(ctx, execution, await perform(deps, execution, connection, job.signal));
  } catch (error) {
    const giveUpAt = new Date(execution.created_at).getTime() + BLOCK_EXPIRY_MS - GIVE_UP_BEFORE_EXPIRY_MS;
    const delayMs = Math.min(RETRY_BASE_MS * 2 ** Math.min(execution.attempts, 20), RETRY_MAX_MS);
    if (ctx.now() + delayMs < giveUpAt) {
      job.logger.info(
        { err: error, callbackId: execution.callback_id, delayMs },
        'workflow action retried later',
      );
      const { installation_id: installationId, callback_id: callbackId } = execution;
      await ctx.queue.send(
        executeActionJob,
        { installationId, callbackId },
        { singletonKey: callbackKey(installationId, callbackId), startAfterSeconds: delayMs / 1000 },
      );
      return;
    }
    job.logger.warn({ err: error, callbackId: execution.callback_id }, 'workflow action gave up');
    await finish(ctx, execution, failure('DIALER_UNAVAILABLE', reasonOf(error)));
  }
}

async function perform(
  deps: WorkflowActions,
  execution: WorkflowExecution,
  connection: DialerConnection,
  signal: AbortSignal,
): Promise<Outcome> {
  const { installation_id: installationId, callback_id: callbackId } = execution;
  const request = storedRequestSchema.parse(execution.request);
  const progress = readProgress(execution.progress);
  return performAction(
    { installationId, action: execution.action, contactId: execution.contact_id, request, progress },
    {
      ctx: deps.ctx,
      connection,
      client: dialerClientFor(deps.ctx, connection, signal),
      lists: deps.lists,
      recordProgress: (step) => saveProgress(deps.ctx.db, installationId, callbackId, step),
    },
  );
}

/** Stores the final answer, the contact link and the activity; queues the completion HubSpot waits for. */
async function finish(
  ctx: AppContext,
  execution: WorkflowExecution,
  outcome: Outcome,
): Promise<OutputFields> {
  const outputFields = outputFieldsFor(outcome);
  const { installation_id: installationId, callback_id: callbackId } = execution;
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const done = await markDone(trx, installationId, callbackId, {
      outputFields,
      result: outcome.kind === 'success' ? outcome.result : null,
      errorCode: outcome.kind === 'failure' ? outcome.code : null,
      message: outcome.kind === 'failure' ? outcome.message : null,
    });
    if (!done) return false;
    await saveContactLink(trx, installationId, execution.contact_id, contactLinkFor(outcome));
    await recordActivity(trx, installationId, [activityFor(execution, outcome)]);
    if (done.needs_callback) {
      await ctx.queue.send(completeCallbacksJob, { installationId }, { trx, singletonKey: installationId });
    }
    return true;
  });
  return stored ? outputFields : storedAnswer(ctx, installationId, callbackId);
}

/** Answers BLOCK: the execution goes to the job, which completes the callback when it is done. */
async function defer(ctx: AppContext, execution: WorkflowExecution, reason: string): Promise<OutputFields> {
  const { installation_id: installationId, callback_id: callbackId } = execution;
  const queued = await ctx.db.transaction().execute(async (trx) => {
    if (!(await markQueued(trx, installationId, callbackId, reason))) return false;
    await recordActivity(trx, installationId, [
      {
        contactId: execution.contact_id,
        level: 'warning',
        step: 'workflow_action_deferred',
        message: `Dialer.io could not take the change now (${reason}). The workflow waits while Dialer Sync retries.`,
        details: { callbackId, workflowId: execution.workflow_id, action: execution.action },
      },
    ]);
    await ctx.queue.send(
      executeActionJob,
      { installationId, callbackId },
      { trx, singletonKey: callbackKey(installationId, callbackId) },
    );
    return true;
  });
  return queued ? BLOCK_ANSWER : storedAnswer(ctx, installationId, callbackId);
}

const callbackKey = (installationId: string, callbackId: string) => `${installationId}:${callbackId}`;
