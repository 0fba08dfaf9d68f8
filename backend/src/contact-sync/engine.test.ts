import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContactProperty, editContact } from '../../test/simulators/hubspot/contact-changes.ts';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import {
  ADMIN,
  deliverPropertyChanges,
  linkedContact,
  runContactSyncJob,
  setUpPortal,
  startContactSyncApp,
  waitForContactSyncIdle,
} from './test-helpers.ts';

// The two-way engine through its real entry points: HubSpot's signed property-change webhooks
// (POST /hubspot/webhooks) and Dialer.io's signed contact.updated deliveries (POST /dialer/webhooks/:key).

const PORTAL = 812101;
let app: TestApp;
let setup: Awaited<ReturnType<typeof setUpPortal>>;
let seq = 0;

beforeAll(async () => {
  app = await startContactSyncApp();
  setup = await setUpPortal(app, PORTAL);
}, 60_000);
afterAll(() => app?.stop());

const idle = () => waitForContactSyncIdle(app, setup.installation.id);
const dialerPuts = (contactId: string) => app.dialer.requestsTo('PUT', `/v1/contacts/${contactId}`);
const hubspotUpdates = () => app.hubspot.requestsTo('POST', '/crm/objects/2026-03/contacts/batch/update');
const updatesOf = (contactId: string) =>
  hubspotUpdates().filter((r) =>
    (r.body as { inputs: { id: string }[] }).inputs.some((input) => input.id === contactId),
  );

async function newLinkedContact(extra: Record<string, string> = {}) {
  seq++;
  return linkedContact(app, setup, {
    firstname: 'Ada',
    lastname: 'Lovelace',
    email: `ada${seq}@engines.test`,
    phone: `+1415555${String(1000 + seq)}`,
    ...extra,
  });
}

/** A user edits the contact in HubSpot, and HubSpot delivers the property-change webhooks (twice). */
async function editInHubSpot(contactId: string, properties: Record<string, string>) {
  const from = setup.portal.propertyChanges.length;
  editContact(setup.portal, contactId, properties);
  await deliverPropertyChanges(app, PORTAL, from);
}

async function changeMapping(dialerField: string, hubspotProperty: string, direction: string) {
  const response = await app.api('PUT', `/api/property-mappings/${dialerField}`, {
    portalId: PORTAL,
    userId: ADMIN,
    body: { hubspotProperty, direction },
  });
  expect(response.status).toBe(200);
}

describe('HubSpot → Dialer.io', () => {
  it('a change to a mapped field reaches Dialer.io exactly once and does not come back', async () => {
    const contactId = await newLinkedContact();
    const before = hubspotUpdates().length;
    const from = setup.portal.propertyChanges.length;
    editContact(setup.portal, contactId, { firstname: 'Augusta', city: 'London' });
    await deliverPropertyChanges(app, PORTAL, from);
    await deliverPropertyChanges(app, PORTAL, from); // HubSpot retries a delivery: stored once
    await idle();

    expect(dialerPuts(contactId)).toHaveLength(1);
    expect(app.dialer.contact(setup.account.id, contactId)).toMatchObject({
      first_name: 'Augusta',
      fields: { city: 'London' },
    });
    // Dialer.io announced the change (contact.updated carrying our values): nothing went back.
    expect(app.dialer.account(setup.account.id).deliveries.some((d) => d.type === 'contact.updated')).toBe(
      true,
    );
    expect(hubspotUpdates().length).toBe(before);
  });
});

