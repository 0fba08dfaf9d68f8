import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import { waitForSyncIdle } from '../call-logging/test-setup.ts';
import {
  APP_ID,
  answeredCall,
  askForRecording,
  connectedPortal,
  hubspotCall,
  mediaRow,
  startRecordingsApp,
  waitForHubSpotCall,
} from './test-support.ts';
import { registerRecordingUrl } from './registration.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const recordingRequests = (a: TestApp) => a.dialer.requestsTo('GET', /^\/v1\/calls\/[^/]+\/recording$/);

describe('recordings that play in HubSpot, the audio staying in Dialer.io', { timeout: 120_000 }, () => {
  it('logs a recorded call with the attribution, marks it ready once, and HubSpot plays it', async () => {
    app = await startRecordingsApp();
    const portal = await connectedPortal(app, 530001);
    // The release step (npm run hubspot:register-recordings) registered the URL HubSpot fills in.
    await registerRecordingUrl(app.runtime.ctx, app.url);
    expect(app.hubspot.recordingUrls.get(APP_ID)).toBe(`${app.url}/hubspot/recordings/%s`);
    // The connection subscribed to the recording events.
    expect(app.dialer.account(portal.account.id).webhooks[0]!.events).toEqual(
      expect.arrayContaining(['call.recording_ready', 'call.transcribed', 'call.recording_deleted']),
    );

    const { events, final } = answeredCall(app, portal.account.id, { id: 'rec-1' });
    app.dialer.setRecording(portal.account.id, 'rec-1', 'ready');
    // `recording_ready` twice (two deliveries of one event and a second event), before `call.ended`.
    const ready = ['call.recording_ready', { call: final }] as [string, unknown];
    app.dialer.emitBatch(portal.account.id, [events[0]!, ready, ready, ...events.slice(1)], {
      duplicate: true,
    });
    await waitForSyncIdle(app, 530001);
    const call = (await waitForHubSpotCall(app, 530001, 'rec-1'))!;
    await eventually(() => app!.hubspot.recordingsReady(530001).length > 0);
    await waitForSyncIdle(app, 530001);
    expect(app.hubspot.recordingsReady(530001)).toEqual([Number(call.id)]);
    expect(call.properties).toMatchObject({
      hs_call_source: 'INTEGRATIONS_PLATFORM',
      hs_call_app_id: APP_ID,
      hs_call_external_id: 'rec-1',
      hs_call_external_account_id: portal.key,
    });
    expect(portal.key).toMatch(/^[0-9a-f]{64}$/);
    expect(call.properties.hs_call_recording_url).toBeUndefined();
    expect(call.properties.hs_call_body).toContain(
      'Open in Dialer.io: https://recordings.dialer.io/rec-1.mp3',
    );

    // A user presses play: HubSpot asks us, follows the link with a Range request, gets 206.
    const played = await app.hubspot.playRecording(530001, call.id);
    expect(played.status).toBe(200);
    expect(played.authenticatedUrl).toMatch(new RegExp(`^${app.dialer.url}/media/`));
    expect(played.audio).toMatchObject({
      status: 206,
      contentRange: expect.stringMatching(/^bytes 0-1023\//),
    });
    expect(played.audio!.bytes.subarray(0, 4).toString()).toBe('RIFF');
    expect(recordingRequests(app)).toHaveLength(1);
    // Scrubbing asks again: the short-lived cache answers, Dialer.io is not asked twice.
    expect((await app.hubspot.playRecording(530001, call.id)).status).toBe(200);
    expect(recordingRequests(app)).toHaveLength(1);
  });

  it('answers 404 or 401 for what is not that account’s recording, without asking Dialer.io', async () => {
    app = await startRecordingsApp();
    const one = await connectedPortal(app, 530011);
    const two = await connectedPortal(app, 530012);
    for (const [portal, id] of [
      [one, 'mine-1'],
      [two, 'theirs-1'],
    ] as const) {
      const { events, final } = answeredCall(app, portal.account.id, { id });
      app.dialer.setRecording(portal.account.id, id, 'ready');
      app.dialer.emitBatch(portal.account.id, [...events, ['call.recording_ready', { call: final }]]);
    }
    await waitForSyncIdle(app, 530011);
    await waitForSyncIdle(app, 530012);
    await eventually(() => app!.hubspot.recordingsReady(530012).length === 1);
    const { events } = answeredCall(app, one.account.id, { id: 'no-recording' });
    app.dialer.emitBatch(one.account.id, events);
    await waitForSyncIdle(app, 530011);
    app.dialer.clearRequests();

    const asks: [string, Record<string, string>, Record<string, string>?][] = [
      ['theirs-1', { appId: APP_ID, externalAccountId: one.key }], // another account's call
      ['mine-1', { appId: APP_ID, externalAccountId: two.key }], // named with another portal's key
      ['mine-1', { appId: APP_ID, externalAccountId: 'f'.repeat(64) }], // a guessed key
      ['mine-1', { appId: APP_ID }], // no key
      ['mine-1', { appId: '1', externalAccountId: one.key }], // another app
      ['unknown', { appId: APP_ID, externalAccountId: one.key }], // no such call
      ['no-recording', { appId: APP_ID, externalAccountId: one.key }], // a call without recording
    ];
    for (const [id, query] of asks) expect((await askForRecording(app, id, query)).status, id).toBe(404);
    const forged = { 'x-hubspot-signature-v3': 'forged', 'x-hubspot-request-timestamp': String(Date.now()) };
    const signedBadly = await askForRecording(
      app,
      'mine-1',
      { appId: APP_ID, externalAccountId: one.key },
      forged,
    );
    expect(signedBadly.status).toBe(401);
    expect(recordingRequests(app)).toHaveLength(0);

    // The right request gets the link.
    const right = await askForRecording(app, 'mine-1', { appId: APP_ID, externalAccountId: one.key });
    expect(right.status).toBe(200);
    expect(((await right.json()) as { authenticatedUrl: string }).authenticatedUrl).toContain('/media/');

    // A disconnected account: 404, nothing asked.
    const disconnect = await app.api('DELETE', '/api/dialer/connection', { portalId: 530011, userId: 41 });
    expect(disconnect.status).toBeLessThan(300);
    app.dialer.clearRequests();
    const gone = await askForRecording(app, 'mine-1', { appId: APP_ID, externalAccountId: one.key });
    expect(gone.status).toBe(404);
    expect(recordingRequests(app)).toHaveLength(0);
  });

  it('a deleted recording: the body says so once, and HubSpot gets 404 from then on', async () => {
    app = await startRecordingsApp();
    const portal = await connectedPortal(app, 530021);
    await registerRecordingUrl(app.runtime.ctx, app.url);
    const { events, final } = answeredCall(app, portal.account.id, { id: 'del-1' });
    app.dialer.setRecording(portal.account.id, 'del-1', 'ready');
    app.dialer.emitBatch(portal.account.id, [...events, ['call.recording_ready', { call: final }]]);
    await waitForSyncIdle(app, 530021);
    await eventually(() => app!.hubspot.recordingsReady(530021).length === 1);
    const call = hubspotCall(app, 530021, 'del-1')!;
    expect((await app.hubspot.playRecording(530021, call.id)).status).toBe(200);

    const updatesBefore = app.hubspot.requestsTo('POST', '/crm/objects/2026-03/calls/batch/update').length;
    app.dialer.setRecording(portal.account.id, 'del-1', 'deleted');
    app.dialer.emitBatch(portal.account.id, [['call.recording_deleted', { call: final }]], {
      duplicate: true,
    });
    await waitForSyncIdle(app, 530021);
    await eventually(() => hubspotCall(app!, 530021, 'del-1')!.properties.hs_call_body?.includes('deleted'));
    expect(hubspotCall(app, 530021, 'del-1')!.properties.hs_call_body).toContain(
      'The recording was deleted in Dialer.io.',
    );
    // A later `recording_ready` does not bring it back; a second deletion changes nothing.
    app.dialer.emitBatch(portal.account.id, [['call.recording_ready', { call: final }]]);
    await waitForSyncIdle(app, 530021);
    expect((await mediaRow(app, portal.installationId, 'del-1'))?.recording).toBe('deleted');
    app.dialer.emitBatch(portal.account.id, [['call.recording_deleted', { call: final }]]);
    await waitForSyncIdle(app, 530021);
    expect(app.hubspot.requestsTo('POST', '/crm/objects/2026-03/calls/batch/update')).toHaveLength(
      updatesBefore + 1,
    );
    expect((await mediaRow(app, portal.installationId, 'del-1'))?.recording).toBe('deleted');
    app.dialer.clearRequests();
    expect((await app.hubspot.playRecording(530021, call.id)).status).toBe(404);
    expect(recordingRequests(app)).toHaveLength(0);
    expect(app.hubspot.recordingsReady(530021)).toHaveLength(1);
  });
});
