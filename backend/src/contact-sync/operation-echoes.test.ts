import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editContact } from '../../test/simulators/hubspot/contact-changes.ts';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import {
  ADMIN,
  deliverPropertyChanges,
  linkedContact,
  setUpPortal,
  startContactSyncApp,
  waitForContactSyncIdle,
} from './test-helpers.ts';

// The one-time pull and push write through the sync model (decision 0012): their writes are logged,
// so the other side's echo is recognised as the change it carried, and a user's edit made while the
// operation ran (its event delivered late) still wins. Each test has a portal of its own (an
// operation covers every contact of its portal); events are delivered when the test wants.

let app: TestApp;
let offset = 0;
const now = () => Date.now() + offset;
let portalId = 812400;

beforeAll(async () => {
  app = await startContactSyncApp({ now, hubspot: { now }, dialer: { now, contactEvents: false } });
}, 60_000);
afterAll(() => app?.stop());

async function portalWithOneContact() {
  const setup = await setUpPortal(app, ++portalId);
  const contactId = await linkedContact(app, setup, {
    firstname: 'Ada',
    lastname: 'Lovelace',
    email: `ada${portalId}@operations.test`,
    phone: '+14155553001',
  });
  return { setup, contactId };
}

async function runOperation(kind: string) {
  const response = await app.api('POST', '/api/sync/operations', { portalId, userId: ADMIN, body: { kind } });
  expect(response.status).toBe(202);
  const { operation } = (await response.json()) as { operation: { id: string } };
  await eventually(async () => {
    const list = await app.api('GET', '/api/sync/operations', { portalId, userId: ADMIN });
    const body = (await list.json()) as { operations: { id: string; status: string }[] };
    return body.operations.find((op) => op.id === operation.id)?.status === 'done';
  });
}

/** Calls `before` once, when the first Dialer.io request matching `method` and `path` is about to leave. */
function onDialerRequest(method: string, path: string, before: () => void, after = () => {}) {
  const ctx = app.runtime.ctx;
  const original = ctx.fetch;
  ctx.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const matches = url === `${app.dialer.url}${path}` && (init?.method ?? 'GET') === method;
    if (!matches) return original(input, init);
    ctx.fetch = original;
    before();
    const answer = await original(input, init);
    after();
    return answer;
  };
}

describe('pull_contacts writes through the sync model', () => {
  it('a HubSpot edit made while the pull wrote the old value wins, though Dialer.io’s echo of the pull comes first', async () => {
    const { setup, contactId } = await portalWithOneContact();
    const idle = () => waitForContactSyncIdle(app, setup.installation.id);
    const from = setup.portal.propertyChanges.length;
    // The pull has read the contact; the user edits it before the pull's PUT (whose echo is later).
    onDialerRequest('PUT', `/v1/contacts/${contactId}`, () => {
      editContact(setup.portal, contactId, { firstname: 'Augusta' });
      offset += 1_500; // Dialer.io's updated_at has second precision
    });
    await runOperation('pull_contacts');
    const dialerContact = () => app.dialer.contact(setup.account.id, contactId)!;
    expect(dialerContact().first_name).toBe('Ada');

    // Dialer.io's contact.updated for the pull's write, then HubSpot's webhook for the edit, late.
    app.dialer.emit(setup.account.id, 'contact.updated', {
      contact: dialerContact(),
      changed: ['first_name'],
    });
    await idle();
    await deliverPropertyChanges(app, portalId, from);
    await idle();
    app.dialer.emit(setup.account.id, 'contact.updated', {
      contact: dialerContact(),
      changed: ['first_name'],
    });
    await idle();
    await deliverPropertyChanges(app, portalId, from + 1);
    await idle();

    expect(setup.portal.contact(contactId)!.properties.firstname).toBe('Augusta');
    expect(dialerContact().first_name).toBe('Augusta');
  }, 60_000);
});

describe('push_contacts writes through the sync model', () => {
  it('a Dialer.io edit made while the push wrote the old value wins, though HubSpot’s echo of the push comes first', async () => {
    const { setup, contactId } = await portalWithOneContact();
    const idle = () => waitForContactSyncIdle(app, setup.installation.id);
    app.dialer.setContact(setup.account.id, contactId, { company: 'Dialer Co' });
    offset += 1_500;
    const from = setup.portal.propertyChanges.length;
    // The push has read the Dialer.io contact; an agent edits it before the push writes HubSpot.
    onDialerRequest(
      'GET',
      `/v1/contacts/${contactId}`,
      () => {},
      () => {
        app.dialer.setContact(setup.account.id, contactId, { company: 'Agent Co' });
        offset += 1_500;
      },
    );
    await runOperation('push_contacts');
    expect(setup.portal.contact(contactId)!.properties.company).toBe('Dialer Co');

    // HubSpot's webhook for the push's write, then Dialer.io's event for the agent's edit, late.
    await deliverPropertyChanges(app, portalId, from);
    await idle();
    const dialerContact = () => app.dialer.contact(setup.account.id, contactId)!;
    app.dialer.emit(setup.account.id, 'contact.updated', { contact: dialerContact(), changed: ['company'] });
    await idle();
    await deliverPropertyChanges(app, portalId, setup.portal.propertyChanges.length - 1);
    await idle();

    expect(dialerContact().company).toBe('Agent Co');
    expect(setup.portal.contact(contactId)!.properties.company).toBe('Agent Co');
  }, 60_000);
});
