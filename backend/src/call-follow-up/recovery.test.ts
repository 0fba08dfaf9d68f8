import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { callSweep } from '../call-logging/sweeper.ts';
import { matchSweepJob } from './job-specs.ts';
import { DIALER_SYNC_PROPERTIES } from './properties.ts';
import { installAndConnect, installationId, setMissedCalls, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('call follow-up recovers by itself', () => {
  it('a task create whose answer was lost is found by its reference, not created twice', async () => {
    app = await startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '500' } });
    const { account, owner } = await installAndConnect(app, 570001);
    await setMissedCalls(app, 570001, { fallbackOwnerId: owner.id });
    app.hubspot.failNext(1, {
      status: 502,
      method: 'POST',
      pathPrefix: '/crm/objects/2026-03/tasks/batch/create',
      afterHandling: true,
    });
    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(account.id, {
        id: 'lost-1',
        direction: 'inbound',
        status: 'missed',
        from_number: '02 9374 6666',
        to_number: '+61 2 8000 0000',
        started_at: new Date(Date.now() - 60_000).toISOString(),
        agent: null,
      }),
    );
    await waitForFollowUpIdle(app, 570001, 60_000);
    expect(app.hubspot.requestsTo('POST', '/crm/objects/2026-03/tasks/batch/create')).toHaveLength(1);
    expect(app.hubspot.requestsTo('POST', '/crm/objects/2026-03/tasks/search').length).toBeGreaterThan(0);
    const hs = app.hubspot.portal(570001);
    expect(hs.tasks).toHaveLength(1);
    const row = await app.runtime.ctx.db.selectFrom('follow_up_tasks').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'open', hubspot_task_id: hs.tasks[0]!.id });
    // ...and the task created on the later attempt still has its call.
    const call = hs.calls.find((c) => c.properties.hs_call_external_id === 'lost-1')!;
    expect((hs.tasks[0]!.associations.calls ?? []).map((a) => a.id)).toEqual([call.id]);
  }, 120_000);

  it('a call first logged ringing (its end came after the waiting limit) gets its task when it ends missed', async () => {
    app = await startTestApp({ env: { CALL_WAITING_LIMIT_MS: '1000' } });
    const { account, owner } = await installAndConnect(app, 570003);
    await setMissedCalls(app, 570003, { fallbackOwnerId: owner.id });
    const [started, ...rest] = app.dialer.callLifecycle(account.id, {
      id: 'late-end',
      direction: 'inbound',
      status: 'missed',
      from_number: '02 9374 6677',
      to_number: '+61 2 8000 0000',
      started_at: new Date(Date.now() - 60_000).toISOString(),
      agent: null,
    });
    app.dialer.emitBatch(account.id, [started!]);
    const hs = app.hubspot.portal(570003);
    const sweep = callSweep(app.runtime.ctx).definition;
    const job = { jobId: 't', attempt: 1, isFinalAttempt: false, logger: app.runtime.ctx.logger };
    await eventually(async () => {
      await sweep.handle({}, { ...job, signal: new AbortController().signal });
      return hs.calls.some((c) => c.properties.hs_call_status === 'RINGING');
    }, 30_000);
    await waitForFollowUpIdle(app, 570003);
    expect(hs.tasks).toHaveLength(0); // still ringing: no task yet

    app.dialer.emitBatch(account.id, rest); // the end arrives after all: missed
    await waitForFollowUpIdle(app, 570003);
    await eventually(() => hs.calls[0]!.properties.hs_call_status === 'NO_ANSWER');
    await waitForFollowUpIdle(app, 570003);
    expect(hs.tasks).toHaveLength(1);
    expect(hs.tasks[0]!.properties.hs_task_subject).toBe('Call back +61293746677');
    expect((hs.tasks[0]!.associations.calls ?? []).map((a) => a.id)).toEqual([hs.calls[0]!.id]);
  }, 120_000);

  it('a portal installed before the properties existed gets them from the sweep', async () => {
    app = await startTestApp();
    await installAndConnect(app, 570002);
    const hs = app.hubspot.portal(570002);
    // As before this change: no "Dialer Sync" properties, no version recorded.
    hs.properties.splice(
      0,
      hs.properties.length,
      ...hs.properties.filter((p) => !p.name.startsWith('dialer_sync_')),
    );
    await app.runtime.ctx.db.deleteFrom('follow_up_portals').execute();
    // Should HubSpot refuse the batch as a whole because some exist, they go one by one.
    app.hubspot.failNext(1, {
      status: 409,
      method: 'POST',
      pathPrefix: '/crm/properties/2026-03/contacts/batch/create',
      body: {
        status: 'error',
        category: 'CONFLICT',
        message: 'Property named dialer_sync_x already exists.',
      },
    });
    const id = await installationId(app, 570002);
    await app.runtime.ctx.queue.send(matchSweepJob, { installationId: id }, { singletonKey: id });
    await waitForFollowUpIdle(app, 570002);
    await eventually(() => hs.properties.some((p) => p.name === 'dialer_sync_line_type'), 60_000);
    for (const p of DIALER_SYNC_PROPERTIES)
      expect(
        hs.properties.find((x) => x.name === p.name),
        p.name,
      ).toMatchObject({
        groupName: 'dialer_sync',
        type: p.type,
        fieldType: p.fieldType,
      });
    expect(hs.properties.find((p) => p.name === 'dialer_sync_line_type')!.options).toHaveLength(5);
    expect(app.hubspot.requestsTo('POST', /^\/crm\/properties\/2026-03\/contacts$/)).toHaveLength(
      DIALER_SYNC_PROPERTIES.length,
    );
    expect(hs.properties.find((p) => p.name === 'dialer_sync_do_not_call')).toMatchObject({
      type: 'bool',
      fieldType: 'booleancheckbox',
    });
  }, 90_000);
});
