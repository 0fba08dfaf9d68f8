import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { installAndConnect, waitForSyncIdle } from '../call-logging/test-setup.ts';
import { createDialerClient } from '../dialer/index.ts';
import { eventually } from '../../test/support/test-app.ts';
import { installationId } from '../mappings/test-helpers.ts';
import { answeredCall, mediaRow } from '../recordings/test-support.ts';

interface Status {
  dialer: {
    linked: boolean;
    dialerContactId: string | null;
    doNotCall: boolean | null;
    lineType: string | null;
  };
  lists: { listId: string; name: string; addedAt: string | null }[];
  calls: {
    callId: string;
    direction: string | null;
    outcome: string | null;
    owner: string | null;
    syncState: string;
    hasRecording: boolean;
    transcriptSent: boolean;
  }[];
  lastError: { message: string } | null;
}

const PORTAL = 660001;
let app: TestApp;
let account: { id: string; token: string };
let jane: string;
let noPhone: string;

beforeAll(async () => {
  app = await startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '200' } });
  ({ account } = await installAndConnect(app, PORTAL));
  jane = app.hubspot.addContact(PORTAL, {
    firstname: 'Jane',
    lastname: 'Doe',
    phone: '+61 2 9374 4000',
    email: 'jane@example.com',
  });
  noPhone = app.hubspot.addContact(PORTAL, { firstname: 'No', lastname: 'Phone' });
  app.dialer.addList(account.id, { id: 'list_q4', name: 'Q4 campaign' });
  app.hubspot.setUser(PORTAL, 1, { superAdmin: true });
});
afterAll(() => app.stop());

const call = (method: string, path: string, portalId = PORTAL) =>
  app.api(method, path, { portalId, userId: 1 });

describe('the contact card backend', () => {
  it('syncs the contact to Dialer.io and shows it with its lists, calls and compliance data', async () => {
    const sync = await call('POST', `/api/contacts/${jane}/sync`);
    expect(sync.status).toBe(200);
    const inDialer = app.dialer.contact(account.id, jane)!;
    expect(inDialer).toMatchObject({
      external_id: jane,
      phone: '+61293744000',
      email: 'jane@example.com',
      first_name: 'Jane',
    });

    await createDialerClient({ baseUrl: app.dialer.url, apiToken: account.token }).addListMember(
      'list_q4',
      jane,
    );
    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(
        account.id,
        { id: 'c-card', to_number: '+61 2 9374 4000' },
        { answered: true },
      ),
    );
    await waitForSyncIdle(app, PORTAL);

    const status = (await (await call('GET', `/api/contacts/${jane}/status`)).json()) as Status;
    expect(status.dialer).toMatchObject({
      linked: true,
      dialerContactId: inDialer.id,
      doNotCall: false,
      lineType: expect.any(String),
    });
    expect(status.lists).toEqual([{ listId: 'list_q4', name: 'Q4 campaign', addedAt: expect.any(String) }]);
    expect(status.calls).toEqual([
      expect.objectContaining({
        callId: 'c-card',
        direction: 'outbound',
        outcome: 'Connected',
        owner: 'Ann Agent',
        syncState: 'synced',
      }),
    ]);
    expect(status.lastError).toBeNull();
  });

  it('marks each call with a recording that plays in HubSpot and a transcript sent, from call_media', async () => {
    const on = await app.api('PATCH', '/api/settings', {
      portalId: PORTAL,
      userId: 1,
      body: { sendTranscripts: true },
    });
    expect(on.status).toBe(200);
    const utterance = { speaker: 'agent' as const, text: 'Hello, Ann here.', start_ms: 0, end_ms: 900 };
    const both = answeredCall(app, account.id, { id: 'c-both', to_number: '+61 2 9374 4000' });
    const deleted = answeredCall(app, account.id, { id: 'c-deleted', to_number: '+61 2 9374 4000' });
    app.dialer.setRecording(account.id, 'c-both', 'ready');
    app.dialer.setTranscript(account.id, 'c-both', [utterance]);
    app.dialer.emitBatch(account.id, [
      ...both.events,
      ...deleted.events,
      ['call.recording_ready', { call: both.final }],
      ['call.transcribed', { call: both.final }],
      ['call.recording_ready', { call: deleted.final }],
      ['call.recording_deleted', { call: deleted.final }],
    ]);
    await waitForSyncIdle(app, PORTAL);
    await eventually(() => app.hubspot.transcripts(PORTAL).length === 1);
    const installation = await installationId(app, PORTAL);
    await eventually(async () => (await mediaRow(app, installation, 'c-deleted'))?.recording === 'deleted');
    await eventually(async () => (await mediaRow(app, installation, 'c-both'))?.transcript === 'sent');
    expect((await mediaRow(app, installation, 'c-both'))?.recording).toBe('ready');

    const status = (await (await call('GET', `/api/contacts/${jane}/status`)).json()) as Status;
    const media = Object.fromEntries(
      status.calls.map((c) => [c.callId, { hasRecording: c.hasRecording, transcriptSent: c.transcriptSent }]),
    );
    expect(media).toEqual({
      'c-both': { hasRecording: true, transcriptSent: true },
      'c-deleted': { hasRecording: false, transcriptSent: false },
      'c-card': { hasRecording: false, transcriptSent: false },
    });
    // The activity log has the call's own steps for both, as the settings page's "Steps" shows them.
    const activity = (await (await call('GET', '/api/activity?callId=c-both&limit=100')).json()) as {
      items: { callId: string; step: string }[];
    };
    expect(activity.items.map((item) => item.step)).toEqual(
      expect.arrayContaining(['recording_ready', 'transcript_sent']),
    );
    expect(new Set(activity.items.map((item) => item.callId))).toEqual(new Set(['c-both']));
  });

  it('removes the contact from every Dialer.io list', async () => {
    const response = await call('DELETE', `/api/contacts/${jane}/memberships`);
    expect(response.status).toBe(200);
    expect(app.dialer.contact(account.id, jane)!.lists).toEqual([]);
    expect(app.dialer.requestsTo('DELETE', `/v1/contacts/${jane}/memberships`)).toHaveLength(1);
  });

  it('refuses a contact without a phone number with a clear message, sends nothing, and shows the error', async () => {
    app.dialer.clearRequests();
    const response = await call('POST', `/api/contacts/${noPhone}/sync`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'no_phone', message: expect.stringContaining('no phone number') },
    });
    expect(app.dialer.requestsTo('PUT', '/v1/contacts')).toHaveLength(0);
    const status = (await (await call('GET', `/api/contacts/${noPhone}/status`)).json()) as Status;
    expect(status.lastError?.message).toContain('no phone number');
  });

  it("never touches another portal's contact", async () => {
    app.hubspot.createPortal({ portalId: 660002 });
    const theirs = app.hubspot.addContact(660002, { firstname: 'Other', phone: '+61 2 9000 1111' });
    app.dialer.clearRequests();
    for (const [method, path] of [
      ['GET', 'status'],
      ['POST', 'sync'],
      ['DELETE', 'memberships'],
    ] as const) {
      const response = await call(method, `/api/contacts/${theirs}/${path}`);
      expect(response.status).toBe(404);
    }
    expect(app.dialer.requests).toHaveLength(0);
  });
});
