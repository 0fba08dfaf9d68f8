import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, installAndConnect } from '../call-logging/test-setup.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const connectionRows = (test: TestApp) =>
  test.runtime.ctx.db.selectFrom('dialer_connections').selectAll().execute();

describe('connecting Dialer.io', () => {
  it('checks the token, creates the webhook, stores secrets sealed, mirrors and auto-maps', async () => {
    app = await startTestApp({ workers: false });
    const { account } = await installAndConnect(app, 620001);
    const [connection] = await connectionRows(app);
    expect(connection).toMatchObject({ account_id: account.id, account_name: 'Acme Sales', country: 'AU' });
    expect(connection!.api_token_enc).not.toContain(account.token);
    const webhooks = app.dialer.account(account.id).webhooks;
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]).toMatchObject({
      active: true,
      url: `${app.config.publicBaseUrl}/dialer/webhooks/${connection!.webhook_key}`,
    });
    expect(webhooks[0]!.events).toEqual(
      expect.arrayContaining(['call.ended', 'contact.updated', 'agent.updated']),
    );
    expect(connection!.webhook_secret_enc).not.toContain(webhooks[0]!.secret);
    expect(app.logs.text()).not.toContain(account.token);

    const setup = await (await app.api('GET', '/api/setup', { portalId: 620001, userId: ADMIN })).json();
    expect(setup).toMatchObject({
      hubspot: { connected: true },
      dialer: { connected: true, accountName: 'Acme Sales', country: 'AU' },
      webhook: { active: true },
      lastEventAt: null,
      agents: { mapped: 1, total: 2 },
      dispositions: { mapped: 1, total: 2 },
      debugMode: false,
    });

    // Connecting again with the same token (a replayed request, a second click) keeps the
    // active webhook; with another token, it replaces it.
    const connect = (apiToken: string) =>
      app!.api('POST', '/api/dialer/connection', { portalId: 620001, userId: ADMIN, body: { apiToken } });
    expect((await connect(account.token)).status).toBe(200);
    expect(app.dialer.account(account.id).webhooks.map((hook) => hook.id)).toEqual([webhooks[0]!.id]);
    const again = await connect(app.dialer.addToken(account.id));
    expect(again.status).toBe(200);
    const hooks = app.dialer.account(account.id).webhooks;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.id).not.toBe(webhooks[0]!.id);
    expect(await connectionRows(app)).toHaveLength(1);

    // Disconnect deletes the webhook and the secrets.
    const off = await app.api('DELETE', '/api/dialer/connection', { portalId: 620001, userId: ADMIN });
    expect(off.status).toBe(200);
    expect(app.dialer.account(account.id).webhooks).toHaveLength(0);
    expect(await connectionRows(app)).toHaveLength(0);
  });

  it('refuses a wrong token with a clear error and stores nothing', async () => {
    app = await startTestApp({ workers: false });
    app.hubspot.createPortal({ portalId: 620002 });
    app.hubspot.setUser(620002, ADMIN, { superAdmin: true });
    await app.install(620002);
    const response = await app.api('POST', '/api/dialer/connection', {
      portalId: 620002,
      userId: ADMIN,
      body: { apiToken: 'not-a-real-token' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'dialer_token_invalid', message: expect.stringContaining('API token') },
    });
    expect(await connectionRows(app)).toHaveLength(0);
    expect(await app.runtime.ctx.db.selectFrom('dialer_agents').selectAll().execute()).toHaveLength(0);
  });

  it('lets only a super admin connect or disconnect', async () => {
    app = await startTestApp({ workers: false });
    app.hubspot.createPortal({ portalId: 620003 });
    app.hubspot.setUser(620003, 7, { superAdmin: false });
    await app.install(620003);
    const account = app.dialer.createAccount({ country: 'US' });
    for (const [method, body] of [
      ['POST', { apiToken: account.token }],
      ['DELETE', undefined],
    ] as const) {
      const response = await app.api(method, '/api/dialer/connection', { portalId: 620003, userId: 7, body });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'super_admin_required' } });
    }
    expect(await connectionRows(app)).toHaveLength(0);
    expect(app.dialer.requestsTo('*', '/v1')).toHaveLength(0);
  });
});
