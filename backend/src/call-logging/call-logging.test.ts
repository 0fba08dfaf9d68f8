import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { FAST_RECOVERY_ENV } from './test-recovery-setup.ts';
import { ADMIN, installAndConnect, waitForSyncIdle } from './test-setup.ts';

interface ActivityPage {
  items: { step: string; message: string; details: { properties: Record<string, string> } }[];
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const start = (env: Record<string, string> = {}) =>
  startTestApp({ env: { ...FAST_RECOVERY_ENV, HUBSPOT_SEARCH_INDEX_DELAY_MS: '300', ...env } });

describe('logging Dialer.io calls in HubSpot', { timeout: 90_000 }, () => {
  it('logs each direction and status with the exact properties, owner, outcome and contact', async () => {
    app = await start();
    const { account, agent } = await installAndConnect(app, 510001);
    const jane = app.hubspot.addContact(510001, {
      firstname: 'Jane',
      lastname: 'Doe',
      phone: '+61 2 9374 4000',
    });
    app.dialer.addList(account.id, { id: 'list_spring', name: 'Spring campaign' });
    const scenarios = [
      {
        seed: {
          id: 'c-out-ok',
          direction: 'outbound' as const,
          to_number: '02 9374 4000',
          from_number: '+61 2 8000 0000',
        },
        opts: { answered: true },
        status: 'COMPLETED',
        outcome: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
        dir: 'OUTBOUND',
      },
      {
        seed: {
          id: 'c-in-missed',
          direction: 'inbound' as const,
          from_number: '(02) 9374-4000',
          to_number: '+61 2 8000 0000',
        },
        opts: {},
        status: 'NO_ANSWER',
        outcome: '73a0d17f-1163-4015-bdd5-ec830791da20',
        dir: 'INBOUND',
      },
      {
        seed: {
          id: 'c-out-vm',
          direction: 'outbound' as const,
          to_number: '+61 2 9374 4000',
          status: 'voicemail' as const,
        },
        opts: {},
        status: 'COMPLETED',
        outcome: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
        dir: 'OUTBOUND',
      },
      {
        seed: {
          id: 'c-out-busy',
          direction: 'outbound' as const,
          to_number: '02 9374 4000',
          status: 'busy' as const,
        },
        opts: {},
        status: 'BUSY',
        outcome: '9d9162e7-6cf3-4944-bf63-4dff82258764',
        dir: 'OUTBOUND',
      },
      {
        seed: {
          id: 'c-out-na',
          direction: 'outbound' as const,
          to_number: '02 9374 4000',
          list_id: 'list_spring',
        },
        opts: {},
        status: 'NO_ANSWER',
        outcome: '73a0d17f-1163-4015-bdd5-ec830791da20',
        dir: 'OUTBOUND',
      },
    ];
    for (const s of scenarios)
      app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, s.seed, s.opts));
    await waitForSyncIdle(app, 510001);

    const calls = app.hubspot.portal(510001).calls;
    expect(calls).toHaveLength(scenarios.length);
    const owner = app.hubspot.portal(510001).owners.find((o) => o.email === 'ann.agent@example.com')!;
    for (const s of scenarios) {
      const call = calls.find((c) => c.properties.hs_call_external_id === s.seed.id)!;
      expect(call, s.seed.id).toBeDefined();
      expect(call.properties).toMatchObject({
        hs_call_status: s.status,
        hs_call_direction: s.dir,
        hs_call_disposition: s.outcome,
        hubspot_owner_id: String(owner.id),
        hs_call_title: s.dir === 'OUTBOUND' ? 'Outbound call to Jane Doe' : 'Inbound call from Jane Doe',
      });
      expect(call.associations.contacts?.map((a) => a.id)).toEqual([jane]);
      expect(call.associations.contacts?.[0]?.types[0]).toMatchObject({ associationTypeId: 194 });
    }
    const answered = calls.find((c) => c.properties.hs_call_external_id === 'c-out-ok')!;
    // Dialer.io's web-app link is for people (in the body); the recording plays through our endpoint.
    expect(answered.properties.hs_call_recording_url).toBeUndefined();
    expect(answered.properties.hs_call_body).toContain(
      'Open in Dialer.io: https://recordings.dialer.io/c-out-ok.mp3',
    );
    expect(answered.properties).toMatchObject({
      hs_call_source: 'INTEGRATIONS_PLATFORM',
      hs_call_app_id: '424242',
    });
    expect(Number(answered.properties.hs_call_duration)).toBe(103_000);
    expect(answered.properties.hs_call_to_number).toBe('+61293744000');
    expect(answered.properties.hs_call_body).toContain(`Agent: ${agent.name}`);
    // A list made after connecting is named once the mirror caught up (the call never waits for it).
    await eventually(() =>
      calls
        .find((c) => c.properties.hs_call_external_id === 'c-out-na')!
        .properties.hs_call_body?.includes('Dialer.io list: Spring campaign'),
    );
    // The three AU formats found the one contact; logging never creates contacts.
    expect(app.hubspot.portal(510001).contacts).toHaveLength(1);
    expect(app.hubspot.requestsTo('POST', /\/crm\/objects\/2026-03\/contacts$/)).toHaveLength(0);
  });

