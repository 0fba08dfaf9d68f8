import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signV3 } from '../hubspot/signature.ts';
import { startTestApp, TEST_CLIENT_SECRET, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { findContactLink } from './repository.ts';
import { actionCall, callAction, connectedPortal, dialerWrites } from './test-helpers.ts';

const PORTAL = 550001;
let app: TestApp;
let portal: Awaited<ReturnType<typeof connectedPortal>>;
let installationId: string;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  portal = await connectedPortal(app, PORTAL);
  installationId = (await findInstallationByPortal(app.runtime.ctx.db, PORTAL))!.id;
});
afterAll(() => app.stop());
beforeEach(() => app.dialer.clearRequests());

describe('Add to Dialer.io list', () => {
  it('upserts the contact with its phone in E.164 and adds it to the list', async () => {
    await app.runtime.ctx.db
      .insertInto('hubspot_owners')
      .values({
        installation_id: installationId,
        owner_id: '77',
        email: 'rep@example.com',
        first_name: 'R',
        last_name: 'Ep',
        user_id: 1,
        archived: false,
      })
      .execute();
    const body = actionCall(PORTAL, {
      contactId: 601,
      inputFields: { list: portal.lists.hot.id, updateDetails: 'true' },
      properties: {
        phone: '(415) 555-0100',
        email: 'ada@example.com',
        firstname: 'Ada',
        lastname: 'Lovelace',
        company: 'Analytical Engines',
        hubspot_owner_id: '77',
      },
    });
    const answer = await callAction(app, 'addToList', body);

    const contact = app.dialer.contact(portal.accountId, '601')!;
    expect(answer).toEqual({
      status: 200,
      outputFields: { hs_execution_state: 'SUCCESS', result: 'added', dialer_contact_id: contact.id },
    });
    const [upsert] = app.dialer.requestsTo('PUT', '/contacts/601');
    expect(upsert!.body).toEqual({
      phone: '+14155550100',
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      company: 'Analytical Engines',
      owner_email: 'rep@example.com',
    });
    expect(app.dialer.requestsTo('POST', `/lists/${portal.lists.hot.id}/members`)[0]!.body).toEqual({
      external_id: '601',
    });
    expect(contact.lists.map((l) => l.id)).toEqual([portal.lists.hot.id]);

    const link = await findContactLink(app.runtime.ctx.db, installationId, '601');
    expect(link).toMatchObject({
      dialer_contact_id: contact.id,
      phone_e164: '+14155550100',
      lists: [{ id: portal.lists.hot.id, name: 'Hot leads' }],
      last_error: null,
    });
    const activity = await app.runtime.ctx.db
      .selectFrom('activity_log')
      .selectAll()
      .where('installation_id', '=', installationId)
      .where('contact_id', '=', '601')
      .execute();
    expect(activity).toHaveLength(1);
    expect(activity[0]).toMatchObject({ level: 'info', step: 'workflow_action_done' });
    expect(activity[0]!.message).toContain('added the contact to the Dialer.io list “Hot leads”');
  });

  it('acts once per callbackId: a repeated call gets the stored answer and Dialer.io no second write', async () => {
    const body = actionCall(PORTAL, { contactId: 602, inputFields: { list: portal.lists.hot.id } });
    const first = await callAction(app, 'addToList', body);
    const second = await callAction(app, 'addToList', body);
    expect(second).toEqual(first);
    expect(first.outputFields.result).toBe('added');
    expect(app.dialer.requestsTo('PUT', '/contacts/602')).toHaveLength(1);
    expect(app.dialer.requestsTo('POST', '/lists/')).toHaveLength(1);
    expect(dialerWrites(app)).toHaveLength(2);
  });

  it('answers already_member for a contact already in the list (another enrollment)', async () => {
    await callAction(
      app,
      'addToList',
      actionCall(PORTAL, { contactId: 603, inputFields: { list: portal.lists.hot.id } }),
    );
    const again = await callAction(
      app,
      'addToList',
      actionCall(PORTAL, { contactId: 603, inputFields: { list: portal.lists.hot.id } }),
    );
    expect(again.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', result: 'already_member' });
  });

  it('leaves an existing contact’s details alone when updateDetails is off', async () => {
    app.dialer.addContact(portal.accountId, {
      external_id: '604',
      phone: '+14155550999',
      first_name: 'Kept',
    });
    app.dialer.clearRequests();
    const answer = await callAction(
      app,
      'addToList',
      actionCall(PORTAL, {
        contactId: 604,
        inputFields: { list: portal.lists.cold.id, updateDetails: false },
      }),
    );
    expect(answer.outputFields).toMatchObject({ result: 'added' });
    expect(app.dialer.requestsTo('PUT', '/contacts')).toHaveLength(0);
    expect(app.dialer.contact(portal.accountId, '604')).toMatchObject({
      first_name: 'Kept',
      phone: '+14155550999',
    });
  });

  it('uses the mobile phone when the contact has no phone', async () => {
    const answer = await callAction(
      app,
      'addToList',
      actionCall(PORTAL, {
        contactId: 605,
        inputFields: { list: portal.lists.hot.id },
        properties: { phone: '', mobilephone: '415 555 0142' },
      }),
    );
    expect(answer.outputFields.result).toBe('added');
    expect(app.dialer.contact(portal.accountId, '605')!.phone).toBe('+14155550142');
  });

  it.each([
    ['without a signature', { 'content-type': 'application/json' }],
    [
      'with a wrong signature',
      {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': 'AAAA',
        'x-hubspot-request-timestamp': String(Date.now()),
      },
    ],
  ])('refuses a call %s with 401 and writes nothing', async (_name, headers) => {
    const body = JSON.stringify(
      actionCall(PORTAL, { contactId: 606, inputFields: { list: portal.lists.hot.id } }),
    );
    const response = await fetch(`${app.url}/hubspot/actions/add-to-list`, { method: 'POST', headers, body });
    expect(response.status).toBe(401);
    expect(app.dialer.requests).toHaveLength(0);
  });

  it('refuses a body other than the one signed', async () => {
    const signed = JSON.stringify(
      actionCall(PORTAL, { contactId: 607, inputFields: { list: portal.lists.hot.id } }),
    );
    const sent = signed.replace('"objectId":607', '"objectId":608');
    const ts = Date.now();
    const url = `${app.config.publicBaseUrl}/hubspot/actions/add-to-list`;
    const response = await fetch(`${app.url}/hubspot/actions/add-to-list`, {
      method: 'POST',
      body: sent,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signV3(TEST_CLIENT_SECRET, 'POST', url, signed, ts),
        'x-hubspot-request-timestamp': String(ts),
      },
    });
    expect(response.status).toBe(401);
    expect(app.dialer.requests).toHaveLength(0);
  });
});
