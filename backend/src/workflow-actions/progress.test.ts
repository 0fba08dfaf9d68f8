import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import type { JobContext } from '../platform/queue.ts';
import { BLOCK_ANSWER, INLINE_BUDGET_MS, takeOverIfStale, workflowActions } from './execute.ts';
import { createCompleteCallbacksJob, createExecuteJob } from './jobs.ts';
import { readProgress, saveProgress } from './progress.ts';
import { claimExecution, findExecution } from './repository.ts';
import { actionCall, callAction, connectedPortal, postSigned } from './test-helpers.ts';

// An execution keeps its progress: the job that takes over an inline answer that ran out of time
// (or a process that stopped) goes on from the last step Dialer.io answered, and does not send it
// again. Workers off: the jobs run when the test says.

const PORTAL = 550011;
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

const job: JobContext = {
  jobId: 'test-1',
  attempt: 1,
  isFinalAttempt: false,
  get logger() {
    return app.runtime.ctx.logger;
  },
  signal: new AbortController().signal,
};
const runExecute = (callbackId: string) =>
  createExecuteJob(workflowActions(app.runtime.ctx)).handle({ installationId, callbackId }, job);
const runComplete = () => createCompleteCallbacksJob(app.runtime.ctx).handle({ installationId }, job);
const completionsOf = (callbackId: string) =>
  app.hubspot.portal(PORTAL).callbackCompletions.filter((c) => c.callbackId === callbackId);

describe('a workflow execution keeps its progress', () => {
  it(
    'the job does not write the contact again after the inline answer ran out of time during the list change',
    async () => {
      const members = `/lists/${portal.lists.hot.id}/members`;
      // The list change of the inline answer is never answered: its time runs out after the PUT was.
      app.dialer.stallNext(1, { method: 'POST', pathPrefix: members });
      const body = actionCall(PORTAL, { contactId: 1201, inputFields: { list: portal.lists.hot.id } });
      expect((await callAction(app, 'addToList', body)).outputFields).toEqual(BLOCK_ANSWER);

      const deferred = (await findExecution(app.runtime.ctx.db, installationId, body.callbackId))!;
      expect(deferred.state).toBe('queued');
      const written = app.dialer.contact(portal.accountId, '1201')!;

      await runExecute(body.callbackId);
      await runComplete();
      expect(completionsOf(body.callbackId).map((c) => c.outputFields)).toEqual([
        { hs_execution_state: 'SUCCESS', result: 'added', dialer_contact_id: written.id },
      ]);
      expect(app.dialer.requestsTo('PUT', '/contacts/1201').map((r) => r.status)).toEqual([201]);
      // The stalled add was never handled (its caller gave up); the job's add is the only one.
      expect(app.dialer.requestsTo('POST', members).map((r) => r.status)).toEqual([0, 201]);
      expect(app.dialer.contact(portal.accountId, '1201')!.lists.map((l) => l.id)).toEqual([
        portal.lists.hot.id,
      ]);
      expect(readProgress(deferred.progress)).toEqual({ contact: { id: written.id, lists: [] } });
      const done = (await findExecution(app.runtime.ctx.db, installationId, body.callbackId))!;
      expect(done).toMatchObject({ state: 'done', progress: null, request: null });
    },
    30_000 + INLINE_BUDGET_MS,
  );

  it('a job taking over an execution whose list change was answered does not change the list again', async () => {
    // A first try removed the contact from the list and stored that, then its process stopped.
    const body = actionCall(PORTAL, {
      contactId: 1202,
      inputFields: { scope: 'one_list', list: portal.lists.cold.id },
    });
    const request = { inputFields: body.inputFields, properties: body.object.properties };
    const callbackId = body.callbackId;
    await claimExecution(app.runtime.ctx.db, {
      installationId,
      callbackId,
      action: 'remove',
      contactId: '1202',
      workflowId: '9001',
      request,
    });
    const list = { id: portal.lists.cold.id, name: portal.lists.cold.name };
    await saveProgress(app.runtime.ctx.db, installationId, callbackId, {
      listChange: { result: 'removed', list },
    });
    await sql`update workflow_executions set updated_at = now() - interval '2 minutes'
      where callback_id = ${callbackId}`.execute(app.runtime.ctx.db);
    expect(await takeOverIfStale(app.runtime.ctx, installationId, callbackId)).toBe(true);

    await runExecute(callbackId);
    await runComplete();
    expect(completionsOf(callbackId).map((c) => c.outputFields)).toEqual([
      { hs_execution_state: 'SUCCESS', result: 'removed', dialer_contact_id: '' },
    ]);
    expect(app.dialer.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
