import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDatabase } from '../../test/support/database-dump.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { HubSpotWebhookEvent } from '../hubspot-webhooks/events.ts';
import { hubSpotEventHandlers } from '../hubspot-webhooks/handlers.ts';
import { BOB, NOT_ADMIN, janeTraces, portalWithJaneAndBob } from './test-helpers.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
});
afterAll(() => app.stop());

let sequence = 0;
const event = (portalId: number, subscriptionType: string, extra: Partial<HubSpotWebhookEvent>) => ({
  eventId: `ev-${portalId}-${++sequence}`,
  portalId,
  subscriptionType,
  occurredAt: Date.now(),
  objectTypeId: '0-1',
  ...extra,
});

/** Hands events to the registered handlers, as the dispatcher does. */
async function deliver(installationId: string, events: HubSpotWebhookEvent[]) {
  for (const handler of hubSpotEventHandlers) {
    const mine = events.filter(
      (e) =>
        e.subscriptionType === handler.subscriptionType &&
        (!handler.objectTypeId || e.objectTypeId === handler.objectTypeId),
    );
    if (mine.length > 0) await handler.handle(app.runtime.ctx, installationId, mine);
  }
}

const linksOf = (installationId: string) =>
  app.runtime.ctx.db
    .selectFrom('contact_links')
    .select(['contact_id', 'dialer_contact_id'])
    .where('installation_id', '=', installationId)
    .execute();

describe("HubSpot's contact events", () => {
  it('contact.privacyDeletion erases the person with no human, once however often it is delivered', async () => {
    const portalId = 820001;
    const { jane, account, installation } = await portalWithJaneAndBob(app, portalId);
    const deletion = event(portalId, 'contact.privacyDeletion', { objectId: Number(jane) });
    await deliver(installation.id, [deletion]);
    await deliver(installation.id, [deletion]);

    const dump = await dumpDatabase(app.runtime.ctx.db);
    for (const trace of janeTraces()) expect(dump, `left ${trace}`).not.toContain(trace);
    expect(dump).toContain(BOB.e164);
    expect(dump).toContain(BOB.email);
    expect(app.dialer.contact(account.id, jane)).toBeUndefined();
    expect(app.dialer.requestsTo('DELETE', `/v1/contacts/${jane}`)).toHaveLength(1);
    const audit = await app.api('GET', '/api/privacy/erasures', { portalId, userId: NOT_ADMIN });
    const { items } = (await audit.json()) as { items: { requestedBy: string; counts: { calls: number } }[] };
    expect(items).toEqual([
      expect.objectContaining({
        requestedBy: 'HubSpot privacy deletion',
        counts: expect.objectContaining({ calls: 3 }),
      }),
    ]);
  });

  it('object.deletion of a contact unlinks it; object.merge moves links and calls to the survivor', async () => {
    const portalId = 820002;
    const { jane, bob, installation } = await portalWithJaneAndBob(app, portalId);
    const db = app.runtime.ctx.db;
    expect((await linksOf(installation.id)).map((l) => l.contact_id)).toEqual([jane]);

    await deliver(installation.id, [
      event(portalId, 'object.merge', {
        objectId: Number(bob),
        primaryObjectId: Number(bob),
        mergedObjectIds: [Number(jane)],
      }),
    ]);
    expect((await linksOf(installation.id)).map((l) => l.contact_id)).toEqual([bob]);
    const calls = await db
      .selectFrom('calls')
      .select(['call_id', 'contact_id'])
      .where('installation_id', '=', installation.id)
      .execute();
    expect(calls.every((c) => c.contact_id === bob)).toBe(true);
    expect(calls).toHaveLength(4);

    await deliver(installation.id, [event(portalId, 'object.deletion', { objectId: Number(bob) })]);
    expect(await linksOf(installation.id)).toEqual([]);
    const lookups = await db
      .selectFrom('phone_lookups')
      .select('phone_e164')
      .where('installation_id', '=', installation.id)
      .where('contact_id', '=', bob)
      .execute();
    expect(lookups).toEqual([]);
  });
});
