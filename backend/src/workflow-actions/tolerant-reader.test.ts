import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { actionCall, callAction, connectedPortal } from './test-helpers.ts';

// Finding 9 of issue 9: the Dialer.io client reads only the fields it uses; a missing optional
// field becomes null instead of failing the whole answer (and with it a workflow action).

const PORTAL = 560001;
let app: TestApp;
let portal: Awaited<ReturnType<typeof connectedPortal>>;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  portal = await connectedPortal(app, PORTAL);
});
afterAll(() => app.stop());

describe('a tolerant Dialer.io reader', () => {
  it('a contact answer without company, timezone, fields or lists still completes the action', async () => {
    // The contact exists in Dialer.io (an earlier enrollment in another list).
    const first = actionCall(PORTAL, { contactId: 701, inputFields: { list: portal.lists.cold.id } });
    expect((await callAction(app, 'addToList', first)).outputFields.hs_execution_state).toBe('SUCCESS');
    // Dialer.io answers the upsert with a contact that lacks fields we do not use.
    app.dialer.failNext(1, {
      status: 200,
      pathPrefix: '/contacts/701',
      method: 'PUT',
      body: { contact: { id: 'dc_701', external_id: '701', phone: '+14155550100', dnc: false } },
    });
    const body = actionCall(PORTAL, { contactId: 701, inputFields: { list: portal.lists.hot.id } });
    const answer = await callAction(app, 'addToList', body);
    expect(answer).toEqual({
      status: 200,
      outputFields: { hs_execution_state: 'SUCCESS', result: 'added', dialer_contact_id: 'dc_701' },
    });
  });
});
