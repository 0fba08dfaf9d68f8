import { afterEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { drainPortal } from './drain.ts';
import { ClaimLostError, claimPortal } from './state-machine.ts';
import { installAndConnect, waitForSyncIdle } from './test-setup.ts';
import { callStates, hubspotCallCounts, startRecoveryApp } from './test-recovery-setup.ts';

// Findings 4, 6 and 7 of issue 9: fencing, country-aware matching, writing only what we own.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const CALLS_WRITE = /\/calls\/batch\/(create|update)$/;

describe('fencing (finding 4)', { timeout: 120_000 }, () => {
  it('a worker that lost its claim, or whose job was aborted, writes nothing; the new holder writes everything', async () => {
    app = await startRecoveryApp({ workers: false });
    const { account } = await installAndConnect(app, 550001);
    app.dialer.emitBatch(
      account.id,
      Array.from({ length: 3 }, (_, i) => app!.dialer.callLifecycle(account.id, { id: `f-${i}` }, {})).flat(),
    );
    await app.dialer.waitForDeliveries();
    const ctx = app.runtime.ctx;
    const installation = (await findInstallationByPortal(ctx.db, 550001))!;
    const live = new AbortController().signal;

    const stalled = await claimPortal(ctx.db, installation.id);
    const replacement = await claimPortal(ctx.db, installation.id); // heartbeat lost: job taken over
    await expect(drainPortal(ctx, installation, stalled, live)).rejects.toThrow(ClaimLostError);
    const aborted = AbortSignal.abort();
    await expect(drainPortal(ctx, installation, replacement, aborted)).rejects.toThrow(ClaimLostError);
    expect(app.hubspot.requestsTo('POST', CALLS_WRITE)).toHaveLength(0);
    expect(await callStates(app, 550001)).toEqual({});

    await drainPortal(ctx, installation, replacement, live);
    expect([...hubspotCallCounts(app, 550001).values()]).toEqual([1, 1, 1]);
    // The stalled worker wakes up after the writes: it still cannot change a call.
    await expect(drainPortal(ctx, installation, stalled, live)).rejects.toThrow(ClaimLostError);
    expect(Object.values(await callStates(app, 550001))).toEqual(['synced', 'synced', 'synced']);
  });
});

describe('country-aware matching (finding 6)', { timeout: 120_000 }, () => {
  it('+44 20 7946 0958 does not match a US contact at +1 207-946-0958; the UK contact does', async () => {
    app = await startRecoveryApp();
    const { account } = await installAndConnect(app, 550002, 'US');
    app.hubspot.addContact(550002, { firstname: 'Uma', lastname: 'US', phone: '+1 207-946-0958' });
    const inbound = (id: string) =>
      app!.dialer.callLifecycle(
        account.id,
        { id, direction: 'inbound', from_number: '+44 20 7946 0958' },
        {},
      );
    app.dialer.emitBatch(account.id, inbound('uk-1'));
    await waitForSyncIdle(app, 550002);
    const first = app.hubspot.portal(550002).calls.find((c) => c.properties.hs_call_external_id === 'uk-1')!;
    expect(first.associations.contacts ?? []).toEqual([]);

    const ukContact = app.hubspot.addContact(550002, {
      firstname: 'Ula',
      lastname: 'UK',
      phone: '+44 20 7946 0958',
    });
    await app.runtime.ctx.db.deleteFrom('phone_lookups').execute(); // the miss is cached for 2 minutes
    await new Promise((resolve) => setTimeout(resolve, 250)); // search index delay
    app.dialer.emitBatch(account.id, inbound('uk-2'));
    await waitForSyncIdle(app, 550002);
    const second = app.hubspot.portal(550002).calls.find((c) => c.properties.hs_call_external_id === 'uk-2')!;
    expect(second.associations.contacts?.map((a) => a.id)).toEqual([ukContact]);
  });
});

describe('write only what we own (finding 7)', { timeout: 120_000 }, () => {
  it('a later event never blanks the owner or outcome a user set in HubSpot, and sends only changed fields', async () => {
    app = await startRecoveryApp();
    const { account, stranger, owner, dispositions } = await installAndConnect(app, 550003);
    const sam = { id: stranger.id, name: stranger.name, email: stranger.email }; // not mapped
    const events = app.dialer.callLifecycle(
      account.id,
      { id: 'own-1', agent: sam },
      { answered: true, disposition: dispositions.callback.id, notes: 'Call back Tuesday' }, // unmapped
    );
    const late = events.pop()!;
    app.dialer.emitBatch(account.id, events);
    await waitForSyncIdle(app, 550003);
    const call = app.hubspot.portal(550003).calls.find((c) => c.properties.hs_call_external_id === 'own-1')!;
    // A user assigns the call and changes its outcome in HubSpot.
    call.properties.hubspot_owner_id = owner.id;
    call.properties.hs_call_disposition = 'b2cf5968-551e-4856-9783-52b3da59a7d0';
    app.hubspot.clearRequests();

    app.dialer.emitBatch(account.id, [late]);
    await waitForSyncIdle(app, 550003);
    const updates = app.hubspot.requestsTo('POST', '/crm/objects/2026-03/calls/batch/update');
    expect(updates).toHaveLength(1);
    const sent = (updates[0]!.body as { inputs: { properties: Record<string, string> }[] }).inputs[0]!
      .properties;
    expect(Object.keys(sent).sort()).toEqual(['hs_call_body']);
    expect(call.properties.hubspot_owner_id).toBe(owner.id);
    expect(call.properties.hs_call_disposition).toBe('b2cf5968-551e-4856-9783-52b3da59a7d0');
    expect(call.properties.hs_call_body).toContain('Call back Tuesday');
  });
});
