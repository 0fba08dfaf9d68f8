import { describe, expect, it } from 'vitest';
import { ROUTES, buildUrl, createApi, type Fetcher } from '@dialer-sync/ui-shared/api';
import { BACKEND_ORIGIN } from '@dialer-sync/ui-shared/config';

const answer =
  (status: number, body: unknown): Fetcher =>
  async () => ({
    ok: status < 300,
    status,
    json: async () => {
      if (body instanceof Error) throw body;
      return body;
    },
  });

describe('the backend client', () => {
  it('builds URLs on the backend origin, encoding parameters and skipping empty filters', () => {
    expect(buildUrl(ROUTES.retryCall, { callId: 'a/b c' })).toBe(
      `${BACKEND_ORIGIN}/api/activity/calls/a%2Fb%20c/retry`,
    );
    expect(
      buildUrl(
        ROUTES.activity,
        {},
        { callId: '', phone: '+1 555', level: undefined, cursor: null, limit: 25 },
      ),
    ).toBe(`${BACKEND_ORIGIN}/api/activity?phone=%2B1+555&limit=25`);
    expect(() => buildUrl(ROUTES.mapAgent, {})).toThrow(/agentId/);
  });

  it('returns the parsed data on success', async () => {
    const result = await createApi(answer(200, { debugMode: true })).getSettings();
    expect(result).toEqual({ status: 'success', data: { debugMode: true } });
  });

  it("returns the backend's error code and message", async () => {
    const result = await createApi(
      answer(403, { error: { code: 'forbidden', message: 'Super admins only.' } }),
    ).setup();
    expect(result).toEqual({ status: 'error', error: { code: 'forbidden', message: 'Super admins only.' } });
  });

  it('explains an error without a JSON body, a network failure and an unexpected answer', async () => {
    expect(await createApi(answer(502, new Error('not json'))).setup()).toMatchObject({
      error: { code: 'http_502' },
    });
    const offline: Fetcher = async () => {
      throw new Error('BAD_GATEWAY');
    };
    expect(await createApi(offline).setup()).toMatchObject({ error: { code: 'network' } });
    expect(await createApi(answer(200, { debugMode: 'yes' })).getSettings()).toMatchObject({
      error: { code: 'invalid_response' },
    });
  });

  it('sends the method and JSON body hubspot.fetch expects', async () => {
    const seen: unknown[] = [];
    const fetcher: Fetcher = async (url, options) => {
      seen.push([url, options]);
      return { ok: true, status: 200, json: async () => ({}) };
    };
    await createApi(fetcher).mapAgent('a1', null);
    expect(seen).toEqual([[`${BACKEND_ORIGIN}/api/agents/a1`, { method: 'PUT', body: { ownerId: null } }]]);
  });
});
