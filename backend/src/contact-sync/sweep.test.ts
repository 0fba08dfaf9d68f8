import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContactProperty, editContact, indexLate } from '../../test/simulators/hubspot/contact-changes.ts';
import { applyProperties } from '../../test/simulators/hubspot/state.ts';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import { handOverContactUpdates } from './dialer-events.ts';
import { ADMIN, linkedContact, runContactSyncJob, setUpPortal, startContactSyncApp } from './test-helpers.ts';

// The custom-property sweep through its job, run in place (this app has no workers): HubSpot's
// contacts modified lately, their custom values to Dialer.io, dated by property history.
// Dialer.io's contact.updated events are handed over as the Dialer.io inbox would (its fold job
// does not run here), when the test wants them handled.

const PORTAL = 812401;
let app: TestApp;
let setup: Awaited<ReturnType<typeof setUpPortal>>;
let seq = 0;

beforeAll(async () => {
  app = await startContactSyncApp({ workers: false });
  setup = await setUpPortal(app, PORTAL);
  addContactProperty(setup.portal, { name: 'tier', type: 'string', fieldType: 'text' });
  const response = await app.api('PUT', '/api/property-mappings/fields.tier', {
    portalId: PORTAL,
    userId: ADMIN,
    body: { hubspotProperty: 'tier', direction: 'both' },
  });
  expect(response.status).toBe(200);
}, 60_000);
afterAll(() => app?.stop());

const job = (name: string) => runContactSyncJob(app, name, { installationId: setup.installation.id });
const sweep = () => job('contact-sync.sweep');
const dialerTier = (id: string) => app.dialer.contact(setup.account.id, id)?.fields.tier;
const newContact = () =>
  linkedContact(app, setup, { firstname: `Sam${++seq}`, phone: `+1 917 555 ${String(1000 + seq)}` });
/** Waits for the clock to move on, so that the next change is strictly later. */
const tick = async () => {
  const now = Date.now();
  await eventually(() => Date.now() > now + 1, 5_000, 2);
};
/** Waits for the next whole second (Dialer.io's `updated_at` has no milliseconds). */
const nextSecond = async () => {
  const second = Math.floor(Date.now() / 1000);
  await eventually(() => Math.floor(Date.now() / 1000) > second, 5_000, 5);
};

describe('custom-property sweep', () => {
  it('sweeps 150 contacts that share one lastmodifieddate (never stalled by equal times)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push(await newContact());
    const same = new Date(Date.now() - 60_000).toISOString();
    for (const [i, id] of ids.entries()) {
      editContact(setup.portal, id, { tier: `tier-${i}` });
      Object.assign(setup.portal.contact(id)!.properties, {
        lastmodifieddate: same,
        hs_lastmodifieddate: same,
      });
    }
    await sweep();
    expect(ids.filter((id, i) => dialerTier(id) !== `tier-${i}`)).toEqual([]);
  }, 120_000);

  it('still sweeps a contact that reached the search index late (the next pass re-reads an overlap)', async () => {
    const late = await newContact();
    const onTime = await newContact();
    editContact(setup.portal, late, { tier: 'late' });
    indexLate(setup.portal, late, Number.MAX_SAFE_INTEGER);
    await tick();
    editContact(setup.portal, onTime, { tier: 'on time' });
    await sweep();
    expect(dialerTier(onTime)).toBe('on time');
    expect(dialerTier(late)).toBeUndefined();

    indexLate(setup.portal, late, 0); // HubSpot's index has it now
    await sweep();
    expect(dialerTier(late)).toBe('late');
  }, 60_000);

  it('dates a custom value by its history: a rollup write does not make an old HubSpot value beat a newer Dialer.io one', async () => {
    const id = await newContact();
    editContact(setup.portal, id, { tier: 'platinum' }); // a user, in HubSpot
    await nextSecond();
    // Later, an agent in Dialer.io; its contact.updated is handled only after the sweep.
    const contact = app.dialer.setContact(setup.account.id, id, { fields: { tier: 'silver' } });
    await tick();
    // Our call rollups touch the contact: only dialer_sync_* properties change, lastmodifieddate moves on.
    applyProperties(setup.portal, setup.portal.contact(id)!, {
      dialer_sync_last_call_at: String(Date.now()),
    });
    await sweep();
    const reads = app.hubspot.requestsTo('POST', '/crm/objects/2026-03/contacts/batch/read');
    expect(reads.map((r) => r.body)).toContainEqual(
      expect.objectContaining({
        inputs: expect.arrayContaining([{ id }]),
        propertiesWithHistory: ['tier'],
      }),
    );
    await app.runtime.ctx.db
      .transaction()
      .execute((trx) =>
        handOverContactUpdates(app.runtime.ctx, trx, setup.installation.id, [
          { eventId: `evt_tier_${id}`, data: { contact, changed: ['fields.tier'] } },
        ]),
      );
    await job('contact-sync.dialer-changes');
    expect(setup.portal.contact(id)!.properties.tier).toBe('silver');
  }, 60_000);
});
