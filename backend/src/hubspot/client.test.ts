import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { createHubSpotClient } from './client.ts';
import { createPostgresRateLimiter } from './rate-limiter.ts';
import type { TokenProvider } from '../installations/token-provider.ts';
import { startHubSpotSimulatorThread } from '../../test/support/hubspot-sim-thread-client.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ workers: false, hubspot: { rateLimit: { max: 110, intervalMs: 1000 } } });
  await app.install(900001);
});
afterAll(() => app.stop());

describe('the HubSpot client', () => {
  it('paces 600 requests of one portal from two processes under the limit: zero 429s', async () => {
    // The simulator runs on its own thread, so it sees requests when they really arrive, and
    // enforces HubSpot's limit shape (110 per rolling window) on a 1 s window so the test is quick.
    const sim = await startHubSpotSimulatorThread(900009, { rateLimit: { max: 110, intervalMs: 1000 } });
    try {
      const ctx = app.runtime.ctx;
      const tokens: TokenProvider = {
        getAccessToken: async () => sim.accessToken,
        refreshNow: async () => sim.accessToken,
        seal: ctx.tokens.seal,
        forget: () => undefined,
      };
      // Two clients with their own limiter objects: as two processes sharing one database. Each
      // alone may send 60/s, so without the shared budget the two would send 120/s and meet
      // 429s. The budget leaves HubSpot's window 50 requests of slack, so a busy machine that
      // stalls the sender for most of a second (requests then leave together) still fits.
      const clients = [0, 1].map(() =>
        createHubSpotClient({
          apiBaseUrl: sim.url,
          rateLimit: { requests: 60, intervalMs: 1000, burst: 5 },
          searchRateLimit: { requests: 4, intervalMs: 1000, burst: 1 },
          tokens,
          limiter: createPostgresRateLimiter(ctx.db),
          metrics: ctx.metrics,
          logger: ctx.logger,
          maxAttempts: 1,
        }).forInstallation({ id: 'c0ffee00-0000-4000-8000-000000000009', portal_id: 900009 }),
      );
      const started = Date.now();
      await Promise.all(Array.from({ length: 600 }, (_, i) => clients[i % 2]!.send('getCallOutcomes')));
      expect(await sim.stats()).toMatchObject({ count429: 0, ok: 600 });
      // It used the budget rather than crawling: 600 at 60/s is 10 s (a loose bound: a limit,
      // not a measurement; crawling at one request per round trip would take minutes).
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('retries 5xx and 429 with backoff, and reports a permanent 4xx with its code', async () => {
    const installation = (await findInstallationByPortal(app.runtime.ctx.db, 900001))!;
    const client = app.runtime.ctx.hubspot.forInstallation(installation);
    app.hubspot.failNext(2, { status: 503, pathPrefix: '/calling/v1/dispositions' });
    await expect(client.send('getCallOutcomes')).resolves.toHaveLength(6);
    app.hubspot.failNext(1, {
      status: 429,
      body: {
        status: 'error',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        message: 'limit',
      },
      pathPrefix: '/calling/v1/dispositions',
    });
    await expect(client.send('getCallOutcomes')).resolves.toHaveLength(6);
    app.hubspot.failNext(1, {
      status: 400,
      body: { status: 'error', message: 'bad', category: 'VALIDATION_ERROR' },
      pathPrefix: '/calling',
    });
    await expect(client.send('getCallOutcomes')).rejects.toMatchObject({
      code: 'bad_request',
      retryable: false,
      status: 400,
    });
    const metrics = await app.runtime.ctx.metrics.registry.getSingleMetricAsString('hubspot_requests_total');
    expect(metrics).toMatch(/operation="getCallOutcomes",status="503"} 2/);
  });
});
