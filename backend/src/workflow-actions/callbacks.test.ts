import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import type { JobContext } from '../platform/queue.ts';
import { BLOCK_ANSWER, INLINE_BUDGET_MS, workflowActions } from './execute.ts';
import { FAILURE_MESSAGES } from './failures.ts';
import { createCompleteCallbacksJob, createExecuteJob } from './jobs.ts';
import { claimExecution, findExecution } from './repository.ts';
import { sweepWorkflowPortal } from './sweeper.ts';
import { actionCall, callAction, connectedPortal, postSigned } from './test-helpers.ts';

// Workers off: the jobs run when the test says, attempt by attempt.

const PORTAL = 550006;
let app: TestApp;
let portal: Awaited<ReturnType<typeof connectedPortal>>;
let installationId: string;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  portal = await connectedPortal(app, PORTAL);
  installationId = (await findInstallationByPortal(app.runtime.ctx.db, PORTAL))!.id;
  await postSigned(app, 'listOptions', { origin: { portalId: PORTAL }, fetchOptions: {} });
});
afterAll(() => app.stop());
beforeEach(() => app.dialer.clearRequests());

const job = (attempt: number, isFinalAttempt: boolean): JobContext => ({
  jobId: `test-${attempt}`,
  attempt,
  isFinalAttempt,
  logger: app.runtime.ctx.logger,
  signal: new AbortController().signal,
});
const runExecute = (callbackId: string, context: JobContext) =>
  createExecuteJob(workflowActions(app.runtime.ctx)).handle({ installationId, callbackId }, context);
const runComplete = () =>
  createCompleteCallbacksJob(app.runtime.ctx).handle({ installationId }, job(1, false));
type CompletionBody = { inputs: { callbackId: string; typedOutputs?: unknown }[] };
const completeRequests = () =>
  app.hubspot.requestsTo('POST', '/automation/actions/callbacks/2026-03/complete');

async function blockedCall(contactId: number) {
  app.dialer.failNext(3, { status: 503, pathPrefix: '/contacts', method: 'PUT' });
  const body = actionCall(PORTAL, { contactId, inputFields: { list: portal.lists.hot.id } });
  expect((await callAction(app, 'addToList', body)).outputFields).toEqual(BLOCK_ANSWER);
  return body;
}

