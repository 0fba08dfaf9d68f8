import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editContact } from '../../test/simulators/hubspot/contact-changes.ts';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import type { ContactSyncPatch } from './settings.ts';
import {
  ADMIN,
  deliverPropertyChanges,
  linkedContact,
  setUpPortal,
  startContactSyncApp,
  waitForContactSyncIdle,
} from './test-helpers.ts';

// Issue 17: conflicts, echoes, lost answers and matching, each through the real entry points. The
// Dialer.io simulator sends no contact.updated by itself here: each test delivers Dialer.io's
// events when (and in the order) it wants, as it does HubSpot's webhooks. One clock for all three.

const PORTAL = 812301;
const CREATE = '/crm/objects/2026-03/contacts/batch/create';
let app: TestApp;
let setup: Awaited<ReturnType<typeof setUpPortal>>;
let offset = 0;
let seq = 0;
const now = () => Date.now() + offset;

beforeAll(async () => {
  app = await startContactSyncApp({ now, hubspot: { now }, dialer: { now, contactEvents: false } });
  setup = await setUpPortal(app, PORTAL);
}, 60_000);
afterAll(() => app?.stop());

const idle = () => waitForContactSyncIdle(app, setup.installation.id);
const dialerContact = (externalId: string) => app.dialer.contact(setup.account.id, externalId)!;

/** Dialer.io delivers contact.updated for the contact as it is now. */
async function deliverDialerChange(externalId: string, changed: string[]) {
  app.dialer.emit(setup.account.id, 'contact.updated', { contact: dialerContact(externalId), changed });
  await idle();
}

async function settings(contactSync: ContactSyncPatch) {
  const response = await app.api('PATCH', '/api/settings', {
    portalId: PORTAL,
    userId: ADMIN,
    body: { contactSync },
  });
  expect(response.status).toBe(200);
}

async function newLinkedContact(extra: Record<string, string> = {}) {
  seq++;
  return linkedContact(app, setup, {
    firstname: 'Ada',
    lastname: 'Lovelace',
    email: `ada${seq}@conflicts.test`,
    phone: `+1415555${String(3000 + seq)}`,
    ...extra,
  });
}

/** Delivers HubSpot's webhooks (echoes too) and Dialer.io's events for our writes until nothing moves. */
async function settle(contactId: string) {
  let from = 0;
  for (let round = 0; round < 5; round++) {
    const delivered = await deliverPropertyChanges(app, PORTAL, from);
    from = setup.portal.propertyChanges.length;
    await idle();
    if (delivered === 0) break;
  }
  await deliverDialerChange(contactId, ['company', 'phone', 'first_name']);
}

describe('writes carry only what changed (item 1)', () => {
  it('a HubSpot edit handled before Dialer.io’s phone correction arrives does not put the old number back', async () => {
    const contactId = await newLinkedContact();
    app.dialer.setContact(setup.account.id, contactId, { phone: '+14155559999' }); // its event comes later
    const from = setup.portal.propertyChanges.length;
    editContact(setup.portal, contactId, { firstname: 'Augusta' });
    await deliverPropertyChanges(app, PORTAL, from);
    await idle();

    expect(dialerContact(contactId)).toMatchObject({ first_name: 'Augusta', phone: '+14155559999' });
    const puts = app.dialer.requestsTo('PUT', `/v1/contacts/${contactId}`);
    expect(puts.map((r) => Object.keys(r.body as object).sort())).toEqual([['first_name', 'phone']]);

    await deliverDialerChange(contactId, ['phone']); // the correction's event, late
    await settle(contactId);
    expect(setup.portal.contact(contactId)!.properties.phone).toBe('+14155559999');
    expect(dialerContact(contactId).phone).toBe('+14155559999');
  });
});

describe('the later change wins (item 2)', () => {
  for (const order of ['Dialer.io event first', 'HubSpot webhook first'] as const)
    it(`Dialer.io sets a company, HubSpot another 20 ms later: both end with HubSpot's (${order})`, async () => {
      const contactId = await newLinkedContact();
      app.dialer.setContact(setup.account.id, contactId, { company: 'Dialer Co' });
      offset += 20;
      const from = setup.portal.propertyChanges.length;
      editContact(setup.portal, contactId, { company: 'HubSpot Co' });
      if (order === 'Dialer.io event first') {
        await deliverDialerChange(contactId, ['company']);
        await deliverPropertyChanges(app, PORTAL, from);
      } else {
        await deliverPropertyChanges(app, PORTAL, from);
        await idle();
        await deliverDialerChange(contactId, ['company']);
      }
      await idle();
      await settle(contactId);
      expect(setup.portal.contact(contactId)!.properties.company).toBe('HubSpot Co');
      expect(dialerContact(contactId).company).toBe('HubSpot Co');
    });

  it('an echo of an earlier write delivered late does not look like a new change', async () => {
    const contactId = await newLinkedContact();
    const from = setup.portal.propertyChanges.length;
    const first = app.dialer.setContact(setup.account.id, contactId, { company: 'First' });
    offset += 2_000;
    const second = app.dialer.setContact(setup.account.id, contactId, { company: 'Second' });
    // Both events come after the second change: HubSpot := First (written after Second happened), := Second.
    for (const contact of [first, second]) {
      app.dialer.emit(setup.account.id, 'contact.updated', { contact, changed: ['company'] });
      await idle();
    }
    // HubSpot's webhooks for both writes, the earlier one last.
    const events = setup.portal.propertyChanges.slice(from).reverse();
    setup.portal.propertyChanges.push(...events);
    await deliverPropertyChanges(app, PORTAL, from + events.length);
    await idle();
    expect(setup.portal.contact(contactId)!.properties.company).toBe('Second');
    expect(dialerContact(contactId).company).toBe('Second');
    expect(app.dialer.requestsTo('PUT', `/v1/contacts/${contactId}`)).toHaveLength(0);
  });
});

