import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { DialerCall } from '../dialer/index.ts';
import { ADMIN, installAndConnect, setMissedCalls, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const PORTAL = 560001;
const ANN_USER = 901; // the HubSpot user of Ann's owner: calls of Ann's agent are hers
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('unmatched calls in the settings page', () => {
  it('lists calls with no contact, searches contacts, links one and creates one (super admin or the call owner)', async () => {
    app = await startTestApp();
    const { account, owner } = await installAndConnect(app, PORTAL);
    await setMissedCalls(app, PORTAL, { enabled: false });
    const seeds: Partial<DialerCall>[] = [
      { id: 'u-a', direction: 'outbound', to_number: '02 9374 1111', started_at: minutesAgo(30) },
      {
        id: 'u-b',
        direction: 'inbound',
        from_number: '02 9374 2222',
        to_number: '+61 2 8000 0000',
        started_at: minutesAgo(20),
      },
    ];
    for (const seed of seeds)
      app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, seed, { answered: true }));
    await waitForFollowUpIdle(app, PORTAL);

    const list = await json<{ items: { callId: string; number: string; ownerId: string | null }[] }>(
      await app.api('GET', '/api/calls/unmatched', { portalId: PORTAL, userId: 77 }),
    );
    expect(list.items.map((i) => [i.callId, i.number, i.ownerId])).toEqual([
      ['u-b', '+61293742222', owner.id],
      ['u-a', '+61293741111', owner.id],
    ]);

    const kim = app.hubspot.addContact(PORTAL, {
      firstname: 'Kim',
      lastname: 'Known',
      email: 'kim@example.com',
    });
    const search = await json<{ items: { id: string; name: string; email: string }[] }>(
      await app.api('GET', '/api/calls/contact-search?q=kim%40example', { portalId: PORTAL, userId: 77 }),
    );
    expect(search.items).toEqual([{ id: kim, name: 'Kim Known', email: 'kim@example.com', phone: null }]);
    const short = await app.api('GET', '/api/calls/contact-search?q=k', { portalId: PORTAL, userId: 77 });
    expect(short.status).toBe(400);

    // Not a super admin and not the call's owner: refused, nothing changes.
    app.hubspot.setUser(PORTAL, 77, { superAdmin: false });
    const refused = await app.api('POST', '/api/calls/u-a/contact', {
      portalId: PORTAL,
      userId: 77,
      body: { contactId: kim },
    });
    expect(refused.status).toBe(403);
    const unknownContact = await app.api('POST', '/api/calls/u-a/contact', {
      portalId: PORTAL,
      userId: ADMIN,
      body: { contactId: '999999' },
    });
    expect(unknownContact.status).toBe(404);
    const badBody = await app.api('POST', '/api/calls/u-a/contact', {
      portalId: PORTAL,
      userId: ADMIN,
      body: { create: false },
    });
    expect(badBody.status).toBe(400);
    expect(app.hubspot.writeRequests().filter((r) => r.path.includes('associations'))).toHaveLength(0);

    const linked = await app.api('POST', '/api/calls/u-a/contact', {
      portalId: PORTAL,
      userId: ADMIN,
      body: { contactId: kim },
    });
    expect(linked.status).toBe(200);
    const created = await app.api('POST', '/api/calls/u-b/contact', {
      portalId: PORTAL,
      userId: ANN_USER,
      body: { create: true },
    });
    expect(created.status).toBe(200);
    const { contactId: newContact } = await json<{ contactId: string }>(created);
    await waitForFollowUpIdle(app, PORTAL);

    const hs = app.hubspot.portal(PORTAL);
    const byExternal = (id: string) => hs.calls.find((c) => c.properties.hs_call_external_id === id)!;
    expect(byExternal('u-a').associations.contacts!.map((a) => a.id)).toEqual([kim]);
    expect(byExternal('u-b').associations.contacts!.map((a) => a.id)).toEqual([newContact]);
    expect(hs.contact(newContact)!.properties).toMatchObject({
      phone: '+61293742222',
      hs_marketable_status: 'false',
    });
    expect(hs.contact(kim)!.properties.dialer_sync_total_outbound_calls).toBe('1');
    expect(hs.contact(newContact)!.properties.dialer_sync_total_inbound_calls).toBe('1');
    const again = await app.api('POST', '/api/calls/u-a/contact', {
      portalId: PORTAL,
      userId: ADMIN,
      body: { contactId: kim },
    });
    // The same request again (a replay): the same answer, nothing written; another contact: 409.
    expect(again.status).toBe(200);
    expect(await json<{ contactId: string }>(again)).toEqual({ callId: 'u-a', contactId: kim });
    const other = await app.api('POST', '/api/calls/u-a/contact', {
      portalId: PORTAL,
      userId: ADMIN,
      body: { contactId: newContact },
    });
    expect(other.status).toBe(409);
    const empty = await json<{ items: unknown[] }>(
      await app.api('GET', '/api/calls/unmatched', { portalId: PORTAL, userId: 77 }),
    );
    expect(empty.items).toEqual([]);
  }, 120_000);
});