describe('completing blocked executions through the callbacks API', () => {
  it('completes the waiting executions of a portal in one batch request', async () => {
    const bodies = [await blockedCall(1101), await blockedCall(1102), await blockedCall(1103)];
    for (const body of bodies) await runExecute(body.callbackId, job(2, false));
    const before = completeRequests().length;
    await runComplete();
    const sent = completeRequests().slice(before);
    expect(sent).toHaveLength(1);
    expect((sent[0]!.body as { inputs: { callbackId: string }[] }).inputs.map((i) => i.callbackId)).toEqual(
      bodies.map((b) => b.callbackId),
    );
    const done = app.hubspot
      .portal(PORTAL)
      .callbackCompletions.filter((c) => bodies.some((b) => b.callbackId === c.callbackId));
    expect(done.map((c) => c.outputFields.result)).toEqual(['added', 'added', 'added']);
    // The 2026-03 shape: `typedOutputs` beside `outputFields`, with the declared outputs.
    for (const input of (sent[0]!.body as CompletionBody).inputs)
      expect(input.typedOutputs).toEqual({ result: 'added', dialer_contact_id: expect.any(String) });

    await runComplete();
    expect(completeRequests().length).toBe(before + 1);
  });

  it('retries while Dialer.io is down for as long as the BLOCK allows (not 40 minutes), then FAIL_CONTINUE with the reason', async () => {
    const body = await blockedCall(1104);
    // Each job attempt tries three times (the client's own short retries).
    app.dialer.failNext(9, { status: 503, pathPrefix: '/contacts' });
    await runExecute(body.callbackId, job(2, false));
    // pg-boss's last attempt (the old code gave up here, ~40 minutes in) no longer ends it.
    await runExecute(body.callbackId, job(10, true));
    expect(await findExecution(app.runtime.ctx.db, installationId, body.callbackId)).toMatchObject({
      state: 'queued',
    });
    const queued = await app.runtime.ctx.queue.raw.findJobs('workflow-actions.execute', {
      key: `${installationId}:${body.callbackId}`,
    });
    expect(queued.some((j) => j.state === 'created')).toBe(true);
    // Shortly before HubSpot's wait (P3D) ends, the job gives up with the reason.
    await sql`update workflow_executions set created_at = now() - interval '71 hours 30 minutes'
      where callback_id = ${body.callbackId}`.execute(app.runtime.ctx.db);
    await runExecute(body.callbackId, job(1, false));
    // 3 inline, then 3 per job run.
    expect(app.dialer.requestsTo('PUT', '/contacts/1104').map((r) => r.status)).toEqual(Array(12).fill(503));
    await runComplete();
    const completion = app.hubspot
      .portal(PORTAL)
      .callbackCompletions.find((c) => c.callbackId === body.callbackId);
    expect(completion!.outputFields).toMatchObject({
      hs_execution_state: 'FAIL_CONTINUE',
      error_code: 'DIALER_UNAVAILABLE',
      error_detail: expect.stringContaining('503'),
    });
    expect(String(completion!.outputFields.error_message)).toContain(
      'could not be reached after several tries',
    );
    const [activity] = await app.runtime.ctx.db
      .selectFrom('activity_log')
      .selectAll()
      .where('installation_id', '=', installationId)
      .where('contact_id', '=', '1104')
      .where('step', '=', 'workflow_action_failed')
      .execute();
    expect(activity).toMatchObject({ level: 'error' });
    expect(FAILURE_MESSAGES.DIALER_UNAVAILABLE).toContain('{{ error_detail }}');
  });

  it(`answers BLOCK when Dialer.io is slower than ${INLINE_BUDGET_MS} ms, and the job finishes`, async () => {
    app.dialer.setLatency(INLINE_BUDGET_MS + 1_000);
    const body = actionCall(PORTAL, { contactId: 1105, inputFields: { scope: 'all_lists' } });
    const started = Date.now();
    try {
      expect((await callAction(app, 'removeFromList', body)).outputFields).toEqual(BLOCK_ANSWER);
    } finally {
      app.dialer.setLatency(0);
    }
    expect(Date.now() - started).toBeLessThan(INLINE_BUDGET_MS + 1_000);
    await runExecute(body.callbackId, job(2, false));
    await runComplete();
    const completion = app.hubspot
      .portal(PORTAL)
      .callbackCompletions.find((c) => c.callbackId === body.callbackId);
    expect(completion!.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', result: 'removed' });
  }, 20_000);

  it('one refused completion does not fail the batch: the others are sent, it is marked failed at once and never sent again', async () => {
    const bodies = [await blockedCall(1106), await blockedCall(1108), await blockedCall(1109)];
    for (const body of bodies) await runExecute(body.callbackId, job(2, false));
    const refused = bodies[1]!.callbackId;
    // HubSpot refuses (400: an unknown or expired callback) every request that carries the second
    // completion: the batch, the half, then it alone.
    app.hubspot.refuseCallback(refused, 10);
    const before = completeRequests().length;
    await runComplete();
    const state = async (callbackId: string) =>
      (await findExecution(app.runtime.ctx.db, installationId, callbackId))!;
    expect((await state(bodies[0]!.callbackId)).callback_state).toBe('sent');
    expect((await state(bodies[2]!.callbackId)).callback_state).toBe('sent');
    expect(await state(refused)).toMatchObject({
      callback_state: 'failed',
      callback_retry_at: null,
      callback_error: expect.stringContaining('400'),
    });
    const carrying = (from: number) =>
      completeRequests()
        .slice(from)
        .filter((r) => (r.body as CompletionBody).inputs.some((i) => i.callbackId === refused));
    // Sent alone once, never again: each refused request counts against the error rate.
    expect(carrying(before).filter((r) => (r.body as CompletionBody).inputs.length === 1)).toHaveLength(1);
    const [entry] = await app.runtime.ctx.db
      .selectFrom('activity_log')
      .selectAll()
      .where('installation_id', '=', installationId)
      .where('step', '=', 'workflow_callback_failed')
      .execute();
    expect(entry).toMatchObject({ level: 'error', message: expect.stringContaining('HubSpot refused') });
    const afterFirstRun = completeRequests().length;
    await runComplete();
    expect(carrying(afterFirstRun)).toHaveLength(0);
  });

  it('a completion HubSpot could not take (5xx) is retried with backoff, and marked failed once its BLOCK has expired', async () => {
    const state = async (callbackId: string) =>
      (await findExecution(app.runtime.ctx.db, installationId, callbackId))!;
    const body = await blockedCall(1112);
    await runExecute(body.callbackId, job(2, false));
    app.hubspot.failNext(4, { status: 503, pathPrefix: '/automation/actions/callbacks' });
    await runComplete();
    expect(await state(body.callbackId)).toMatchObject({ callback_state: 'pending' });
    expect((await state(body.callbackId)).callback_retry_at).not.toBeNull();
    await sql`update workflow_executions set callback_retry_at = now() - interval '1 second'
      where callback_id = ${body.callbackId}`.execute(app.runtime.ctx.db);
    await runComplete();
    expect((await state(body.callbackId)).callback_state).toBe('sent');

    const last = await blockedCall(1110);
    await runExecute(last.callbackId, job(2, false));
    await sql`update workflow_executions set created_at = now() - interval '72 hours'
      where callback_id = ${last.callbackId}`.execute(app.runtime.ctx.db);
    app.hubspot.failNext(4, { status: 503, pathPrefix: '/automation/actions/callbacks' });
    await runComplete();
    expect(await state(last.callbackId)).toMatchObject({
      callback_state: 'failed',
      callback_error: expect.stringContaining('503'),
    });
  });

  it('the sweeper takes over an execution left running by a dead process, without waiting for HubSpot', async () => {
    const body = actionCall(PORTAL, { contactId: 1111, inputFields: { list: portal.lists.cold.id } });
    await claimExecution(app.runtime.ctx.db, {
      installationId,
      callbackId: body.callbackId,
      action: 'add',
      contactId: '1111',
      workflowId: '9001',
      request: { inputFields: body.inputFields, properties: body.object.properties },
    });
    await sql`update workflow_executions set updated_at = now() - interval '5 minutes'
      where callback_id = ${body.callbackId}`.execute(app.runtime.ctx.db);
    expect(await sweepWorkflowPortal(app.runtime.ctx, installationId)).toBe(1);
    expect(await findExecution(app.runtime.ctx.db, installationId, body.callbackId)).toMatchObject({
      state: 'queued',
      needs_callback: true,
    });
    await runExecute(body.callbackId, job(1, false));
    await runComplete();
    const completion = app.hubspot
      .portal(PORTAL)
      .callbackCompletions.find((c) => c.callbackId === body.callbackId);
    expect(completion!.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', result: 'added' });
  });

  it('takes over an execution left running by a process that stopped, when HubSpot calls again', async () => {
    const body = actionCall(PORTAL, { contactId: 1107, inputFields: { list: portal.lists.cold.id } });
    const request = { inputFields: body.inputFields, properties: body.object.properties };
    await claimExecution(app.runtime.ctx.db, {
      installationId,
      callbackId: body.callbackId,
      action: 'add',
      contactId: '1107',
      workflowId: '9001',
      request,
    });
    await sql`update workflow_executions set updated_at = now() - interval '5 minutes'
      where callback_id = ${body.callbackId}`.execute(app.runtime.ctx.db);
    expect((await callAction(app, 'addToList', body)).outputFields).toEqual(BLOCK_ANSWER);
    expect(app.dialer.requests).toHaveLength(0);
    await runExecute(body.callbackId, job(1, false));
    await runComplete();
    const completion = app.hubspot
      .portal(PORTAL)
      .callbackCompletions.find((c) => c.callbackId === body.callbackId);
    expect(completion!.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', result: 'added' });
  });
});