describe('contacts from Dialer.io (items 3, 7, 8)', () => {
  it('a create whose answer was lost (502 after HubSpot created it) makes one contact, not two', async () => {
    await settings({ creation: 'both' });
    app.hubspot.setSearchIndexDelay(30_000);
    try {
      const email = `lost${++seq}@conflicts.test`;
      app.dialer.addContact(setup.account.id, { external_id: `lost-${seq}`, phone: '+14155550421', email });
      app.hubspot.failNext(1, { status: 502, afterHandling: true, pathPrefix: CREATE });
      const searches = () => app.hubspot.requestsTo('POST', '/crm/objects/2026-03/contacts/search').length;
      const before = searches();
      app.dialer.emit(setup.account.id, 'contact.updated', {
        contact: dialerContact(`lost-${seq}`),
        changed: ['email'],
      });
      // The job's retry searched again (the new contact is not in the index yet)...
      await eventually(() => searches() >= before + 6, 60_000);
      expect(setup.portal.contacts.filter((c) => c.properties.email === email)).toHaveLength(1);
      offset += 61_000; // ...and once the index must show it, a later retry finds it (backoff: up to 30 s).
      await eventually(async () => {
        const links = await app.runtime.ctx.db
          .selectFrom('contact_sync_links')
          .select('contact_id')
          .where('dialer_external_id', '=', `lost-${seq}`)
          .execute();
        return links.length === 1;
      }, 90_000);
      await idle();
      expect(setup.portal.contacts.filter((c) => c.properties.email === email)).toHaveLength(1);
    } finally {
      app.hubspot.setSearchIndexDelay(0);
      await settings({ creation: 'hubspot_to_dialer' });
    }
  }, 180_000);

  it('a Dialer.io contact at +44 20 7946 0958 is not written over a US contact at 207-946-0958', async () => {
    await settings({ creation: 'both' });
    try {
      const us = app.hubspot.addContact(PORTAL, { firstname: 'Sam', phone: '207-946-0958' });
      app.dialer.addContact(setup.account.id, {
        external_id: 'uk-1',
        phone: '+44 20 7946 0958',
        first_name: 'Oliver',
      });
      await deliverDialerChange('uk-1', ['first_name']);
      expect(setup.portal.contact(us)!.properties.firstname).toBe('Sam');
      const uk = setup.portal.contacts.filter((c) => c.properties.firstname === 'Oliver');
      expect(uk).toHaveLength(1);
      expect(uk[0]!.id).not.toBe(us);
    } finally {
      await settings({ creation: 'hubspot_to_dialer' });
    }
  });

  it('a contact made in Dialer.io itself (no external_id) is created in HubSpot once and keyed by its id', async () => {
    await settings({ creation: 'both' });
    try {
      const made = app.dialer.addContact(setup.account.id, {
        external_id: null,
        phone: '+14155550777',
        email: 'own@dialer.test',
        first_name: 'Own',
      });
      const deliver = () =>
        app.dialer.emit(setup.account.id, 'contact.updated', { contact: made, changed: ['first_name'] });
      deliver();
      deliver(); // redelivered with the old snapshot (no external_id yet)
      await idle();
      const created = setup.portal.contacts.filter((c) => c.properties.email === 'own@dialer.test');
      expect(created).toHaveLength(1);
      expect(dialerContact(created[0]!.id)).toMatchObject({ id: made.id, external_id: created[0]!.id });
    } finally {
      await settings({ creation: 'hubspot_to_dialer' });
    }
  });
});

describe('compliance fields (item 12)', () => {
  it('DNC reaches HubSpot even when updates is "hubspot_to_dialer" (other fields do not)', async () => {
    await settings({ updates: 'hubspot_to_dialer' });
    try {
      const contactId = await newLinkedContact({ company: 'Kept' });
      app.dialer.setContact(setup.account.id, contactId, { dnc: true, company: 'Not moved' });
      await deliverDialerChange(contactId, ['dnc', 'company']);
      expect(setup.portal.contact(contactId)!.properties).toMatchObject({
        dialer_sync_do_not_call: 'true',
        company: 'Kept',
      });
    } finally {
      await settings({ updates: 'both' });
    }
  });
});
