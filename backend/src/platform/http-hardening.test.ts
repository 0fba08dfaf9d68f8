import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDialerConnection } from '../../test/support/dialer-fixtures.ts';
import { callEndedBody, postDialerWebhook } from '../../test/support/dialer-signing.ts';
import { deliverHubSpotEvents, hubSpotEvent } from '../../test/support/hubspot-webhooks.ts';
import { hubspotSignedFetch } from '../../test/support/hubspot-signing.ts';
import { startTestApp, TEST_CLIENT_SECRET, type TestApp } from '../../test/support/test-app.ts';

const PORTAL = 840001;
let app: TestApp;
let dialer: Awaited<ReturnType<typeof seedDialerConnection>>;
beforeAll(async () => {
  app = await startTestApp({
    workers: false,
    env: { RATE_LIMIT_PER_WEBHOOK_KEY_PER_MINUTE: '5', RATE_LIMIT_PER_IP_PER_MINUTE: '400' },
  });
  await app.install(PORTAL);
  app.hubspot.setUser(PORTAL, 41, { superAdmin: true });
  dialer = await seedDialerConnection(app, PORTAL);
});
afterAll(() => app.stop());

const signed = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  hubspotSignedFetch(app.url, {
    method,
    path: `${path}${path.includes('?') ? '&' : '?'}portalId=${PORTAL}&userId=41`,
    body,
    secret: TEST_CLIENT_SECRET,
    publicBaseUrl: app.config.publicBaseUrl,
    headers,
  });

describe('hardening of the public endpoints', () => {
  it('answers a JSON body declared in another charset with 415, not 500', async () => {
    const response = await signed(
      'PATCH',
      '/api/settings',
      { debugMode: true },
      {
        'content-type': 'application/json; charset=latin1',
      },
    );
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_encoding' } });
  });

  it('refuses a NUL byte anywhere in the URL with 400', async () => {
    for (const path of [
      '/dialer/webhooks/%00',
      '/api/agents/%00',
      '/api/activity?callId=a%00b',
      '/oauth/callback?code=%00&state=x',
    ]) {
      const response = path.startsWith('/api') ? await signed('GET', path) : await fetch(`${app.url}${path}`);
      expect(response.status, path).toBe(400);
    }
  });

  it('stores a signed body with \\u0000 or a lone surrogate instead of failing', async () => {
    for (const [i, notes] of ['nul \u0000 here', 'lone \ud800 surrogate', 'trail \udc00'].entries()) {
      const response = await postDialerWebhook(
        app.url,
        dialer.webhookKey,
        dialer.webhookSecret,
        callEndedBody(`c-nul-${i}`, notes),
      );
      expect(response.status).toBe(200);
    }
    const stored = await app.runtime.ctx.db.selectFrom('webhook_inbox').select('call_id').execute();
    expect(stored.map((r) => r.call_id).sort()).toEqual(['c-nul-0', 'c-nul-1', 'c-nul-2']);
    const agent = await signed('PUT', '/api/agents/agt%E2%82%AC', { ownerId: 'x\u0000' });
    expect(agent.status).toBeLessThan(500);
    const hubspot = await deliverHubSpotEvents(app, [
      hubSpotEvent(PORTAL, { subscriptionType: 'object.propertyChange', propertyValue: 'a\u0000\ud800' }),
    ]);
    expect(hubspot.status).toBe(200);
  });

  it('refuses bodies over 1 MB on every public endpoint', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    for (const path of [
      '/hubspot/webhooks',
      `/dialer/webhooks/${dialer.webhookKey}`,
      '/hubspot/actions/add-to-list',
      '/api/settings',
    ]) {
      const response = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      expect(response.status, path).toBe(413);
    }
  });

  it('sends security headers with its HTML pages', async () => {
    const response = await fetch(`${app.url}/oauth/callback?error=access_denied`);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toBeTruthy();
  });

  it('limits deliveries per webhook key, and requests per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await fetch(`${app.url}/dialer/webhooks/unknown-key-1`, { method: 'POST', body: '{}' })).status,
      );
    expect(statuses.slice(0, 5).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(
      (await fetch(`${app.url}/dialer/webhooks/unknown-key-2`, { method: 'POST', body: '{}' })).status,
    ).toBe(404);

    let limited: Response | undefined;
    for (let i = 0; i < 450 && !limited; i++) {
      const response = await fetch(`${app.url}/hubspot/webhooks`, { method: 'POST', body: '[]' });
      if (response.status === 429) limited = response;
    }
    expect(limited).toBeDefined();
    expect(await limited!.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });
});
