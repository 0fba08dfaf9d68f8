import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, installAndConnect } from '../call-logging/test-setup.ts';
import { listAllOwners, listCallOutcomes } from '../hubspot/api.ts';
import { findInstallationByPortal } from '../installations/repository.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ workers: false });
  await installAndConnect(app, 695001);
  await installAndConnect(app, 695002);
}, 120_000);
afterAll(() => app.stop());

interface Health {
  hubspot: {
    last24h: { requests: number; succeeded: number; failed: number; successRate: number | null };
  };
}
const health = async (portalId: number) =>
  (await (await app.api('GET', '/api/health', { portalId, userId: ADMIN })).json()) as Health;

describe('API health', { timeout: 120_000 }, () => {
  it("shows the portal's own HubSpot success rate over 24 hours (≥ 99% in a clean run)", async () => {
    const clean = (await health(695001)).hubspot.last24h;
    expect(clean.requests).toBeGreaterThan(0);
    expect(clean.successRate).toBeGreaterThanOrEqual(0.99);

    // Two failed answers (retried by the client) in portal 695001 only.
    const installation = (await findInstallationByPortal(app.runtime.ctx.db, 695001))!;
    const client = app.runtime.ctx.hubspot.forInstallation(installation);
    app.hubspot.failNext(2, { status: 503, pathPrefix: '/calling/v1/dispositions' });
    await listCallOutcomes(client);
    await listAllOwners(client);

    const after = (await health(695001)).hubspot.last24h;
    expect(after.failed - clean.failed).toBe(2);
    expect(after.succeeded - clean.succeeded).toBe(2);
    expect(after.successRate).toBeCloseTo(after.succeeded / after.requests, 5);
    expect((await health(695002)).hubspot.last24h.failed).toBe(0);
  });

  it('counts HubSpot answers in /metrics by endpoint and status class, without a portal label', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const lines = text.split('\n').filter((line) => line.startsWith('hubspot_responses_total{'));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/endpoint="GET \/calling\/v1\/dispositions",status_class="5xx"} 2$/),
        expect.stringMatching(/endpoint="GET \/crm\/owners\/2026-03",status_class="2xx"} \d+$/),
      ]),
    );
    expect(lines.join('\n')).not.toMatch(/portal|69500/);
  });
});
