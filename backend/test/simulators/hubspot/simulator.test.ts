// The simulator's transport behaviour: OAuth, bearer auth, rate limits, fault injection.
import { beforeEach, describe, expect, it } from 'vitest';
import { PORTAL, api, call, closeAfterEach, form, h, start } from './test-support.ts';

const REDIRECT = 'https://backend.example.com/oauth/callback';

closeAfterEach();

describe('OAuth', () => {
  beforeEach(() => start());

  it('authorizes, exchanges a single-use code, refreshes and introspects', async () => {
    const auth = await fetch(
      `${h.sim.url}/oauth/authorize?client_id=sim-client-id&redirect_uri=${encodeURIComponent(REDIRECT)}` +
        `&scope=oauth%20crm.objects.contacts.read&state=xyz`,
      { redirect: 'manual' },
    );
    expect(auth.status).toBe(302);
    const location = new URL(auth.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;

    const exchange = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'sim-client-id',
      client_secret: 'sim-client-secret',
    };
    const res = await form('/oauth/2026-03/token', exchange);
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ expires_in: 1800, hub_id: PORTAL, token_type: 'bearer' });
    expect(tokens.scopes).toEqual(['oauth', 'crm.objects.contacts.read']);

    const again = await form('/oauth/v1/token', exchange);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ status: 'BAD_AUTH_CODE', error: 'invalid_grant' });

    const badSecret = await form('/oauth/v1/token', {
      ...exchange,
      code: h.sim.issueAuthCode(PORTAL, REDIRECT),
      client_secret: 'x',
    });
    expect(badSecret.status).toBe(400);
    expect(await badSecret.json()).toMatchObject({ status: 'BAD_CLIENT_SECRET' });

    const refresh = {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: 'sim-client-id',
      client_secret: 'sim-client-secret',
    };
    const refreshed = (await (await form('/oauth/2026-03/token', refresh)).json()) as Record<string, unknown>;
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(h.sim.refreshCount(PORTAL)).toBe(1);
    // The old access token stays valid until it expires.
    expect(
      (await api('GET', '/calling/v1/dispositions', undefined, tokens.access_token as string)).status,
    ).toBe(200);

    const intro = await form('/oauth/2026-03/token/introspect', { token: refreshed.access_token as string });
    expect(await intro.json()).toMatchObject({
      active: true,
      hub_id: PORTAL,
      user_id: 501,
      expires_in: 1800,
    });
    const v1 = await fetch(`${h.sim.url}/oauth/v1/access-tokens/${String(refreshed.access_token)}`);
    expect(await v1.json()).toMatchObject({ hub_id: PORTAL, token: refreshed.access_token });

    h.sim.revokeRefreshTokens(PORTAL);
    const revoked = await form('/oauth/2026-03/token', refresh);
    expect(revoked.status).toBe(400);
    expect(await revoked.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN', error: 'invalid_grant' });
  });

  it('rejects a wrong client_id on authorize and missing, unknown or expired bearer tokens', async () => {
    const bad = await fetch(`${h.sim.url}/oauth/authorize?client_id=nope&redirect_uri=${REDIRECT}`, {
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);

    const none = await api('GET', '/crm/v3/owners/', undefined, null);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect((await api('GET', '/crm/v3/owners/', undefined, 'garbage')).status).toBe(401);

    h.clock += 1801_000;
    const expired = await api('GET', '/crm/v3/owners/');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ category: 'EXPIRED_AUTHENTICATION' });

    h.token = h.sim.issueTokens(PORTAL).access_token;
    expect((await api('GET', '/crm/v3/owners/')).status).toBe(200);
    h.sim.expireAllAccessTokens();
    expect((await api('GET', '/crm/v3/owners/')).status).toBe(401);
    expect(h.sim.requestsTo('GET', '/crm/v3/owners').map((r) => r.status)).toEqual([401, 401, 401, 200, 401]);
  });
});

describe('rate limits', () => {
  beforeEach(() =>
    start({ rateLimit: { max: 3, intervalMs: 1000 }, searchRateLimit: { max: 2, intervalMs: 1000 } }),
  );

  it('answers 429 TEN_SECONDLY_ROLLING over the rolling window, with HubSpot headers', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await api('GET', '/calling/v1/dispositions');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-hubspot-ratelimit-remaining')).toBe(String(2 - i));
    }
    const limited = await api('GET', '/calling/v1/dispositions');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-max')).toBe('3');
    expect(limited.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('1000');
    expect(await limited.json()).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: 'You have reached your ten_secondly_rolling limit.',
    });
    expect(h.sim.count429).toBe(1);
    expect(h.sim.requests.at(-1)).toMatchObject({ status: 429, portalId: PORTAL });

    // Search has its own budget.
    const search = () => api('POST', '/crm/v3/objects/contacts/search', { filterGroups: [] });
    expect((await search()).status).toBe(200);
    expect((await search()).status).toBe(200);
    const s = await search();
    expect(s.status).toBe(429);
    expect(await s.json()).toMatchObject({ policyName: 'SECONDLY' });

    h.clock += 1001;
    expect((await api('GET', '/calling/v1/dispositions')).status).toBe(200);
    expect(h.sim.count429).toBe(2);
  });
});

describe('fault injection', () => {
  beforeEach(() => start());

  it('fails the next n matching requests, optionally after handling them', async () => {
    h.sim.failNext(2, { status: 503, pathPrefix: '/crm/v3/objects/calls' });
    expect((await api('GET', '/calling/v1/dispositions')).status).toBe(200);
    const first = await api('POST', '/crm/v3/objects/calls', call());
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ status: 'error' });
    expect((await api('POST', '/crm/v3/objects/calls', call())).status).toBe(503);
    expect((await api('POST', '/crm/v3/objects/calls', call())).status).toBe(201);
    expect(h.sim.portal(PORTAL).calls).toHaveLength(1);

    h.sim.failNext(1, { status: 502, afterHandling: true, method: 'POST' });
    expect((await api('POST', '/crm/v3/objects/calls', call())).status).toBe(502);
    expect(h.sim.portal(PORTAL).calls).toHaveLength(2);

    h.sim.failNext(1, { status: 429 });
    const limited = await api('GET', '/crm/v3/owners');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
    expect(h.sim.count429).toBe(1);

    h.sim.failNext(1, { status: 0 });
    await expect(api('GET', '/crm/v3/owners')).rejects.toThrow();
  });
});