  it('every event twice and shuffled: exactly one HubSpot call per Dialer.io call, with the final fields', async () => {
    app = await start();
    const { account, dispositions } = await installAndConnect(app, 510002);
    const events = Array.from({ length: 12 }, (_, i) =>
      app!.dialer.callLifecycle(
        account.id,
        { id: `dup-${i}`, to_number: `02 9374 40${String(i).padStart(2, '0')}` },
        { answered: true, disposition: dispositions.interested.id, notes: `Notes ${i}` },
      ),
    ).flat();
    app.dialer.emitBatch(account.id, events, { shuffle: true, duplicate: true });
    await waitForSyncIdle(app, 510002);
    const calls = app.hubspot.portal(510002).calls;
    expect(calls).toHaveLength(12);
    for (let i = 0; i < 12; i++) {
      const matching = calls.filter((c) => c.properties.hs_call_external_id === `dup-${i}`);
      expect(matching).toHaveLength(1);
      expect(matching[0]!.properties).toMatchObject({
        hs_call_status: 'COMPLETED',
        hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
      });
      expect(matching[0]!.properties.hs_call_body).toContain(`Notes ${i}`);
    }
    // Batched: far fewer HubSpot writes than calls.
    expect(app.hubspot.requestsTo('POST', '/crm/objects/2026-03/calls/batch/create').length).toBeLessThan(12);
  });

  it('logs an unmapped agent without an owner and warns, and names a missing outcome', async () => {
    app = await start();
    const { account, stranger, dispositions } = await installAndConnect(app, 510003);
    const agent = { id: stranger.id, name: stranger.name, email: stranger.email };
    const events = app.dialer.callLifecycle(
      account.id,
      { id: 'c-unmapped', agent },
      { answered: true, disposition: dispositions.callback.id },
    );
    const disposition = events.pop()!; // the agent's wrap-up comes after the call is logged
    app.dialer.emitBatch(account.id, events);
    await waitForSyncIdle(app, 510003);
    const call = app.hubspot
      .portal(510003)
      .calls.find((c) => c.properties.hs_call_external_id === 'c-unmapped')!;
    expect(call.properties.hs_call_disposition).toBe('f240bbac-87c9-4f6e-bf70-924b57d47db7'); // no disposition yet
    app.dialer.emitBatch(account.id, [disposition]);
    await waitForSyncIdle(app, 510003);
    expect(call.properties.hubspot_owner_id ?? '').toBe('');
    // The unmapped disposition: logged without an outcome (the status outcome written with the
    // call's end is cleared when the disposition comes). Nothing empty is ever created.
    expect(call.properties.hs_call_disposition ?? '').toBe('');
    for (const request of app.hubspot.requestsTo('POST', /\/calls\/batch\/(create|update)$/))
      for (const input of (request.body as { inputs: { properties: Record<string, string> }[] }).inputs)
        expect(input.properties.hubspot_owner_id).not.toBe('');
    for (const request of app.hubspot.requestsTo('POST', /\/calls\/batch\/create$/))
      for (const input of (request.body as { inputs: { properties: Record<string, string> }[] }).inputs)
        expect(input.properties.hs_call_disposition).not.toBe('');
    const log = (await (
      await app.api('GET', '/api/activity?callId=c-unmapped&level=warning', { portalId: 510003, userId: 1 })
    ).json()) as ActivityPage;
    const messages = log.items.map((i: { message: string }) => i.message).join('\n');
    expect(messages).toContain('Sam Stranger');
    expect(messages).toContain("Create the outcome 'Callback requested' in HubSpot");
  });

