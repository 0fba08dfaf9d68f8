import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { DialerCall } from '../dialer/index.ts';
import { DIALER_SYNC_PROPERTIES } from './properties.ts';
import { installAndConnect, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const PORTAL = 530001;
const PHONES = [
  '+61 2 9374 4001',
  '+61 2 9374 4002',
  '+61 2 9374 4003',
  '+61 2 9374 4004',
  '+61 2 9374 4005',
];
const INBOUND = ['completed', 'missed', 'voicemail'] as const;
const OUTBOUND = ['completed', 'no_answer', 'busy'] as const;

interface Expected {
  direction: 'inbound' | 'outbound';
  at: number;
  outcome: string;
  agent: string;
}

/** The test's own rollups, computed from what it sent (not with the app's code). */
function expectedRollups(calls: Expected[]): Record<string, string> {
  const out: Record<string, string> = {};
  const byTime = [...calls].sort((a, b) => a.at - b.at);
  for (const direction of ['inbound', 'outbound'] as const) {
    const mine = byTime.filter((c) => c.direction === direction);
    out[`dialer_sync_total_${direction}_calls`] = String(mine.length);
    if (!mine.length) continue;
    out[`dialer_sync_first_${direction}_call_at`] = String(mine[0]!.at);
    out[`dialer_sync_last_${direction}_call_at`] = String(mine.at(-1)!.at);
    out[`dialer_sync_last_${direction}_call_disposition`] = mine.at(-1)!.outcome;
  }
  const last = byTime.at(-1)!;
  out.dialer_sync_last_call_at = String(last.at);
  out.dialer_sync_last_call_disposition = last.outcome;
  out.dialer_sync_last_agent = last.agent;
  return out;
}

const rollupsOf = (props: Record<string, string>) =>
  Object.fromEntries(Object.entries(props).filter(([k, v]) => k.startsWith('dialer_sync_') && v !== ''));

describe('call rollup properties', () => {
  it('are exactly right after 50 calls over 5 contacts delivered twice and shuffled; a late disposition changes them once', async () => {
    app = await startTestApp();
    const { account, agent, dispositions } = await installAndConnect(app, PORTAL);
    const hs = app.hubspot.portal(PORTAL);
    // The bootstrap job created the group and every property, with batch create.
    expect(hs.propertyGroups.map((g) => g.name)).toContain('dialer_sync');
    for (const p of DIALER_SYNC_PROPERTIES)
      expect(
        hs.properties.find((x) => x.name === p.name),
        p.name,
      ).toMatchObject({ groupName: 'dialer_sync' });
    expect(app.hubspot.requestsTo('POST', '/crm/properties/2026-03/contacts/batch/create')).toHaveLength(1);

    const contacts = PHONES.map((phone, i) =>
      app!.hubspot.addContact(PORTAL, { firstname: `C${i}`, lastname: 'Roll', phone }),
    );
    const base = Date.now() - 2 * 60 * 60 * 1000;
    const sent = new Map<string, Expected[]>(contacts.map((id) => [id, []]));
    const events = [];
    for (let i = 0; i < 50; i++) {
      const c = (i * 7) % 5;
      const direction = i % 3 === 0 ? 'inbound' : 'outbound';
      const status = direction === 'inbound' ? INBOUND[i % 3]! : OUTBOUND[i % 3]!;
      const at = base + ((i * 37) % 50) * 60_000; // distinct times, not in sending order
      const number = PHONES[c]!;
      const seed: Partial<DialerCall> = {
        id: `roll-${i}`,
        direction,
        status,
        started_at: new Date(at).toISOString(),
        ...(direction === 'inbound'
          ? { from_number: number, to_number: '+61 2 8000 0000' }
          : { to_number: number }),
      };
      const withDisposition = i % 4 === 0;
      events.push(
        ...app.dialer.callLifecycle(account.id, seed, {
          answered: status === 'completed',
          ...(withDisposition ? { disposition: dispositions.interested.id } : {}),
        }),
      );
      sent.get(contacts[c]!)!.push({
        direction,
        at,
        outcome: withDisposition ? dispositions.interested.name : status,
        agent: agent.name,
      });
    }
    app.dialer.emitBatch(account.id, events, { shuffle: true, duplicate: true });
    await waitForFollowUpIdle(app, PORTAL);

    expect(hs.calls).toHaveLength(50);
    for (const id of contacts)
      expect(rollupsOf(hs.contact(id)!.properties)).toEqual(expectedRollups(sent.get(id)!));
    // Coalesced per contact: never more than 100 per request, each contact at most once per request.
    for (const r of app.hubspot.requestsTo('POST', '/crm/objects/2026-03/contacts/batch/update')) {
      const ids = (r.body as { inputs: { id: string }[] }).inputs.map((i) => i.id);
      expect(ids.length).toBeLessThanOrEqual(100);
      expect(new Set(ids).size).toBe(ids.length);
    }

    // A late disposition of the contact's latest call: its "last disposition" fields change, once.
    const target = contacts[0]!;
    const latest = [...sent.get(target)!].sort((a, b) => b.at - a.at)[0]!;
    const latestIndex = [...Array(50).keys()].find(
      (i) => (i * 7) % 5 === 0 && base + ((i * 37) % 50) * 60_000 === latest.at,
    )!;
    app.hubspot.clearRequests();
    const late = app.dialer.callLifecycle(
      account.id,
      {
        id: `roll-${latestIndex}`,
        direction: latest.direction,
        status: latest.direction === 'inbound' ? INBOUND[latestIndex % 3] : OUTBOUND[latestIndex % 3],
        started_at: new Date(latest.at).toISOString(),
        ...(latest.direction === 'inbound' ? { from_number: PHONES[0] } : { to_number: PHONES[0] }),
      },
      { answered: true, disposition: dispositions.callback.id },
    );
    app.dialer.emitBatch(account.id, [late.at(-1)!], { duplicate: true });
    await waitForFollowUpIdle(app, PORTAL);
    latest.outcome = dispositions.callback.name;
    expect(rollupsOf(hs.contact(target)!.properties)).toEqual(expectedRollups(sent.get(target)!));
    const writes = app.hubspot
      .requestsTo('POST', '/crm/objects/2026-03/contacts/batch/update')
      .flatMap((r) => (r.body as { inputs: { id: string; properties: Record<string, string> }[] }).inputs)
      .filter((i) => i.id === target);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.properties).toEqual({
      dialer_sync_last_call_disposition: dispositions.callback.name,
      [`dialer_sync_last_${latest.direction}_call_disposition`]: dispositions.callback.name,
    });
  }, 90_000);

  it('a batch HubSpot refuses for one bad input goes again one by one', async () => {
    app = await startTestApp();
    const { account } = await installAndConnect(app, 530002);
    const hs = app.hubspot.portal(530002);
    const ids = PHONES.slice(0, 3).map((phone, i) =>
      app!.hubspot.addContact(530002, { firstname: `D${i}`, lastname: 'Split', phone }),
    );
    app.hubspot.failNext(1, {
      status: 400,
      method: 'POST',
      pathPrefix: '/crm/objects/2026-03/contacts/batch/update',
      body: { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid' },
    });
    const events = PHONES.slice(0, 3).flatMap((phone, i) =>
      app!.dialer.callLifecycle(
        account.id,
        {
          id: `split-${i}`,
          direction: 'outbound',
          to_number: phone,
          started_at: new Date(Date.now() - i * 60_000).toISOString(),
        },
        { answered: true },
      ),
    );
    app.dialer.emitBatch(account.id, events);
    await waitForFollowUpIdle(app, 530002);
    for (const id of ids) expect(hs.contact(id)!.properties.dialer_sync_total_outbound_calls).toBe('1');
    const updates = app.hubspot.requestsTo('POST', '/crm/objects/2026-03/contacts/batch/update');
    const refused = updates.findIndex((r) => r.status === 400);
    const size = (i: number) => (updates[i]!.body as { inputs: unknown[] }).inputs.length;
    expect(refused).toBeGreaterThanOrEqual(0);
    const retried = Array.from({ length: size(refused) }, (_, k) => size(refused + 1 + k));
    expect(retried).toEqual(Array(size(refused)).fill(1));
  }, 90_000);
});
