import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { SimObject } from '../../test/simulators/hubspot/index.ts';
import type { DialerCall } from '../dialer/index.ts';
import { ADMIN, installAndConnect, setMissedCalls, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const LINE = '+61 2 8000 0000';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

async function setup(portalId: number) {
  app = await startTestApp();
  const connected = await installAndConnect(app, portalId);
  const boss = app.hubspot.addOwner(portalId, {
    email: 'boss@example.com',
    firstName: 'Top',
    lastName: 'Manager',
    userId: 950,
  });
  const refreshed = await app.api('POST', '/api/agents/refresh', { portalId, userId: ADMIN });
  expect(refreshed.status).toBe(200);
  await setMissedCalls(app, portalId, { fallbackOwnerId: boss.id, dueMinutes: 30 });
  return { ...connected, boss, hs: app.hubspot.portal(portalId) };
}

/** Delivers one call's events and waits until its follow-up is done. */
async function call(portalId: number, accountId: string, seed: Partial<DialerCall>, answered = false) {
  app!.dialer.emitBatch(accountId, app!.dialer.callLifecycle(accountId, seed, { answered }));
  await waitForFollowUpIdle(app!, portalId);
}

const missedFrom = (
  id: string,
  from: string,
  m: number,
  extra: Partial<DialerCall> = {},
): Partial<DialerCall> => ({
  id,
  direction: 'inbound',
  status: 'missed',
  from_number: from,
  to_number: LINE,
  started_at: minutesAgo(m),
  ...extra,
});

const assocIds = (o: SimObject, type: 'contacts' | 'calls') => (o.associations[type] ?? []).map((a) => a.id);
const callId = (hs: { calls: SimObject[] }, externalId: string) =>
  hs.calls.find((c) => c.properties.hs_call_external_id === externalId)!.id;

describe('missed-call tasks', () => {
  it('a known contact: for its owner, else the agent’s owner, else the fallback owner', async () => {
    const { account, owner, boss, hs } = await setup(540001);
    const olga = app!.hubspot.addOwner(540001, { email: 'olga@example.com', userId: 960 });
    const jane = app!.hubspot.addContact(540001, {
      firstname: 'Jane',
      lastname: 'Doe',
      phone: '+61 2 9374 4000',
      hubspot_owner_id: olga.id,
    });
    const ned = app!.hubspot.addContact(540001, {
      firstname: 'Ned',
      lastname: 'Noowner',
      phone: '+61 2 9374 4010',
    });
    const vic = app!.hubspot.addContact(540001, {
      firstname: 'Vic',
      lastname: 'Voicemail',
      phone: '+61 2 9374 4020',
    });

    await call(540001, account.id, missedFrom('m-jane', '02 9374 4000', 10));
    await call(540001, account.id, missedFrom('m-ned', '02 9374 4010', 9));
    await call(
      540001,
      account.id,
      missedFrom('m-vic', '02 9374 4020', 8, { status: 'voicemail', agent: null }),
    );

    expect(hs.tasks).toHaveLength(3);
    const task = (subject: string) => hs.tasks.find((t) => t.properties.hs_task_subject === subject)!;
    const janeTask = task('Call back Jane Doe');
    expect(janeTask.properties).toMatchObject({
      hs_task_type: 'CALL',
      hs_task_status: 'NOT_STARTED',
      hubspot_owner_id: olga.id,
    });
    expect(assocIds(janeTask, 'contacts')).toEqual([jane]);
    expect(janeTask.associations.contacts![0]!.types[0]!.associationTypeId).toBe(204);
    expect(assocIds(janeTask, 'calls')).toEqual([callId(hs, 'm-jane')]);
    const callAt = Date.parse(hs.call(callId(hs, 'm-jane'))!.properties.hs_timestamp!);
    expect(Date.parse(janeTask.properties.hs_timestamp!)).toBe(callAt + 30 * 60_000);
    expect(janeTask.properties.hs_task_body).toContain('+61293744000');
    expect(janeTask.properties.hs_task_body).toContain('+61280000000');
    expect(janeTask.properties.hs_task_body).toContain(new Date(callAt).toISOString().slice(11, 16));

    expect(task('Call back Ned Noowner').properties.hubspot_owner_id).toBe(owner.id);
    expect(assocIds(task('Call back Ned Noowner'), 'contacts')).toEqual([ned]);
    expect(task('Call back Vic Voicemail').properties.hubspot_owner_id).toBe(boss.id);
    expect(assocIds(task('Call back Vic Voicemail'), 'contacts')).toEqual([vic]);
    // Answered and outbound calls make no task.
    await call(
      540001,
      account.id,
      { id: 'ok-1', direction: 'outbound', to_number: '02 9374 4010', started_at: minutesAgo(5) },
      true,
    );
    expect(hs.tasks).toHaveLength(3);
  }, 120_000);

  it('repeated misses update the open task; completing it or answering ends the episode', async () => {
    const { account, hs } = await setup(540002);
    app!.hubspot.addContact(540002, { firstname: 'Rita', lastname: 'Repeat', phone: '+61 2 9374 4100' });
    for (const [i, m] of [30, 20, 10].entries())
      await call(540002, account.id, missedFrom(`r-${i}`, '02 9374 4100', m));
    expect(hs.tasks).toHaveLength(1);
    const first = hs.tasks[0]!;
    expect(first.properties.hs_task_body).toContain('Missed calls from this number: 3');
    expect(assocIds(first, 'calls').sort()).toEqual(['r-0', 'r-1', 'r-2'].map((id) => callId(hs, id)).sort());

    first.properties.hs_task_status = 'COMPLETED'; // done in HubSpot
    await call(540002, account.id, missedFrom('r-3', '02 9374 4100', 5));
    expect(hs.tasks).toHaveLength(2);
    const second = hs.tasks.find((t) => t.id !== first.id)!;
    expect(second.properties.hs_task_body).not.toContain('Missed calls from this number');
    expect(first.properties.hs_task_body).toContain('Missed calls from this number: 3');

    // An answered call with the number ends the episode too: the next miss is a new task.
    await call(
      540002,
      account.id,
      { id: 'r-ok', direction: 'outbound', to_number: '02 9374 4100', started_at: minutesAgo(4) },
      true,
    );
    await call(540002, account.id, missedFrom('r-4', '02 9374 4100', 3));
    expect(hs.tasks).toHaveLength(3);
  }, 120_000);

  it('an unknown number: a task carrying the number for the fallback owner; an unmapped agent: one task', async () => {
    const { account, owner, stranger, boss, hs } = await setup(540003);
    await call(540003, account.id, missedFrom('u-1', '02 9374 4999', 10, { agent: null }));
    expect(hs.tasks).toHaveLength(1);
    expect(hs.tasks[0]!.properties).toMatchObject({
      hs_task_subject: 'Call back +61293744999',
      hubspot_owner_id: boss.id,
    });
    expect(hs.tasks[0]!.associations.contacts).toBeUndefined();
    // Taken by an agent with an owner (Ann): still the fallback owner's, as the settings say.
    await call(540003, account.id, missedFrom('u-2', '02 9374 4998', 9));
    expect(hs.tasks).toHaveLength(2);
    const annsCall = hs.tasks.find((t) => t.properties.hs_task_subject === 'Call back +61293744998')!;
    expect(annsCall.properties.hubspot_owner_id).toBe(boss.id);
    expect(annsCall.properties.hubspot_owner_id).not.toBe(owner.id);
    expect(hs.contacts).toHaveLength(0); // creation is "hubspot_to_dialer": no contact made

    const sam = { id: stranger.id, name: stranger.name, email: stranger.email };
    for (const [i, m] of [9, 8, 7].entries())
      await call(
        540003,
        account.id,
        {
          id: `s-${i}`,
          direction: 'outbound',
          to_number: '02 9374 5000',
          started_at: minutesAgo(m),
          agent: sam,
        },
        true,
      );
    const agentTasks = hs.tasks.filter(
      (t) => t.properties.hs_task_subject === 'Map Dialer.io agent Sam Stranger',
    );
    expect(agentTasks).toHaveLength(1);
    expect(agentTasks[0]!.properties.hubspot_owner_id).toBe(boss.id);
    expect(agentTasks[0]!.properties.hs_task_body).toContain('sam@elsewhere.example');
  }, 120_000);

  it('missedCalls settings: defaults, a fallback owner of this portal only, super admin only', async () => {
    app = await startTestApp();
    await installAndConnect(app, 540004);
    const get = await app.api('GET', '/api/settings', { portalId: 540004, userId: ADMIN });
    expect((await get.json()) as unknown).toMatchObject({
      debugMode: false,
      missedCalls: { enabled: true, dueMinutes: 60, fallbackOwnerId: null },
    });
    const bad = await app.api('PATCH', '/api/settings', {
      portalId: 540004,
      userId: ADMIN,
      body: { missedCalls: { fallbackOwnerId: '999999', dueMinutes: 15 } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unknown_owner');
    app.hubspot.setUser(540004, 77, { superAdmin: false });
    const owner = app.hubspot.portal(540004).owners[0]!;
    const notAdmin = await app.api('PATCH', '/api/settings', {
      portalId: 540004,
      userId: 77,
      body: { missedCalls: { fallbackOwnerId: owner.id } },
    });
    expect(notAdmin.status).toBe(403);
    const after = await app.api('GET', '/api/settings', { portalId: 540004, userId: ADMIN });
    expect(((await after.json()) as { missedCalls: unknown }).missedCalls).toEqual({
      enabled: true,
      dueMinutes: 60,
      fallbackOwnerId: null,
    });
    const ok = await app.api('PATCH', '/api/settings', {
      portalId: 540004,
      userId: ADMIN,
      body: { missedCalls: { fallbackOwnerId: owner.id, enabled: false } },
    });
    expect(((await ok.json()) as { missedCalls: unknown }).missedCalls).toEqual({
      enabled: false,
      dueMinutes: 60,
      fallbackOwnerId: owner.id,
    });
  }, 60_000);
});
