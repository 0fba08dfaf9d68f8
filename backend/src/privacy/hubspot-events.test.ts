import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDatabase } from '../../test/support/database-dump.ts';
import { deliverHubSpotEvents, hubSpotEvent } from '../../test/support/hubspot-webhooks.ts';
import { snapshotTenant } from '../../test/support/tenant-isolation.ts';
import { waitForFollowUpIdle } from '../call-follow-up/test-support.ts';
import { waitForContactSyncIdle } from '../contact-sync/test-helpers.ts';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { HubSpotWebhookEvent } from '../hubspot-webhooks/events.ts';
import { BOB, NOT_ADMIN, janeTraces, portalWithJaneAndBob } from './test-helpers.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
}, 180_000);
afterAll(() => app.stop());

const event = (portalId: number, subscriptionType: string, extra: Partial<HubSpotWebhookEvent>) =>
  hubSpotEvent(portalId, { subscriptionType, objectTypeId: '0-1', ...extra });

/** Delivers signed events to POST /hubspot/webhooks and waits until the portal's job took them all. */
async function deliver(installationId: string, events: HubSpotWebhookEvent[]) {
  const response = await deliverHubSpotEvents(app, events);
  expect(response.status).toBe(200);
  await eventually(async () => {
    const pending = await app.runtime.ctx.db
      .selectFrom('hubspot_webhook_inbox')
      .select('id')
      .where('installation_id', '=', installationId)
      .where('processed_at', 'is', null)
      .execute();
    return pending.length === 0;
  });
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
    delete deletion.objectTypeId;
    await waitForContactSyncIdle(app, installation.id); // the background work first
    await waitForFollowUpIdle(app, portalId);
    const before = await snapshotTenant(app.runtime.ctx.db, installation.id);
    const unsigned = await deliverHubSpotEvents(app, [deletion], { secret: 'not-the-client-secret' });
    expect(unsigned.status).toBe(401);
    const stale = await deliverHubSpotEvents(app, [deletion], { timestampMs: Date.now() - 10 * 60_000 });
    expect(stale.status).toBe(401);
    expect(await snapshotTenant(app.runtime.ctx.db, installation.id)).toEqual(before);

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
  }, 90_000);

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
  }, 90_000);
});