describe('Dialer.io → HubSpot', () => {
  it('a change reaches HubSpot exactly once (one batch update) and does not come back', async () => {
    const contactId = await newLinkedContact();
    const from = setup.portal.propertyChanges.length;
    app.dialer.setContact(setup.account.id, contactId, { company: 'Analytical Engines' });
    await idle();

    expect(setup.portal.contact(contactId)!.properties.company).toBe('Analytical Engines');
    expect(updatesOf(contactId)).toHaveLength(1);
    // HubSpot's webhook for our own write carries the value we wrote: no PUT back to Dialer.io.
    const putsBefore = dialerPuts(contactId).length;
    expect(await deliverPropertyChanges(app, PORTAL, from)).toBeGreaterThan(0);
    await idle();
    expect(dialerPuts(contactId).length).toBe(putsBefore);
    expect(updatesOf(contactId)).toHaveLength(1);
  });

  it('DNC set in Dialer.io sets dialer_sync_do_not_call on the HubSpot contact; the line type follows', async () => {
    const contactId = await newLinkedContact();
    app.dialer.setContact(setup.account.id, contactId, { dnc: true, line_type: 'wireless' });
    await idle();
    expect(setup.portal.contact(contactId)!.properties).toMatchObject({
      dialer_sync_do_not_call: 'true',
      dialer_sync_line_type: 'wireless',
    });
  });

  it('never blanks a HubSpot field that Dialer.io has empty', async () => {
    const contactId = await newLinkedContact({ company: 'Kept Ltd' });
    app.dialer.setContact(setup.account.id, contactId, { company: null, first_name: 'Ada B.' });
    await idle();
    expect(setup.portal.contact(contactId)!.properties).toMatchObject({
      company: 'Kept Ltd',
      firstname: 'Ada B.',
    });
  });
});

describe('a field mapped one way', () => {
  it('never moves the other way', async () => {
    await changeMapping('company', 'company', 'hubspot_to_dialer');
    await changeMapping('last_name', 'lastname', 'dialer_to_hubspot');
    try {
      const contactId = await newLinkedContact({ company: 'HubSpot Co' });
      // company: HubSpot → Dialer.io only
      app.dialer.setContact(setup.account.id, contactId, { company: 'Dialer Co' });
      await idle();
      expect(setup.portal.contact(contactId)!.properties.company).toBe('HubSpot Co');
      // last_name: Dialer.io → HubSpot only
      const puts = dialerPuts(contactId).length;
      await editInHubSpot(contactId, { lastname: 'King' });
      await idle();
      expect(dialerPuts(contactId).length).toBe(puts);
      expect(app.dialer.contact(setup.account.id, contactId)!.last_name).toBe('Lovelace');
      // ...while each still moves the way it is mapped. Dialer.io's updated_at has whole seconds:
      // its change must fall in a later second than HubSpot's to be the later one (decision 0012).
      const kingAt = setup.portal.propertyChanges.at(-1)!.occurredAt;
      await eventually(() => Date.now() >= Math.ceil((kingAt + 1) / 1000) * 1000, 5_000, 20);
      app.dialer.setContact(setup.account.id, contactId, { last_name: 'Byron' });
      await editInHubSpot(contactId, { company: 'HubSpot Co 2' });
      await idle();
      expect(setup.portal.contact(contactId)!.properties.lastname).toBe('Byron');
      expect(app.dialer.contact(setup.account.id, contactId)!.company).toBe('HubSpot Co 2');
    } finally {
      await changeMapping('company', 'company', 'both');
      await changeMapping('last_name', 'lastname', 'both');
    }
  });
});

describe('custom mappings (no webhook subscription: the incremental sweep)', () => {
  it('a HubSpot change to a custom-mapped property reaches Dialer.io at the next sweep, once', async () => {
    addContactProperty(setup.portal, { name: 'favourite_colour', type: 'string', fieldType: 'text' });
    await changeMapping('fields.colour', 'favourite_colour', 'hubspot_to_dialer');
    const contactId = await newLinkedContact();
    editContact(setup.portal, contactId, { favourite_colour: 'teal' });
    const sweep = () =>
      runContactSyncJob(app, 'contact-sync.sweep', { installationId: setup.installation.id });
    await sweep();
    await sweep(); // nothing new: nothing sent
    await idle();
    expect(app.dialer.contact(setup.account.id, contactId)!.fields.colour).toBe('teal');
    expect(dialerPuts(contactId)).toHaveLength(1);
  });
});
