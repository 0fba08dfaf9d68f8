import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { activitySteps } from '../call-logging/test-recovery-setup.ts';
import type { DialerCall } from '../dialer/index.ts';
import { ADMIN, installAndConnect, setMissedCalls, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const inbound = (id: string, from: string, m: number): Partial<DialerCall> => ({
  id,
  direction: 'inbound',
  from_number: from,
  to_number: '+61 2 8000 0000',
  started_at: minutesAgo(m),
});

async function unmatchedCalls(portalId: number, ...seeds: Partial<DialerCall>[]) {
  app = await startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
  const connected = await installAndConnect(app, portalId);
  await setMissedCalls(app, portalId, { enabled: false });
  for (const seed of seeds)
    app.dialer.emitBatch(
      connected.account.id,
      app.dialer.callLifecycle(connected.account.id, seed, { answered: true }),
    );
  await waitForFollowUpIdle(app, portalId);
  return { ...connected, hs: app.hubspot.portal(portalId) };
}

const contactOf = (id: string) =>
  app!.runtime.ctx.db
    .selectFrom('calls')
    .select('contact_id')
    .where('call_id', '=', id)
    .executeTakeFirstOrThrow()
    .then((r) => r.contact_id);

describe('unmatched calls under faults', () => {
  it('a link HubSpot refuses (its call deleted there) is not recorded as made; the others are', async () => {
    const portal = 560101;
    const { hs } = await unmatchedCalls(
      portal,
      inbound('k-1', '02 9374 3131', 20),
      inbound('k-2', '02 9374 3131', 10),
    );
    const kim = app!.hubspot.addContact(portal, { firstname: 'Kim', lastname: 'Known' });
    const gone = hs.calls.find((c) => c.properties.hs_call_external_id === 'k-2')!;
    gone.archived = true; // deleted in HubSpot: HubSpot answers that one input with an error (207)

    const linked = await app!.api('POST', '/api/calls/k-1/contact', {
      portalId: portal,
      userId: ADMIN,
      body: { contactId: kim },
    });
    expect(linked.status).toBe(200);
    const kept = hs.calls.find((c) => c.properties.hs_call_external_id === 'k-1')!;
    expect(kept.associations.contacts!.map((a) => a.id)).toEqual([kim]);
    expect(await contactOf('k-1')).toBe(kim);
    expect(await contactOf('k-2')).toBeNull();
    const log = (await activitySteps(app!, portal)).filter((a) => a.callId === 'k-2');
    expect(log.map((a) => a.step)).toContain('contact_link_refused');
    expect(log.map((a) => a.step)).not.toContain('contact_matched_late');
  }, 120_000);

  it('"Create contact" makes one contact whatever answers get lost, and answers a failure with a 4xx the panel shows', async () => {
    const portal = 560102;
    const { account, hs } = await unmatchedCalls(portal, inbound('n-1', '02 9374 4141', 20));
    const create = () =>
      app!.api('POST', '/api/calls/n-1/contact', { portalId: portal, userId: ADMIN, body: { create: true } });
    const CREATE = '/crm/objects/2026-03/contacts/batch/create';

    // HubSpot is down: nothing made, a 4xx JSON error (HubSpot's hubspot.fetch replays only a 5xx).
    app!.hubspot.failNext(1, { status: 503, method: 'POST', pathPrefix: CREATE });
    const down = await create();
    expect(down.status).toBe(424);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('hubspot_unavailable');
    expect(hs.contacts).toHaveLength(0);

    // HubSpot makes the contact but its answer is lost (502): again a 4xx; the next click finds it.
    app!.hubspot.failNext(1, { status: 502, method: 'POST', pathPrefix: CREATE, afterHandling: true });
    // (A 503 may hide a create too: until HubSpot's search can show one, a click answers 409.)
    let lost: Response | undefined;
    await eventually(async () => {
      lost = await create();
      return lost.status !== 409;
    }, 30_000);
    expect(lost!.status).toBe(424);
    expect(hs.contacts).toHaveLength(1);
    let again: Response | undefined;
    await eventually(async () => {
      again = await create();
      return again.status !== 409; // 409 while HubSpot's search cannot show the new contact yet
    }, 30_000);
    expect(again!.status).toBe(200);
    const { contactId } = (await again!.json()) as { contactId: string };
    expect(contactId).toBe(hs.contacts[0]!.id);
    expect(hs.contacts).toHaveLength(1);
    const sent = app!.hubspot.requestsTo('POST', CREATE);
    expect(sent).toHaveLength(2); // the refused one, the lost one; never a third create
    for (const r of sent)
      expect((r.body as { inputs: { objectWriteTraceId?: string }[] }).inputs[0]!.objectWriteTraceId).toBe(
        '+61293744141',
      );
    const call = hs.calls.find((c) => c.properties.hs_call_external_id === 'n-1')!;
    expect(call.associations.contacts!.map((a) => a.id)).toEqual([contactId]);

    // HubSpot replays the request (its first answer was lost on the way back): the same answer.
    const replay = await create();
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ callId: 'n-1', contactId });
    expect(app!.hubspot.requestsTo('POST', CREATE)).toHaveLength(2);
    expect(hs.contacts).toHaveLength(1);

    // The contact is deleted in HubSpot; the number calls again: "Create contact" makes a new one.
    hs.contacts[0]!.archived = true;
    app!.dialer.emitBatch(
      account.id,
      app!.dialer.callLifecycle(account.id, inbound('n-2', '02 9374 4141', 5), { answered: true }),
    );
    await waitForFollowUpIdle(app!, portal);
    const fresh = await app!.api('POST', '/api/calls/n-2/contact', {
      portalId: portal,
      userId: ADMIN,
      body: { create: true },
    });
    expect(fresh.status).toBe(200);
    const { contactId: second } = (await fresh.json()) as { contactId: string };
    expect(second).not.toBe(contactId);
    expect(hs.contact(second)!.archived).toBe(false);
  }, 120_000);
});
