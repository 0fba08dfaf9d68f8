import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { installAndConnect, waitForSyncIdle } from '../call-logging/test-setup.ts';
import {
  DAY_MS,
  activity,
  agents,
  call,
  hubspotCall,
  installationId,
  owners,
  waitForBackfill,
} from './test-helpers.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const start = () => startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('agents ↔ HubSpot owners', () => {
  it('maps agents by email in any case and lists state, owner, mapping source and last call', async () => {
    app = await start();
    const portal = 520001;
    const { account, agent, stranger, owner } = await installAndConnect(app, portal);
    const dee = app.dialer.addAgent(account.id, {
      name: 'Dee Disabled',
      email: 'dee@example.com',
      status: 'disabled',
    });
    const deeOwner = app.hubspot.addOwner(portal, {
      email: 'DEE@Example.com',
      firstName: 'Dee',
      userId: 903,
    });
    app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, { id: 'a-1' }, { answered: true }));
    await waitForSyncIdle(app, portal);

    expect((await call(app, 'POST', '/api/agents/refresh', portal)).status).toBe(200);
    const items = await agents(app, portal);
    expect(items.find((a) => a.agentId === agent.id)).toMatchObject({
      name: 'Ann Agent',
      email: 'ann.agent@example.com',
      status: 'active',
      ownerId: owner.id,
      ownerName: 'Ann Agent',
      state: 'mapped',
      mappingSource: 'auto',
    });
    expect(Date.parse(items.find((a) => a.agentId === agent.id)!.lastCallAt!)).toBeGreaterThan(
      Date.now() - 60_000,
    );
    expect(items.find((a) => a.agentId === stranger.id)).toMatchObject({
      ownerId: null,
      ownerName: null,
      state: 'waiting',
      mappingSource: 'none',
      lastCallAt: null,
    });
    expect(items.find((a) => a.agentId === dee.id)).toMatchObject({
      ownerId: deeOwner.id,
      state: 'disabled',
      mappingSource: 'auto',
    });
    expect(await owners(app, portal)).toEqual([
      { id: owner.id, email: 'ann.agent@example.com', name: 'Ann Agent' },
      { id: deeOwner.id, email: 'dee@example.com', name: 'Dee' },
    ]);
    // The product reads HubSpot users; it never creates them or changes permissions.
    expect(app.hubspot.requestsTo('*', /\/settings\/users|\/owners/).every((r) => r.method === 'GET')).toBe(
      true,
    );
  });

  it('maps an agent whose HubSpot user appears later on refresh; its calls of the last 7 days gain the owner in one batch', async () => {
    app = await start();
    const portal = 520002;
    const { account, stranger } = await installAndConnect(app, portal);
    const sam = { id: stranger.id, name: stranger.name, email: stranger.email };
    app.dialer.emitBatch(account.id, [
      ...app.dialer.callLifecycle(account.id, { id: 's-1', agent: sam }, { answered: true }),
      ...app.dialer.callLifecycle(account.id, { id: 's-2', agent: sam }, {}),
      ...app.dialer.callLifecycle(
        account.id,
        { id: 's-old', agent: sam, started_at: isoSeconds(Date.now() - 8 * DAY_MS) },
        {},
      ),
      ...app.dialer.callLifecycle(account.id, { id: 'ann-1' }, { answered: true }),
    ]);
    await waitForSyncIdle(app, portal);
    for (const id of ['s-1', 's-2', 's-old'])
      expect(hubspotCall(app, portal, id).properties.hubspot_owner_id ?? '').toBe('');
    const warnings = (await activity(app, portal, 's-1')).filter((e) => e.level === 'warning');
    expect(warnings.map((w) => w.message).join('\n')).toContain('Sam Stranger');

    const samOwner = app.hubspot.addOwner(portal, {
      email: 'Sam@ELSEWHERE.example',
      firstName: 'Sam',
      lastName: 'Stranger',
      userId: 902,
    });
    app.hubspot.clearRequests();
    const refreshed = await call<{ items: { agentId: string; state: string; ownerId: string }[] }>(
      app,
      'POST',
      '/api/agents/refresh',
      portal,
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.items.find((a) => a.agentId === stranger.id)).toMatchObject({
      state: 'mapped',
      ownerId: samOwner.id,
    });
    await waitForBackfill(app, portal);

    expect(hubspotCall(app, portal, 's-1').properties.hubspot_owner_id).toBe(samOwner.id);
    expect(hubspotCall(app, portal, 's-2').properties.hubspot_owner_id).toBe(samOwner.id);
    expect(hubspotCall(app, portal, 's-old').properties.hubspot_owner_id ?? '').toBe('');
    const updates = app.hubspot.requestsTo('POST', '/crm/objects/2026-03/calls/batch/update');
    expect(updates).toHaveLength(1);
    const inputs = (updates[0]!.body as { inputs: { id: string; properties: object }[] }).inputs;
    expect(inputs.map((i) => i.id).sort()).toEqual(
      [hubspotCall(app, portal, 's-1').id, hubspotCall(app, portal, 's-2').id].sort(),
    );
    expect(inputs[0]!.properties).toEqual({ hubspot_owner_id: samOwner.id });

    const rows = await app.runtime.ctx.db
      .selectFrom('calls')
      .select(['call_id', 'owner_id', 'properties'])
      .where('installation_id', '=', await installationId(app, portal))
      .execute();
    const byId = new Map(rows.map((r) => [r.call_id, r]));
    expect(byId.get('s-1')!.owner_id).toBe(samOwner.id);
    expect(byId.get('s-1')!.properties).toMatchObject({ hubspot_owner_id: samOwner.id });
    expect(byId.get('s-old')!.owner_id).toBeNull();
    expect((await activity(app, portal, 's-1')).map((e) => e.step)).toContain('owner_backfilled');
    expect((await activity(app, portal)).some((e) => e.step === 'owner_backfill')).toBe(true);

    // Nothing left to do: another refresh writes nothing.
    app.hubspot.clearRequests();
    await call(app, 'POST', '/api/agents/refresh', portal);
    await waitForBackfill(app, portal);
    expect(app.hubspot.requestsTo('POST', '/crm/objects/2026-03/calls/batch/update')).toHaveLength(0);
  });

  it('keeps a manual mapping through refreshes that would have matched otherwise; a manual owner reaches recent calls', async () => {
    app = await start();
    const portal = 520003;
    const { account, agent, stranger, owner } = await installAndConnect(app, portal);
    const boss = app.hubspot.addOwner(portal, {
      email: 'boss@example.com',
      firstName: 'Bea',
      lastName: 'Boss',
      userId: 904,
    });
    const nia = app.dialer.addAgent(account.id, { name: 'Nia New', email: 'nia@example.com' });
    await call(app, 'POST', '/api/agents/refresh', portal);
    const sam = { id: stranger.id, name: stranger.name, email: stranger.email };
    app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, { id: 'm-1', agent: sam }, {}));
    await waitForSyncIdle(app, portal);

    const ann = await call(app, 'PUT', `/api/agents/${agent.id}`, portal, { ownerId: boss.id });
    expect(ann).toMatchObject({
      status: 200,
      body: {
        agentId: agent.id,
        ownerId: boss.id,
        ownerName: 'Bea Boss',
        state: 'mapped',
        mappingSource: 'manual',
      },
    });
    const samPut = await call(app, 'PUT', `/api/agents/${stranger.id}`, portal, { ownerId: boss.id });
    expect(samPut.body).toMatchObject({ state: 'mapped', mappingSource: 'manual' });
    const niaPut = await call(app, 'PUT', `/api/agents/${nia.id}`, portal, { ownerId: null });
    expect(niaPut.body).toMatchObject({ ownerId: null, state: 'waiting', mappingSource: 'manual' });
    await waitForBackfill(app, portal);
    expect(hubspotCall(app, portal, 'm-1').properties.hubspot_owner_id).toBe(boss.id);

    // Nia's HubSpot user appears and Sam's email now matches an owner: auto-matching would change both.
    app.hubspot.addOwner(portal, { email: 'nia@example.com', userId: 905 });
    app.hubspot.addOwner(portal, { email: 'sam@elsewhere.example', userId: 906 });
    expect((await call(app, 'POST', '/api/agents/refresh', portal)).status).toBe(200);
    const after = await agents(app, portal);
    expect(after.find((a) => a.agentId === agent.id)).toMatchObject({
      ownerId: boss.id,
      mappingSource: 'manual',
    });
    expect(after.find((a) => a.agentId === stranger.id)).toMatchObject({
      ownerId: boss.id,
      mappingSource: 'manual',
    });
    expect(after.find((a) => a.agentId === nia.id)).toMatchObject({ ownerId: null, mappingSource: 'manual' });
    expect(owner.id).not.toBe(boss.id);

    // New calls follow the manual mapping; the change is in the activity log.
    app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, { id: 'm-2' }, { answered: true }));
    await waitForSyncIdle(app, portal);
    expect(hubspotCall(app, portal, 'm-2').properties.hubspot_owner_id).toBe(boss.id);
    const log = (await activity(app, portal)).filter((e) => e.step === 'agent_mapping_changed');
    expect(log.map((e) => e.message).join('\n')).toContain(
      'Agent Ann Agent mapped to the HubSpot owner Bea Boss',
    );
  });

  it("refuses another portal's owner id or an unknown one with 400 and changes nothing", async () => {
    app = await start();
    const { agent } = await installAndConnect(app, 520004);
    await installAndConnect(app, 520005);
    const foreign = app.hubspot.addOwner(520005, { id: '8800001', email: 'other@b.example', userId: 907 });
    await call(app, 'POST', '/api/agents/refresh', 520005);
    expect((await owners(app, 520005)).map((o) => o.id)).toContain(foreign.id);
    const before = await agents(app, 520004);
    const logBefore = await activity(app, 520004);

    for (const ownerId of [foreign.id, 'nope', '']) {
      const answer = await call<{ error: { code: string; message: string } }>(
        app,
        'PUT',
        `/api/agents/${agent.id}`,
        520004,
        { ownerId },
      );
      expect(answer.status, ownerId).toBe(400);
      expect(answer.body.error.code).toBe(ownerId ? 'unknown_owner' : 'invalid_request');
      if (ownerId) expect(answer.body.error.message).toContain(ownerId);
    }
    for (const body of [{}, { ownerId: 7 }, { ownerId: null, extra: true }, []]) {
      const answer = await call<{ error: { code: string } }>(
        app,
        'PUT',
        `/api/agents/${agent.id}`,
        520004,
        body,
      );
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
    const unknown = await call<{ error: { code: string } }>(app, 'PUT', '/api/agents/agt_nope', 520004, {
      ownerId: null,
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'unknown_agent' } } });

    expect(await agents(app, 520004)).toEqual(before);
    expect(await activity(app, 520004)).toEqual(logBefore);
    const jobs = await app.runtime.ctx.queue.raw.findJobs('mappings.backfill-owners', {
      key: await installationId(app, 520004),
    });
    expect(jobs).toHaveLength(0);
  });

  it('answers 409 before Dialer.io is connected', async () => {
    app = await start();
    app.hubspot.createPortal({ portalId: 520006 });
    await app.install(520006);
    app.hubspot.setUser(520006, 41, { superAdmin: true });
    const answer = await call<{ error: { code: string } }>(app, 'POST', '/api/agents/refresh', 520006);
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'dialer_not_connected' } } });
    await eventually(async () => (await agents(app!, 520006)).length === 0);
  });
});
