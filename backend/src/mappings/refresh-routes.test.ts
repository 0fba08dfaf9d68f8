import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { installAndConnect } from '../call-logging/test-setup.ts';
import { agents, call } from './test-helpers.ts';

// The settings page's "Refresh" buttons: one refresh per portal at a time, and every known failure
// a 4xx the page can show (hubspot.fetch replays a 5xx once and shows only a generic error for it).

const PORTAL = 520101;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  await installAndConnect(app, PORTAL);
});
afterAll(() => app.stop());

const refresh = (path = '/api/agents/refresh') => app.api('POST', path, { portalId: PORTAL, userId: 41 });
const leaseHeld = async () =>
  (await app.runtime.ctx.db.selectFrom('mapping_refresh_leases').selectAll().execute()).length > 0;

describe('refreshing agents and dispositions', () => {
  it('answers 409 with Retry-After while a refresh runs, then refreshes again once it is done', async () => {
    app.dialer.setLatency(1_500);
    let first: Promise<Response>;
    try {
      first = refresh();
      await eventually(leaseHeld);
      for (const path of ['/api/agents/refresh', '/api/dispositions/refresh']) {
        const second = await refresh(path);
        expect(second.status).toBe(409);
        expect(second.headers.get('retry-after')).toBe('5');
        expect(await second.json()).toEqual({
          error: {
            code: 'refresh_in_progress',
            message: 'Agents and dispositions are being refreshed already. Try again in a few seconds.',
            retryAfterSeconds: 5,
          },
        });
      }
      expect((await first).status).toBe(200);
    } finally {
      app.dialer.setLatency(0);
    }
    expect(await leaseHeld()).toBe(false);
    expect((await refresh()).status).toBe(200);
    expect((await agents(app, PORTAL)).length).toBeGreaterThan(0);
  });

  it('Dialer.io unavailable: a 4xx with its message, not a 5xx', async () => {
    app.dialer.failNext(3, { status: 503, retryAfterSeconds: 0, pathPrefix: '/v1/agents' });
    const answer = await call(app, 'POST', '/api/agents/refresh', PORTAL);
    expect(answer).toMatchObject({
      status: 424,
      body: { error: { code: 'dialer_unavailable', message: expect.stringContaining('Try again') } },
    });
    expect(await leaseHeld()).toBe(false);
  });

  it('HubSpot unavailable: a 4xx with its message, not a 5xx', async () => {
    app.hubspot.failNext(4, { status: 503, pathPrefix: '/crm/owners' });
    const answer = await refresh();
    expect(answer.status).toBe(424);
    expect(answer.headers.get('retry-after')).toBe('30');
    expect(await answer.json()).toMatchObject({ error: { code: 'hubspot_unavailable' } });
  });
});
