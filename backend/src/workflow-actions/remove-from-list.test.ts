import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { findContactLink } from './repository.ts';
import { actionCall, callAction, connectedPortal, dialerWrites } from './test-helpers.ts';

const PORTAL = 550002;
let app: TestApp;
let portal: Awaited<ReturnType<typeof connectedPortal>>;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  portal = await connectedPortal(app, PORTAL);
});
afterAll(() => app.stop());
beforeEach(() => app.dialer.clearRequests());

async function enrolledInBothLists(contactId: number) {
  for (const list of [portal.lists.hot.id, portal.lists.cold.id]) {
    await callAction(app, 'addToList', actionCall(PORTAL, { contactId, inputFields: { list } }));
  }
  app.dialer.clearRequests();
}

const listIds = (contactId: number) =>
  app.dialer.contact(portal.accountId, String(contactId))!.lists.map((list) => list.id);

describe('Remove from Dialer.io list', () => {
  it('removes the contact from every list with one DELETE /v1/contacts/{id}/memberships', async () => {
    await enrolledInBothLists(701);
    const answer = await callAction(
      app,
      'removeFromList',
      actionCall(PORTAL, { contactId: 701, inputFields: { scope: 'all_lists' } }),
    );
    const contact = app.dialer.contact(portal.accountId, '701')!;
    expect(answer.outputFields).toEqual({
      hs_execution_state: 'SUCCESS',
      result: 'removed',
      dialer_contact_id: contact.id,
    });
    expect(dialerWrites(app).map((r) => `${r.method} ${r.path}`)).toEqual([
      'DELETE /v1/contacts/701/memberships',
    ]);
    expect(contact.lists).toEqual([]);
    const installation = (await findInstallationByPortal(app.runtime.ctx.db, PORTAL))!;
    expect(await findContactLink(app.runtime.ctx.db, installation.id, '701')).toMatchObject({ lists: [] });
  });

  it('removes the contact from one list only, leaving the others', async () => {
    await enrolledInBothLists(702);
    const answer = await callAction(
      app,
      'removeFromList',
      actionCall(PORTAL, { contactId: 702, inputFields: { scope: 'one_list', list: portal.lists.hot.id } }),
    );
    expect(answer.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', result: 'removed' });
    expect(dialerWrites(app).map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /v1/lists/${portal.lists.hot.id}/members/702`,
    ]);
    expect(listIds(702)).toEqual([portal.lists.cold.id]);
    const installation = (await findInstallationByPortal(app.runtime.ctx.db, PORTAL))!;
    expect((await findContactLink(app.runtime.ctx.db, installation.id, '702'))!.lists).toEqual([
      { id: portal.lists.cold.id, name: 'Cold leads' },
    ]);
  });

  it('answers not_member when the contact is not in the list, and ignores an empty list input for all_lists', async () => {
    const notMember = await callAction(
      app,
      'removeFromList',
      actionCall(PORTAL, { contactId: 703, inputFields: { scope: 'one_list', list: portal.lists.cold.id } }),
    );
    expect(notMember.outputFields).toEqual({
      hs_execution_state: 'SUCCESS',
      result: 'not_member',
      dialer_contact_id: '',
    });
    const all = await callAction(
      app,
      'removeFromList',
      actionCall(PORTAL, { contactId: 703, inputFields: { scope: 'all_lists', list: '' } }),
    );
    expect(all.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', result: 'removed' });
  });

  it('repeats the stored answer for a repeated callbackId', async () => {
    await enrolledInBothLists(704);
    const body = actionCall(PORTAL, { contactId: 704, inputFields: { scope: 'all_lists' } });
    const first = await callAction(app, 'removeFromList', body);
    expect(await callAction(app, 'removeFromList', body)).toEqual(first);
    expect(dialerWrites(app)).toHaveLength(1);
  });
});
