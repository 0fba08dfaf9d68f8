import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, installAndConnect, setMissedCalls, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

describe('missed-call tasks: an unknown number when contact sync may create contacts', () => {
  it('creation "both": a new non-marketing contact with the number, the call on it, a task on it for the fallback owner', async () => {
    app = await startTestApp();
    const { account, owner } = await installAndConnect(app, 540005);
    await setMissedCalls(app, 540005, { fallbackOwnerId: owner.id });
    const set = await app.api('PATCH', '/api/settings', {
      portalId: 540005,
      userId: ADMIN,
      body: { contactSync: { creation: 'both' } },
    });
    expect(set.status).toBe(200);
    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(account.id, {
        id: 'both-1',
        direction: 'inbound',
        status: 'missed',
        from_number: '02 9374 8888',
        to_number: '+61 2 8000 0000',
        started_at: minutesAgo(5),
        agent: null,
      }),
    );
    await waitForFollowUpIdle(app, 540005);
    const hs = app.hubspot.portal(540005);
    expect(hs.contacts).toHaveLength(1);
    const contact = hs.contacts[0]!;
    expect(contact.properties).toMatchObject({ phone: '+61293748888', hs_marketable_status: 'false' });
    expect(hs.calls[0]!.associations.contacts!.map((a) => a.id)).toEqual([contact.id]);
    expect(hs.tasks).toHaveLength(1);
    expect(hs.tasks[0]!.properties).toMatchObject({
      hs_task_subject: 'Call back +61293748888',
      hubspot_owner_id: owner.id,
    });
    expect(hs.tasks[0]!.associations.contacts!.map((a) => a.id)).toEqual([contact.id]);
    expect(contact.properties.dialer_sync_total_inbound_calls).toBe('1');
  }, 120_000);

  it("a lost answer (HubSpot made the contact, then answered 502) makes no second contact; an agent with an owner: the task is still the fallback owner's", async () => {
    app = await startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
    const { account, owner } = await installAndConnect(app, 540006);
    const boss = app.hubspot.addOwner(540006, { email: 'boss@example.com', firstName: 'Top', userId: 950 });
    expect((await app.api('POST', '/api/agents/refresh', { portalId: 540006, userId: ADMIN })).status).toBe(
      200,
    );
    await setMissedCalls(app, 540006, { fallbackOwnerId: boss.id });
    const set = await app.api('PATCH', '/api/settings', {
      portalId: 540006,
      userId: ADMIN,
      body: { contactSync: { creation: 'both' } },
    });
    expect(set.status).toBe(200);
    app.hubspot.failNext(1, {
      status: 502,
      method: 'POST',
      pathPrefix: '/crm/objects/2026-03/contacts/batch/create',
      afterHandling: true,
    });
    const missed = (id: string, from: string) =>
      app!.dialer.callLifecycle(account.id, {
        id,
        direction: 'inbound',
        status: 'missed',
        from_number: from,
        to_number: '+61 2 8000 0000',
        started_at: minutesAgo(5),
      }); // taken by Ann's agent, mapped to Ann
    app.dialer.emitBatch(account.id, [
      ...missed('lost-a', '02 9374 8801'),
      ...missed('lost-b', '02 9374 8802'),
    ]);
    await waitForFollowUpIdle(app, 540006, 60_000);

    const hs = app.hubspot.portal(540006);
    expect(hs.contacts.map((c) => c.properties.phone).sort()).toEqual(['+61293748801', '+61293748802']);
    for (const creates of app.hubspot.requestsTo('POST', '/crm/objects/2026-03/contacts/batch/create'))
      for (const input of (
        creates.body as { inputs: { objectWriteTraceId?: string; properties: { phone: string } }[] }
      ).inputs)
        expect(input.objectWriteTraceId).toBe(input.properties.phone);
    expect(hs.tasks).toHaveLength(2);
    for (const [callId, phone] of [
      ['lost-a', '+61293748801'],
      ['lost-b', '+61293748802'],
    ]) {
      const contact = hs.contacts.find((c) => c.properties.phone === phone)!;
      const call = hs.calls.find((c) => c.properties.hs_call_external_id === callId)!;
      expect(call.associations.contacts!.map((a) => a.id)).toEqual([contact.id]);
      const task = hs.tasks.find((t) => t.associations.contacts?.[0]?.id === contact.id)!;
      expect(task.properties.hubspot_owner_id).toBe(boss.id);
      expect(task.properties.hubspot_owner_id).not.toBe(owner.id);
      expect(task.associations.calls!.map((a) => a.id)).toEqual([call.id]);
    }
  }, 120_000);
});
