import { describe, expect, it } from 'vitest';
import { createApi, type FetchResponse, type Fetcher } from '@dialer-sync/ui-shared/api';
import { MAX_CONCURRENT_REQUESTS, retryAfterSeconds } from '@dialer-sync/ui-shared/transport';
import { fakeBackend, failWith } from './support/fake-backend.ts';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FetchResponse => ({
  ok: status < 300,
  status,
  headers: new Headers(headers),
  json: async () => body,
});

describe('requests leaving the page', () => {
  it(`keeps at most ${MAX_CONCURRENT_REQUESTS} requests in flight and sends the rest as earlier ones finish`, async () => {
    const backend = fakeBackend({ 'GET /api/calls/contact-search': { items: [] } });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => backend.api.searchContacts(`n${i}`)),
    );
    expect(answers.every((answer) => answer.status === 'success')).toBe(true);
    expect(backend.calls).toHaveLength(20);
    expect(backend.maxConcurrent()).toBe(MAX_CONCURRENT_REQUESTS);
  });

  it('sends a read refused with 429 again after Retry-After, then after a growing backoff', async () => {
    let refusals = 2;
    const backend = fakeBackend({
      'GET /api/health': () =>
        refusals-- > 0
          ? { status: 429, headers: refusals === 1 ? { 'Retry-After': '3' } : {}, body: 'Too many requests' }
          : { hubspot: { last24h: { requests: 0, succeeded: 0, failed: 0, successRate: null } } },
    });
    expect((await backend.api.health()).status).toBe('success');
    expect(backend.waits).toEqual([3000, 1000]);
    expect(backend.calls).toHaveLength(3);
  });

  it('gives up after three retries, or at once when Retry-After is long, and says when to try again', async () => {
    const always = fakeBackend({ 'GET /api/health': { status: 429, body: '' } });
    expect(await always.api.health()).toMatchObject({ error: { code: 'http_429', message: /Try again/ } });
    expect(always.calls).toHaveLength(4);
    const long = fakeBackend({
      'GET /api/health': { status: 429, headers: { 'Retry-After': '120' }, body: '' },
    });
    expect(await long.api.health()).toMatchObject({ error: { retryAfterSeconds: 120 } });
    expect(long.calls).toHaveLength(1);
  });

  it("sends a refused write again only when HubSpot refused it, not when our backend answered it's busy", async () => {
    let refused = true;
    const platform = fakeBackend({
      'POST /api/agents/refresh': () =>
        refused ? ((refused = false), { status: 429, body: '' }) : { accepted: true },
    });
    expect((await platform.api.refreshAgents()).status).toBe('success');
    expect(platform.writes()).toHaveLength(2);

    const busy = fakeBackend({
      'POST /api/agents/refresh': {
        ...failWith(429, 'refresh_running', 'Agents are being refreshed.'),
        headers: { 'Retry-After': '20' },
      },
    });
    expect(await busy.api.refreshAgents()).toEqual({
      status: 'error',
      error: { code: 'refresh_running', message: 'Agents are being refreshed.', retryAfterSeconds: 20 },
    });
    expect(busy.writes()).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as a date, and the body when the header does not arrive', async () => {
    const now = Date.parse('2026-11-20T09:30:00Z');
    expect(retryAfterSeconds(json(409, {}, { 'Retry-After': '12' }), now)).toBe(12);
    expect(retryAfterSeconds(json(409, {}, { 'Retry-After': 'Fri, 20 Nov 2026 09:30:45 GMT' }), now)).toBe(
      45,
    );
    expect(retryAfterSeconds(json(409, {}, { 'Retry-After': 'soon' }), now)).toBeUndefined();
    const backend = fakeBackend({
      'POST /api/agents/refresh': {
        status: 409,
        body: {
          error: { code: 'refresh_running', message: 'Agents are being refreshed.', retryAfterSeconds: 7 },
        },
      },
    });
    expect(await backend.api.refreshAgents()).toMatchObject({ error: { retryAfterSeconds: 7 } });
  });
});

describe('one load of each resource', () => {
  it('shares overlapping reads and keeps configuration until a save', async () => {
    const backend = fakeBackend({
      'GET /api/setup': { hubspot: { connected: true } },
      'GET /api/owners': { items: [] },
      'GET /api/calls/unmatched': { items: [] },
      'PUT /api/agents/a1': { ok: true },
    });
    const { api } = backend;
    await Promise.all([api.owners(), api.owners(), api.unmatchedCalls(), api.unmatchedCalls()]);
    expect(backend.countByRoute()).toEqual({ 'GET /api/owners': 1, 'GET /api/calls/unmatched': 1 });
    await api.owners();
    await api.unmatchedCalls();
    expect(backend.countByRoute()).toEqual({ 'GET /api/owners': 1, 'GET /api/calls/unmatched': 2 });
    await api.mapAgent('a1', '7');
    await api.owners();
    expect(backend.countByRoute()['GET /api/owners']).toBe(2);
  });

  it('does not keep an error, and asks again once a shared answer is a minute old', async () => {
    let now = 0;
    let fail = true;
    const fetcher: Fetcher = async () =>
      fail
        ? ((fail = false), json(500, { error: { code: 'internal', message: 'x' } }))
        : json(200, { items: [] });
    let calls = 0;
    const counting: Fetcher = (url, options) => (calls++, fetcher(url, options));
    const api = createApi(counting, undefined, { now: () => now });
    expect((await api.owners()).status).toBe('error');
    expect((await api.owners()).status).toBe('success');
    now += 59_000;
    await api.owners();
    expect(calls).toBe(2);
    now += 2_000;
    await api.owners();
    expect(calls).toBe(3);
  });
});
