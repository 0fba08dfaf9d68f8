import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { FAILURE_MESSAGES } from './failures.ts';
import { findContactLink } from './repository.ts';
import { actionCall, callAction, connectedPortal, postSigned } from './test-helpers.ts';

const PORTAL = 550003;
const UNCONNECTED = 550004;
let app: TestApp;
let portal: Awaited<ReturnType<typeof connectedPortal>>;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  portal = await connectedPortal(app, PORTAL);
  await app.install(UNCONNECTED);
  // The options URL reads the lists once: the mirror is fresh for the executions below.
  await postSigned(app, 'listOptions', {
    origin: { portalId: PORTAL },
    inputFieldName: 'list',
    fetchOptions: {},
  });
});
afterAll(() => app.stop());
beforeEach(() => app.dialer.clearRequests());

const failed = (code: keyof typeof FAILURE_MESSAGES) =>
  expect.objectContaining({ hs_execution_state: 'FAIL_CONTINUE', error_code: code });

describe('failures a workflow user can read', () => {
  it('no phone number: FAIL_CONTINUE with the message, nothing sent to Dialer.io', async () => {
    const answer = await callAction(
      app,
      'addToList',
      actionCall(PORTAL, {
        contactId: 801,
        inputFields: { list: portal.lists.hot.id },
        properties: { phone: '', mobilephone: null, email: 'x@example.com' },
      }),
    );
    expect(answer.outputFields).toEqual({
      hs_execution_state: 'FAIL_CONTINUE',
      error_code: 'NO_PHONE',
      error_message: FAILURE_MESSAGES.NO_PHONE,
    });
    expect(answer.outputFields.error_message).toMatch(/^This contact has no phone number/);
    expect(app.dialer.requests).toHaveLength(0);

    const installation = (await findInstallationByPortal(app.runtime.ctx.db, PORTAL))!;
    expect(await findContactLink(app.runtime.ctx.db, installation.id, '801')).toMatchObject({
      dialer_contact_id: null,
      last_error: FAILURE_MESSAGES.NO_PHONE,
    });
    const [entry] = await app.runtime.ctx.db
      .selectFrom('activity_log')
      .selectAll()
      .where('installation_id', '=', installation.id)
      .where('contact_id', '=', '801')
      .execute();
    expect(entry).toMatchObject({ level: 'warning', step: 'workflow_action_failed' });
  });

  it('a phone number that is not a number: FAIL_CONTINUE, nothing sent', async () => {
    const answer = await callAction(
      app,
      'addToList',
      actionCall(PORTAL, {
        contactId: 802,
        inputFields: { list: portal.lists.hot.id },
        properties: { phone: 'ask reception' },
      }),
    );
    expect(answer.outputFields).toEqual(failed('INVALID_PHONE'));
    expect(app.dialer.requests).toHaveLength(0);
  });

  it.each([
    ['add', 'addToList', (list: string) => ({ list })],
    ['remove', 'removeFromList', (list: string) => ({ scope: 'one_list', list })],
  ] as const)('an archived list (%s): FAIL_CONTINUE, nothing sent', async (_name, path, inputs) => {
    const answer = await callAction(
      app,
      path,
      actionCall(PORTAL, { contactId: 803, inputFields: inputs(portal.lists.archived.id) }),
    );
    expect(answer.outputFields).toEqual(failed('ARCHIVED_LIST'));
    expect(answer.outputFields.error_message).toBe(FAILURE_MESSAGES.ARCHIVED_LIST);
    expect(app.dialer.requests).toHaveLength(0);
  });

  it('an unknown list: FAIL_CONTINUE, nothing sent while the lists are fresh', async () => {
    const answer = await callAction(
      app,
      'addToList',
      actionCall(PORTAL, { contactId: 804, inputFields: { list: 'lst_gone' } }),
    );
    expect(answer.outputFields).toEqual(failed('UNKNOWN_LIST'));
    expect(app.dialer.requests).toHaveLength(0);
  });

  it('Dialer.io not connected for the portal: FAIL_CONTINUE asking to connect it, nothing sent', async () => {
    for (const [path, inputFields] of [
      ['addToList', { list: portal.lists.hot.id }],
      ['removeFromList', { scope: 'all_lists' }],
    ] as const) {
      const answer = await callAction(app, path, actionCall(UNCONNECTED, { contactId: 805, inputFields }));
      expect(answer.outputFields).toEqual(failed('DIALER_NOT_CONNECTED'));
      expect(answer.outputFields.error_message).toContain('Connect Dialer.io in the Dialer Sync settings');
    }
    expect(app.dialer.requests).toHaveLength(0);
  });

  it('an action without its list: FAIL_CONTINUE naming the missing input', async () => {
    const answer = await callAction(
      app,
      'removeFromList',
      actionCall(PORTAL, { contactId: 806, inputFields: { scope: 'one_list' } }),
    );
    expect(answer.outputFields).toEqual(failed('INVALID_INPUT'));
    expect(answer.outputFields.error_detail).toContain('list');
    expect(app.dialer.requests).toHaveLength(0);
  });

  it('answers 403 for a portal without an installation and 400 for a body that is not an action call', async () => {
    const notInstalled = await postSigned(
      app,
      'addToList',
      actionCall(559999, { inputFields: { list: 'x' } }),
    );
    expect(notInstalled.status).toBe(403);
    const malformed = await postSigned(app, 'addToList', { origin: { portalId: PORTAL } });
    expect(malformed.status).toBe(400);
    expect(app.dialer.requests).toHaveLength(0);
  });
});
