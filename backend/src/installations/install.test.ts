import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { listAllOwners } from '../hubspot/api.ts';
import { bootstrapJob } from './bootstrap-job.ts';
import { findInstallationByPortal } from './repository.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

/** Every row of every table as text: what an attacker with a dump would see. */
async function dumpDatabase(test: TestApp): Promise<string> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_schema || '.' || table_name as table_name from information_schema.tables
    where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`.execute(
    test.runtime.ctx.db,
  );
  let dump = '';
  for (const { table_name } of tables) {
    const { rows } = await sql`select * from ${sql.raw(table_name)}`.execute(test.runtime.ctx.db);
    dump += JSON.stringify(rows);
  }
  return dump;
}

const installationCount = async (test: TestApp) =>
  Number(
    (
      await test.runtime.ctx.db
        .selectFrom('installations')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('installing from HubSpot', { timeout: 120_000 }, () => {
  it('installs through OAuth, seals the tokens, refreshes once under load and stops on a refused refresh', async () => {
    let offset = 0;
    const now = () => Date.now() + offset;
    app = await startTestApp({ now, hubspot: { now } });
    const portal = app.hubspot.createPortal({ portalId: 777001 });
    app.hubspot.addOwner(777001, { email: 'Rep@Example.com', firstName: 'Rae', lastName: 'Rep', userId: 11 });

    const start = await fetch(`${app.url}/oauth/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('client_id')).toBe('test-client-id');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${app.config.publicBaseUrl}/oauth/callback`);
    expect(authorize.searchParams.get('scope')).toContain('crm.objects.contacts.write');

    const consent = await fetch(authorize, { redirect: 'manual' });
    const callbackUrl = consent.headers.get('location')!;
    const callback = await fetch(callbackUrl);
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('Dialer Sync is installed');

    const installation = await findInstallationByPortal(app.runtime.ctx.db, 777001);
    expect(installation).toMatchObject({ status: 'active', portal_id: 777001 });
    expect(installation!.access_token_enc).toMatch(/^v2\.default\./);

    // The bootstrap job ran: property group, owners and outcomes.
    await eventually(
      async () =>
        (await app!.runtime.ctx.db.selectFrom('hubspot_outcomes').selectAll().execute()).length === 6,
    );
    const owners = await app.runtime.ctx.db.selectFrom('hubspot_owners').selectAll().execute();
    expect(owners.map((o) => o.email)).toContain('rep@example.com');
    expect(app.hubspot.requestsTo('POST', '/crm/properties/2026-03/contacts/groups')).toHaveLength(1);

    // A replayed callback is refused and changes nothing.
    const replay = await fetch(callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('expired or was already used');

    // The raw tokens are nowhere: not in the database, not in the logs.
    expect(await dumpDatabase(app)).not.toMatch(/sim-(at|rt)-/);
    expect(app.logs.text()).not.toMatch(/sim-(at|rt)-/);

    // Token expiry: 20 concurrent API calls, exactly one refresh.
    const client = app.runtime.ctx.hubspot.forInstallation(installation!);
    const refreshesBefore = app.hubspot.refreshCount(777001);
    offset += 29 * 60 * 1000;
    const results = await Promise.all(Array.from({ length: 20 }, () => listAllOwners(client)));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(app.hubspot.refreshCount(777001) - refreshesBefore).toBe(1);
    expect(await dumpDatabase(app)).not.toMatch(/sim-(at|rt)-/);

    // HubSpot refuses the refresh: the installation is uninstalled and its jobs stop.
    app.hubspot.revokeRefreshTokens(777001);
    offset += 29 * 60 * 1000;
    await expect(listAllOwners(client)).rejects.toMatchObject({ code: 'installation_uninstalled' });
    expect(await findInstallationByPortal(app.runtime.ctx.db, 777001)).toMatchObject({
      status: 'uninstalled',
    });
    app.hubspot.clearRequests();
    await app.runtime.ctx.queue.send(bootstrapJob, { installationId: installation!.id });
    await eventually(() => app!.logs.text().includes('installation is not active: job stopped'));
    expect(app.hubspot.requests.filter((r) => !r.path.startsWith('/oauth'))).toHaveLength(0);
    expect(portal.portalId).toBe(777001);
  });

  it('installing again updates the same installation', async () => {
    app = await startTestApp();
    await app.install(777002);
    const first = await findInstallationByPortal(app.runtime.ctx.db, 777002);
    await app.install(777002);
    const second = await findInstallationByPortal(app.runtime.ctx.db, 777002);
    expect(second!.id).toBe(first!.id);
    expect(second!.access_token_enc).not.toBe(first!.access_token_enc);
    expect(await installationCount(app)).toBe(1);
  });

  it.each([
    ['a forged state', (state: string) => state.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
    ['a made-up state', () => 'nonce.9999999999999.signature'],
    ['an empty state', () => ''],
  ])('refuses %s with a clear page and stores nothing', async (_name, mangle) => {
    app = await startTestApp();
    app.hubspot.createPortal({ portalId: 777003 });
    app.hubspot.setAuthorizePortal(777003);
    const start = await fetch(`${app.url}/oauth/install`, { redirect: 'manual' });
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    back.searchParams.set('state', mangle(back.searchParams.get('state')!));
    const callback = await fetch(back);
    expect(callback.status).toBe(400);
    expect(await callback.text()).toMatch(/Installation failed/);
    expect(await installationCount(app)).toBe(0);
  });

  it('installs from the install URL HubSpot shows: a callback with a code and no state of ours', async () => {
    app = await startTestApp();
    app.hubspot.createPortal({ portalId: 777007 });
    app.hubspot.setAuthorizePortal(777007);
    // The install URL HubSpot shows on the app's Auth / Distribution page: no state.
    const authorize = new URL('/oauth/authorize', app.hubspot.url);
    authorize.searchParams.set('client_id', 'test-client-id');
    authorize.searchParams.set('redirect_uri', `${app.config.publicBaseUrl}/oauth/callback`);
    authorize.searchParams.set('scope', 'oauth crm.objects.contacts.write');
    const consent = await fetch(authorize, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.has('state')).toBe(false);
    const callback = await fetch(back);
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('Dialer Sync is installed');
    expect(await findInstallationByPortal(app.runtime.ctx.db, 777007)).toMatchObject({ status: 'active' });

    // The same code again: HubSpot refuses it, nothing changes.
    const replay = await fetch(back);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('HubSpot did not accept the authorization');
    expect(await installationCount(app)).toBe(1);
  });

  it('refuses an expired state', async () => {
    let offset = 0;
    app = await startTestApp({ now: () => Date.now() + offset });
    app.hubspot.createPortal({ portalId: 777004 });
    app.hubspot.setAuthorizePortal(777004);
    const start = await fetch(`${app.url}/oauth/install`, { redirect: 'manual' });
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    offset = 11 * 60 * 1000;
    const callback = await fetch(consent.headers.get('location')!);
    expect(callback.status).toBe(400);
    expect(await installationCount(app)).toBe(0);
  });

  it('shows a clear page and stores nothing when HubSpot fails the exchange', async () => {
    app = await startTestApp();
    app.hubspot.createPortal({ portalId: 777005 });
    app.hubspot.setAuthorizePortal(777005);
    const start = await fetch(`${app.url}/oauth/install`, { redirect: 'manual' });
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    app.hubspot.failNext(1, {
      status: 400,
      body: { status: 'BAD_AUTH_CODE', error: 'invalid_grant', message: 'bad code' },
      pathPrefix: '/oauth/2026-03/token',
    });
    const callback = await fetch(consent.headers.get('location')!);
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('HubSpot did not accept the authorization');
    expect(await installationCount(app)).toBe(0);
  });

  it('runs on the embedded database too', async () => {
    app = await startTestApp({ embedded: true });
    expect(app.runtime.ctx.database.kind).toBe('pglite');
    await app.install(777006);
    expect(await findInstallationByPortal(app.runtime.ctx.db, 777006)).toMatchObject({ status: 'active' });
    await eventually(
      async () => (await app!.runtime.ctx.db.selectFrom('hubspot_outcomes').selectAll().execute()).length > 0,
    );
  });
});
