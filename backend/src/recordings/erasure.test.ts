import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, waitForSyncIdle } from '../call-logging/test-setup.ts';
import {
  APP_ID,
  answeredCall,
  askForRecording,
  connectedPortal,
  mediaRow,
  startRecordingsApp,
} from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('erasure of a recorded call', { timeout: 120_000 }, () => {
  it('removes what we keep of its recording; HubSpot gets 404 for it afterwards', async () => {
    app = await startRecordingsApp();
    const portal = await connectedPortal(app, 550001);
    const { events, final } = answeredCall(app, portal.account.id, {
      id: 'erase-1',
      to_number: '02 9374 4000',
    });
    app.dialer.setRecording(portal.account.id, 'erase-1', 'ready');
    app.dialer.emitBatch(portal.account.id, [...events, ['call.recording_ready', { call: final }]]);
    await waitForSyncIdle(app, 550001);
    await eventually(async () => (await mediaRow(app!, portal.installationId, 'erase-1'))?.ready_sent_at);
    const ask = () => askForRecording(app!, 'erase-1', { appId: APP_ID, externalAccountId: portal.key });
    expect((await ask()).status).toBe(200); // and the link is cached in this process now

    const erased = await app.api('POST', '/api/privacy/erasures', {
      portalId: 550001,
      userId: ADMIN,
      body: { phone: '+61 2 9374 4000', confirm: 'ERASE' },
    });
    expect(erased.status).toBe(200);
    expect(await mediaRow(app, portal.installationId, 'erase-1')).toBeUndefined();
    app.dialer.clearRequests();
    expect((await ask()).status).toBe(404);
    expect(app.dialer.requestsTo('GET', '/v1/calls/')).toHaveLength(0);
  });
});