  it('maps a disposition made in Dialer.io after connecting by its name', async () => {
    app = await start();
    const { account } = await installAndConnect(app, 510006);
    const disposition = { id: 'disp_made_later', name: 'Wrong-Number' };
    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(account.id, { id: 'c-new-disp' }, { answered: true, disposition }),
    );
    await waitForSyncIdle(app, 510006);
    const call = app.hubspot
      .portal(510006)
      .calls.find((c) => c.properties.hs_call_external_id === 'c-new-disp')!;
    expect(call.properties.hs_call_disposition).toBe('17b47fee-58de-441e-a44c-c6300d46f273');
  });

  it('debug mode: zero writes reach HubSpot, the log shows the would-be call, and it is never written later', async () => {
    app = await start();
    const { account } = await installAndConnect(app, 510004);
    app.hubspot.addContact(510004, { firstname: 'Jane', lastname: 'Doe', phone: '+61 2 9374 4000' });
    expect(
      (
        await app.api('PATCH', '/api/settings', {
          portalId: 510004,
          userId: ADMIN,
          body: { debugMode: true },
        })
      ).status,
    ).toBe(200);
    app.hubspot.clearRequests();
    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(account.id, { id: 'c-debug', to_number: '02 9374 4000' }, { answered: true }),
    );
    await waitForSyncIdle(app, 510004);
    await eventually(async () => {
      const log = (await (
        await app!.api('GET', '/api/activity?callId=c-debug', { portalId: 510004, userId: 1 })
      ).json()) as ActivityPage;
      return log.items.some((i: { step: string }) => i.step === 'debug_skipped');
    });
    expect(app.hubspot.writeRequests()).toHaveLength(0);
    const log = (await (
      await app.api('GET', '/api/activity?callId=c-debug', { portalId: 510004, userId: 1 })
    ).json()) as ActivityPage;
    const wouldBe = log.items.find((i: { step: string }) => i.step === 'debug_skipped');
    expect(wouldBe!.details.properties).toMatchObject({
      hs_call_title: 'Outbound call to Jane Doe',
      hs_call_external_id: 'c-debug',
    });
    await app.api('PATCH', '/api/settings', { portalId: 510004, userId: ADMIN, body: { debugMode: false } });
    app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, { id: 'c-after' }, {}));
    await waitForSyncIdle(app, 510004);
    expect(app.hubspot.portal(510004).calls.map((c) => c.properties.hs_call_external_id)).toEqual([
      'c-after',
    ]);
  });

  it('creates the call once when the answer to the create is lost (the process dies before our commit)', async () => {
    app = await start();
    const { account } = await installAndConnect(app, 510005);
    // HubSpot creates the calls, then the connection drops before we hear the answer.
    app.hubspot.failNext(1, {
      status: 502,
      pathPrefix: '/crm/objects/2026-03/calls/batch/create',
      afterHandling: true,
    });
    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(account.id, { id: 'c-lost' }, { answered: true }),
    );
    await waitForSyncIdle(app, 510005);
    const calls = app.hubspot
      .portal(510005)
      .calls.filter((c) => c.properties.hs_call_external_id === 'c-lost');
    expect(calls).toHaveLength(1);
    const log = (await (
      await app.api('GET', '/api/activity?callId=c-lost', { portalId: 510005, userId: 1 })
    ).json()) as ActivityPage;
    expect(log.items.map((i: { step: string }) => i.step)).toContain('hubspot_recovered');
  });
});
