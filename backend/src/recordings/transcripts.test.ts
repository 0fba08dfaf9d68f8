import { afterEach, describe, expect, it } from 'vitest';
import { inlineJobContext } from '../../test/support/inline-job.ts';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, waitForSyncIdle } from '../call-logging/test-setup.ts';
import { noticeSweep } from './notice-sweep.ts';
import { answeredCall, connectedPortal, hubspotCall, mediaRow, startRecordingsApp } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const UTTERANCES = [
  { speaker: 'agent' as const, text: 'Hello, this is Ann from Acme.', start_ms: 0, end_ms: 1800 },
  { speaker: 'contact' as const, text: 'Hi Ann, go ahead.', start_ms: 1900, end_ms: 3100 },
];
const transcriptReads = (a: TestApp) => a.dialer.requestsTo('GET', /^\/v1\/calls\/[^/]+\/transcript$/);

describe('Dialer.io transcripts in HubSpot', { timeout: 120_000 }, () => {
  it('off by default; once on, a transcript that came before its call is sent after it, once, speakers mapped', async () => {
    app = await startRecordingsApp();
    const portal = await connectedPortal(app, 540001);
    app.hubspot.addContact(540001, { firstname: 'Jane', lastname: 'Doe', phone: '+61 2 9374 4000' });
    const settings = async () =>
      (await (await app!.api('GET', '/api/settings', { portalId: 540001 })).json()) as {
        sendTranscripts: boolean;
      };
    expect((await settings()).sendTranscripts).toBe(false);

    // Off: the transcript is not read from Dialer.io, nothing reaches HubSpot.
    const off = answeredCall(app, portal.account.id, { id: 'tr-off', to_number: '02 9374 4000' });
    app.dialer.setTranscript(portal.account.id, 'tr-off', UTTERANCES);
    app.dialer.emitBatch(portal.account.id, [...off.events, ['call.transcribed', { call: off.final }]]);
    await waitForSyncIdle(app, 540001);
    await eventually(
      async () => (await mediaRow(app!, portal.installationId, 'tr-off'))?.transcript === 'skipped',
    );
    expect(transcriptReads(app)).toHaveLength(0);

    // Only a super admin turns it on.
    const refused = await app.api('PATCH', '/api/settings', {
      portalId: 540001,
      userId: 77,
      body: { sendTranscripts: true },
    });
    expect(refused.status).toBe(403);
    const patched = await app.api('PATCH', '/api/settings', {
      portalId: 540001,
      userId: ADMIN,
      body: { sendTranscripts: true },
    });
    expect(patched.status).toBe(200);
    expect((await settings()).sendTranscripts).toBe(true);

    // The transcript event comes while the call is live: the call is not in HubSpot yet.
    const { events, final } = answeredCall(app, portal.account.id, { id: 'tr-1', to_number: '02 9374 4000' });
    app.dialer.setTranscript(portal.account.id, 'tr-1', UTTERANCES);
    app.dialer.emitBatch(portal.account.id, [
      events[0]!,
      events[1]!,
      ['call.transcribed', { call: events[1]![1].call }],
    ]);
    await eventually(
      async () => (await mediaRow(app!, portal.installationId, 'tr-1'))?.transcript === 'available',
    );
    await waitForSyncIdle(app, 540001);
    expect(hubspotCall(app, 540001, 'tr-1')).toBeUndefined();
    expect(app.hubspot.transcripts(540001)).toHaveLength(0);

    // The call ends: written, then its transcript follows; a second `call.transcribed` sends nothing.
    app.dialer.emitBatch(portal.account.id, [...events.slice(2), ['call.transcribed', { call: final }]], {
      duplicate: true,
    });
    await waitForSyncIdle(app, 540001);
    await eventually(() => app!.hubspot.transcripts(540001).length > 0);
    await waitForSyncIdle(app, 540001);
    const call = hubspotCall(app, 540001, 'tr-1')!;
    const sent = app.hubspot.transcripts(540001);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.engagementId).toBe(Number(call.id));
    const owner = app.hubspot.portal(540001).owners.find((o) => o.email === 'ann.agent@example.com')!;
    expect(sent[0]!.utterances).toEqual([
      {
        speaker: { id: '901', name: 'Ann Agent', email: owner.email },
        text: 'Hello, this is Ann from Acme.',
        languageCode: 'en-US',
        startTimeMillis: 0,
        endTimeMillis: 1800,
      },
      {
        speaker: { id: expect.stringMatching(/^contact-/), name: 'Jane Doe' },
        text: 'Hi Ann, go ahead.',
        languageCode: 'en-US',
        startTimeMillis: 1900,
        endTimeMillis: 3100,
      },
    ]);
    const row = await mediaRow(app, portal.installationId, 'tr-1');
    expect(row).toMatchObject({ transcript: 'sent', transcript_id: sent[0]!.id });
    expect(transcriptReads(app)).toHaveLength(1);
  });

  it('a call logged before gains the attribution on its next update; a refused notice fails only that call', async () => {
    app = await startRecordingsApp();
    const portal = await connectedPortal(app, 540011);
    const { events, final } = answeredCall(app, portal.account.id, { id: 'old-1' });
    app.dialer.emitBatch(portal.account.id, events);
    await waitForSyncIdle(app, 540011);
    // As the code before issue 19 left it: no attribution in HubSpot nor in what we sent.
    const attribution = ['hs_call_source', 'hs_call_app_id', 'hs_call_external_account_id'];
    const call = hubspotCall(app, 540011, 'old-1')!;
    for (const name of attribution) delete call.properties[name];
    const row = await app.runtime.ctx.db
      .selectFrom('calls')
      .select('properties')
      .where('installation_id', '=', portal.installationId)
      .where('call_id', '=', 'old-1')
      .executeTakeFirstOrThrow();
    const sentBefore = Object.fromEntries(
      Object.entries(row.properties as Record<string, string>).filter(
        ([name]) => !attribution.includes(name),
      ),
    );
    await app.runtime.ctx.db
      .updateTable('calls')
      .set({ properties: JSON.stringify(sentBefore) })
      .where('installation_id', '=', portal.installationId)
      .where('call_id', '=', 'old-1')
      .execute();

    // Its recording comes; HubSpot refuses the first "ready" for this call (400): only it waits.
    app.dialer.setRecording(portal.account.id, 'old-1', 'ready');
    app.hubspot.failNext(1, {
      method: 'POST',
      pathPrefix: '/crm/extensions/calling/2026-03/recordings/ready',
      status: 400,
      body: { status: 'error', message: 'Refused', category: 'VALIDATION_ERROR' },
    });
    app.dialer.emitBatch(portal.account.id, [
      ['call.dispositioned', { call: { ...final, notes: 'Interested' } }],
      ['call.recording_ready', { call: final }],
    ]);
    await waitForSyncIdle(app, 540011);
    const update = app.hubspot
      .requestsTo('POST', '/crm/objects/2026-03/calls/batch/update')
      .map((r) => (r.body as { inputs: { properties: Record<string, string> }[] }).inputs[0]!.properties)
      .at(-1)!;
    expect(update).toMatchObject({
      hs_call_source: 'INTEGRATIONS_PLATFORM',
      hs_call_app_id: '424242',
      hs_call_external_account_id: portal.key,
    });
    expect(hubspotCall(app, 540011, 'old-1')!.properties.hs_call_source).toBe('INTEGRATIONS_PLATFORM');
    await eventually(async () => (await mediaRow(app!, portal.installationId, 'old-1'))?.attempts === 1);
    const failed = await mediaRow(app, portal.installationId, 'old-1');
    expect(failed).toMatchObject({ ready_sent_at: null, attempts: 1 });
    expect(failed!.last_error).toBeTruthy();
    // Other calls go on meanwhile; the portal is not paused.
    const other = answeredCall(app, portal.account.id, { id: 'new-1' });
    app.dialer.setRecording(portal.account.id, 'new-1', 'ready');
    app.dialer.emitBatch(portal.account.id, [
      ...other.events,
      ['call.recording_ready', { call: other.final }],
    ]);
    await waitForSyncIdle(app, 540011);
    await eventually(() => app!.hubspot.recordingsReady(540011).length === 1);
    expect(app.hubspot.recordingsReady(540011)).toEqual([Number(hubspotCall(app, 540011, 'new-1')!.id)]);

    // Its retry falls due: the minute's sweep runs the portal's pipeline, which sends it, once.
    await app.runtime.ctx.db
      .updateTable('call_media')
      .set({ next_attempt_at: new Date(Date.now() - 1000) })
      .where('installation_id', '=', portal.installationId)
      .where('call_id', '=', 'old-1')
      .execute();
    await noticeSweep(app.runtime.ctx).definition.handle({}, inlineJobContext(app.runtime.ctx.logger));
    await eventually(() => app!.hubspot.recordingsReady(540011).length === 2);
    await waitForSyncIdle(app, 540011);
    expect(app.hubspot.recordingsReady(540011)).toEqual([
      Number(hubspotCall(app, 540011, 'new-1')!.id),
      Number(call.id),
    ]);

    // Refused again and again: given up after the last attempt, with an error; never retried after.
    const refuse = {
      method: 'POST',
      pathPrefix: '/crm/extensions/calling/2026-03/recordings/ready',
      status: 400,
      body: { status: 'error', message: 'Refused', category: 'VALIDATION_ERROR' },
    };
    const last = answeredCall(app, portal.account.id, { id: 'refused-1' });
    app.dialer.setRecording(portal.account.id, 'refused-1', 'ready');
    app.hubspot.failNext(1, refuse);
    app.dialer.emitBatch(portal.account.id, [...last.events, ['call.recording_ready', { call: last.final }]]);
    await eventually(async () => (await mediaRow(app!, portal.installationId, 'refused-1'))?.attempts === 1);
    await app.runtime.ctx.db
      .updateTable('call_media')
      .set({ attempts: 11, next_attempt_at: new Date(Date.now() - 1000) })
      .where('installation_id', '=', portal.installationId)
      .where('call_id', '=', 'refused-1')
      .execute();
    app.hubspot.failNext(1, refuse);
    await noticeSweep(app.runtime.ctx).definition.handle({}, inlineJobContext(app.runtime.ctx.logger));
    await eventually(async () => (await mediaRow(app!, portal.installationId, 'refused-1'))?.attempts === 12);
    const givenUp = await mediaRow(app, portal.installationId, 'refused-1');
    expect(givenUp!.next_attempt_at.getUTCFullYear()).toBe(9999);
    expect(givenUp!.ready_sent_at).toBeNull();
  });
});
