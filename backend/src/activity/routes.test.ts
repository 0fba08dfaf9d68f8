import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { FAST_RECOVERY_ENV } from '../call-logging/test-recovery-setup.ts';
import { installAndConnect, waitForSyncIdle } from '../call-logging/test-setup.ts';

interface Page {
  items: { id: number; callId: string | null; level: string; step: string; message: string }[];
  nextCursor: string | null;
}

let app: TestApp;
let accountId: string;
const PORTAL = 640001;
const get = async (path: string) =>
  (await (await app.api('GET', path, { portalId: PORTAL, userId: 1 })).json()) as Page;

beforeAll(async () => {
  app = await startTestApp({ env: { ...FAST_RECOVERY_ENV } });
  ({
    account: { id: accountId },
  } = await installAndConnect(app, PORTAL));
  app.hubspot.addContact(PORTAL, { firstname: 'Jane', lastname: 'Doe', phone: '+61 2 9374 4000' });
  app.hubspot.setUser(PORTAL, 1, { superAdmin: true });
});
afterAll(() => app.stop());

describe('the activity log', () => {
  it('records a permanent HubSpot refusal with its reason, and retries the call on request', async () => {
    app.hubspot.failNext(1, {
      status: 400,
      body: { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid' },
      pathPrefix: '/crm/objects/2026-03/calls/batch/create',
    });
    app.dialer.emitBatch(
      accountId,
      app.dialer.callLifecycle(accountId, { id: 'c-refused', to_number: '02 9374 4000' }, { answered: true }),
    );
    await waitForSyncIdle(app, PORTAL);
    expect(
      app.hubspot.portal(PORTAL).calls.filter((c) => c.properties.hs_call_external_id === 'c-refused'),
    ).toHaveLength(0);
    const errors = await get('/api/activity?level=error&callId=c-refused');
    expect(errors.items[0]).toMatchObject({
      step: 'hubspot_failed',
      message: expect.stringContaining('Property values were not valid'),
    });

    const retry = await app.api('POST', '/api/activity/calls/c-refused/retry', {
      portalId: PORTAL,
      userId: 1,
    });
    expect(retry.status).toBe(200);
    await waitForSyncIdle(app, PORTAL);
    expect(
      app.hubspot.portal(PORTAL).calls.filter((c) => c.properties.hs_call_external_id === 'c-refused'),
    ).toHaveLength(1);
    const again = await app.api('POST', '/api/activity/calls/c-refused/retry', {
      portalId: PORTAL,
      userId: 1,
    });
    expect(again.status).toBe(404);
  });

  it('retries 5xx with backoff and still writes the call once', async () => {
    app.hubspot.failNext(2, {
      status: 503,
      pathPrefix: '/crm/objects/2026-03/calls/batch/create',
      afterHandling: true,
    });
    app.dialer.emitBatch(
      accountId,
      app.dialer.callLifecycle(accountId, { id: 'c-flaky' }, { answered: true }),
    );
    await waitForSyncIdle(app, PORTAL);
    expect(
      app.hubspot.portal(PORTAL).calls.filter((c) => c.properties.hs_call_external_id === 'c-flaky'),
    ).toHaveLength(1);
    const warnings = await get('/api/activity?level=warning');
    // HubSpot failing is about the portal: it pauses (and says so), it does not fail the call.
    expect(
      warnings.items.some((i) => i.step === 'portal_paused' && /HubSpot is not answering/.test(i.message)),
    ).toBe(true);
  });

  it('filters by phone number in any format and pages newest first without overlap', async () => {
    const byPhone = await get(`/api/activity?phone=${encodeURIComponent('(02) 9374-4000')}`);
    expect(byPhone.items.length).toBeGreaterThan(0);
    expect(byPhone.items.every((i) => i.callId === 'c-refused')).toBe(true);

    const seen: number[] = [];
    let cursor: string | null = '';
    for (let pages = 0; cursor !== null && pages < 100; pages++) {
      const page: Page = await get(`/api/activity?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    expect(seen.length).toBeGreaterThan(6);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);

    const bad = await app.api('GET', '/api/activity?level=loud', { portalId: PORTAL, userId: 1 });
    expect(bad.status).toBe(400);
  });

  it('never shows another portal its entries', async () => {
    app.hubspot.createPortal({ portalId: 640002 });
    await app.install(640002);
    app.hubspot.setUser(640002, 1, { superAdmin: true });
    const other = (await (
      await app.api('GET', '/api/activity', { portalId: 640002, userId: 1 })
    ).json()) as Page;
    expect(other.items).toEqual([]);
    const retry = await app.api('POST', '/api/activity/calls/c-refused/retry', {
      portalId: 640002,
      userId: 1,
    });
    expect(retry.status).toBe(404);
  });
});
