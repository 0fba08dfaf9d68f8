import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editContact } from '../../test/simulators/hubspot/contact-changes.ts';
import { deliverHubSpotEvents, hubSpotEvent } from '../../test/support/hubspot-webhooks.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import type { ContactSyncPatch } from './settings.ts';
import {
  ADMIN,
  deliverPropertyChanges,
  linkedContact,
  setUpPortal,
  startContactSyncApp,
  waitForContactSyncIdle,
} from './test-helpers.ts';

// Each `creation` and `updates` setting allows exactly the flows it names, both ways.

const PORTAL = 812201;
let app: TestApp;
let setup: Awaited<ReturnType<typeof setUpPortal>>;
let seq = 0;

beforeAll(async () => {
  app = await startContactSyncApp();
  setup = await setUpPortal(app, PORTAL);
}, 60_000);
afterAll(() => app?.stop());

const idle = () => waitForContactSyncIdle(app, setup.installation.id);

async function settings(contactSync: ContactSyncPatch) {
  const response = await app.api('PATCH', '/api/settings', {
    portalId: PORTAL,
    userId: ADMIN,
    body: { contactSync },
  });
  expect(response.status).toBe(200);
}

/** A contact created in HubSpot (with a phone), announced by HubSpot's object.creation webhook. */
async function createdInHubSpot() {
  seq++;
  const contactId = app.hubspot.addContact(PORTAL, {
    firstname: 'Grace',
    lastname: `Hopper${seq}`,
    email: `grace${seq}@navy.test`,
    phone: `+1 (415) 555-${String(2000 + seq)}`,
  });
  const event = hubSpotEvent(PORTAL, {
    subscriptionType: 'object.creation',
    objectId: Number(contactId),
    objectTypeId: '0-1',
  });
  expect((await deliverHubSpotEvents(app, [event])).status).toBe(200);
  await idle();
  return contactId;
}

/** A contact that exists only in Dialer.io and then changes there (contact.updated). */
async function changedInDialerOnly(overrides: { email?: string | null; phone?: string } = {}) {
  seq++;
  const externalId = `dialer-only-${seq}`;
  app.dialer.addContact(setup.account.id, {
    external_id: externalId,
    phone: overrides.phone ?? `(415) 555-${String(3000 + seq)}`,
    email: overrides.email === undefined ? `linus${seq}@kernel.test` : overrides.email,
    first_name: 'Linus',
  });
  app.dialer.setContact(setup.account.id, externalId, { last_name: `Torvalds${seq}` });
  await idle();
  return externalId;
}

const hubspotContactsNamed = (lastname: string) =>
  setup.portal.contacts.filter((c) => c.properties.lastname === lastname);

describe('creation', () => {
  it('"hubspot_to_dialer" with every contact with a phone: HubSpot contacts become Dialer.io contacts, never the reverse', async () => {
    await settings({ creation: 'hubspot_to_dialer', createFromHubSpot: 'with_phone' });
    const contactId = await createdInHubSpot();
    expect(app.dialer.contact(setup.account.id, contactId)).toMatchObject({
      first_name: 'Grace',
      phone: `+1415555${2000 + seq}`,
    });
    await changedInDialerOnly();
    expect(hubspotContactsNamed(`Torvalds${seq}`)).toHaveLength(0);
  });

  it('"hubspot_to_dialer" with contacts sent only (default): a new HubSpot contact is not sent by itself', async () => {
    await settings({ creation: 'hubspot_to_dialer', createFromHubSpot: 'sent' });
    const contactId = await createdInHubSpot();
    expect(app.dialer.contact(setup.account.id, contactId)).toBeUndefined();
  });

  it('"both": a Dialer.io contact with no HubSpot contact becomes one (non-marketing), never twice', async () => {
    await settings({ creation: 'both', createFromHubSpot: 'with_phone' });
    await changedInDialerOnly();
    const created = hubspotContactsNamed(`Torvalds${seq}`);
    expect(created).toHaveLength(1);
    expect(created[0]!.properties).toMatchObject({ firstname: 'Linus', hs_marketable_status: 'false' });
    const externalId = `dialer-only-${seq}`;
    app.dialer.setContact(setup.account.id, externalId, { first_name: 'Linus B.' });
    await idle();
    expect(hubspotContactsNamed(`Torvalds${seq}`)).toHaveLength(1);
    expect(hubspotContactsNamed(`Torvalds${seq}`)[0]!.properties.firstname).toBe('Linus B.');
    // And HubSpot contacts still become Dialer.io contacts.
    const contactId = await createdInHubSpot();
    expect(app.dialer.contact(setup.account.id, contactId)).toBeDefined();
  });

  it('"both" links an existing HubSpot contact by email, then by phone (country-aware), instead of creating one', async () => {
    await settings({ creation: 'both' });
    const byEmail = app.hubspot.addContact(PORTAL, { email: 'known@acme.test', lastname: 'Known' });
    const byPhone = app.hubspot.addContact(PORTAL, { phone: '+1 415 555 7777', lastname: 'Phoned' });
    const before = setup.portal.contacts.length;
    await changedInDialerOnly({ email: 'KNOWN@acme.test' });
    await changedInDialerOnly({ email: null, phone: '(415) 555-7777' });
    expect(setup.portal.contacts.length).toBe(before);
    expect(setup.portal.contact(byEmail)!.properties.lastname).toMatch(/^Torvalds/);
    expect(setup.portal.contact(byPhone)!.properties.lastname).toMatch(/^Torvalds/);
  });

  it('"off": no contact is created either way, and a pull is refused', async () => {
    await settings({ creation: 'off', createFromHubSpot: 'with_phone' });
    const contactId = await createdInHubSpot();
    expect(app.dialer.contact(setup.account.id, contactId)).toBeUndefined();
    await changedInDialerOnly();
    expect(hubspotContactsNamed(`Torvalds${seq}`)).toHaveLength(0);
    const pull = await app.api('POST', '/api/sync/operations', {
      portalId: PORTAL,
      userId: ADMIN,
      body: { kind: 'pull_contacts' },
    });
    expect(pull.status).toBe(409);
    expect(((await pull.json()) as { error: { code: string } }).error.code).toBe('operation_not_allowed');
  });
});

describe('updates', () => {
  it('"both": changes move both ways; "hubspot_to_dialer": only from HubSpot, and a push is refused', async () => {
    await settings({ creation: 'hubspot_to_dialer', createFromHubSpot: 'sent', updates: 'both' });
    const contactId = await linkedContact(app, setup, {
      firstname: 'Alan',
      lastname: 'Turing',
      phone: '+14155558888',
    });
    app.dialer.setContact(setup.account.id, contactId, { company: 'Bletchley' });
    await idle();
    expect(setup.portal.contact(contactId)!.properties.company).toBe('Bletchley');

    await settings({ updates: 'hubspot_to_dialer' });
    app.dialer.setContact(setup.account.id, contactId, { company: 'Manchester' });
    await idle();
    expect(setup.portal.contact(contactId)!.properties.company).toBe('Bletchley');
    const from = setup.portal.propertyChanges.length;
    editContact(setup.portal, contactId, { firstname: 'Alan M.' });
    await deliverPropertyChanges(app, PORTAL, from);
    await idle();
    expect(app.dialer.contact(setup.account.id, contactId)!.first_name).toBe('Alan M.');
    const push = await app.api('POST', '/api/sync/operations', {
      portalId: PORTAL,
      userId: ADMIN,
      body: { kind: 'push_contacts' },
    });
    expect(push.status).toBe(409);
    await settings({ updates: 'both' });
  });
});
