import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, installAndConnect } from '../call-logging/test-setup.ts';
import { listAllOwners } from '../hubspot/api.ts';
import { runLifecycle } from './lifecycle-job.ts';
import { findInstallationByPortal } from './repository.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});
const DAY = 24 * 60 * 60 * 1000;
const UNINSTALL_PATH = '/appinstalls/2026-03/external-install';
const rowsOf = (test: TestApp, table: 'dialer_agents' | 'dialer_connections', installationId: string) =>
  test.runtime.ctx.db.selectFrom(table).selectAll().where('installation_id', '=', installationId).execute();

/** A test app whose clock can be moved forward (retention is counted in days). */
async function startWithClock() {
  const clock = { offset: 0 };
  const test = await startTestApp({ workers: false, now: () => Date.now() + clock.offset });
  return { test, clock };
}

describe('uninstall from the settings page', { timeout: 120_000 }, () => {
  it('tells HubSpot, deletes the Dialer.io webhook and the tokens, and schedules the purge', async () => {
    const { test } = await startWithClock();
    app = test;
    const { account } = await installAndConnect(app, 690001);
    app.hubspot.setUser(690001, 7, { superAdmin: false });
    const before = (await findInstallationByPortal(app.runtime.ctx.db, 690001))!;
    expect(app.dialer.account(account.id).webhooks).toHaveLength(1);

    const notAdmin = await app.api('DELETE', '/api/installation', {
      portalId: 690001,
      userId: 7,
      body: { confirm: 'UNINSTALL' },
    });
    expect(notAdmin.status).toBe(403);
    const unconfirmed = await app.api('DELETE', '/api/installation', {
      portalId: 690001,
      userId: ADMIN,
      body: { confirm: 'uninstall' },
    });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.json()).toEqual({
      error: { code: 'confirmation_required', message: 'Type UNINSTALL to confirm.' },
    });
    expect(app.hubspot.requestsTo('DELETE', UNINSTALL_PATH)).toHaveLength(0);
    expect(app.dialer.account(account.id).webhooks).toHaveLength(1);

    const response = await app.api('DELETE', '/api/installation', {
      portalId: 690001,
      userId: ADMIN,
      body: { confirm: 'UNINSTALL' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { uninstalled: boolean; purgeAfter: string };
    expect(body.uninstalled).toBe(true);
    expect(new Date(body.purgeAfter).getTime() - Date.now()).toBeGreaterThan(29.9 * DAY);

    expect(app.hubspot.requestsTo('DELETE', UNINSTALL_PATH)).toMatchObject([{ status: 204 }]);
    expect(app.dialer.account(account.id).webhooks).toHaveLength(0);
    const after = (await findInstallationByPortal(app.runtime.ctx.db, 690001))!;
    expect(after).toMatchObject({
      status: 'uninstalled',
      access_token_enc: null,
      refresh_token_enc: null,
      access_token_expires_at: null,
    });
    expect(await rowsOf(app, 'dialer_connections', before.id)).toHaveLength(0);
    // Everything else is kept until the purge.
    expect(await rowsOf(app, 'dialer_agents', before.id)).toHaveLength(2);
    // The settings page of an uninstalled portal answers "not installed".
    const session = await app.api('GET', '/api/session', { portalId: 690001, userId: ADMIN });
    expect(session.status).toBe(403);
  });

  it('keeps everything when the portal reinstalls before the purge, and purges after it', async () => {
    const { test, clock } = await startWithClock();
    app = test;
    await installAndConnect(app, 690002);
    await installAndConnect(app, 690003);
    const first = (await findInstallationByPortal(app.runtime.ctx.db, 690002))!;
    const other = (await findInstallationByPortal(app.runtime.ctx.db, 690003))!;
    const uninstall = () =>
      app!.api('DELETE', '/api/installation', {
        portalId: 690002,
        userId: ADMIN,
        body: { confirm: 'UNINSTALL' },
      });
    expect((await uninstall()).status).toBe(200);

    clock.offset = 29 * DAY;
    expect(await runLifecycle(app.runtime.ctx)).toEqual({ purged: 0 });
    await app.install(690002);
    const again = (await findInstallationByPortal(app.runtime.ctx.db, 690002))!;
    expect(again).toMatchObject({ id: first.id, status: 'active', purge_after: null });
    expect(await rowsOf(app, 'dialer_agents', first.id)).toHaveLength(2);
    const owners = await listAllOwners(app.runtime.ctx.hubspot.forInstallation(again));
    expect(owners.length).toBeGreaterThan(0);

    clock.offset = 0; // signed requests carry today's time
    expect((await uninstall()).status).toBe(200);
    clock.offset = 31 * DAY;
    expect(await runLifecycle(app.runtime.ctx)).toEqual({ purged: 1 });
    expect(await findInstallationByPortal(app.runtime.ctx.db, 690002)).toBeUndefined();
    expect(await rowsOf(app, 'dialer_agents', first.id)).toHaveLength(0);
    // Another portal is untouched.
    expect(await rowsOf(app, 'dialer_agents', other.id)).toHaveLength(2);
    expect((await findInstallationByPortal(app.runtime.ctx.db, 690003))!.status).toBe('active');
  });
});

describe('uninstall when HubSpot refuses the refresh token', { timeout: 120_000 }, () => {
  it('deletes the tokens and the Dialer.io webhook, and schedules the purge', async () => {
    const { test, clock } = await startWithClock();
    app = test;
    const { account } = await installAndConnect(app, 690004);
    const installation = (await findInstallationByPortal(app.runtime.ctx.db, 690004))!;
    app.hubspot.revokeRefreshTokens(690004);
    clock.offset = 29 * 60 * 1000;
    await expect(listAllOwners(app.runtime.ctx.hubspot.forInstallation(installation))).rejects.toMatchObject({
      code: 'installation_uninstalled',
    });

    expect(app.dialer.account(account.id).webhooks).toHaveLength(0);
    const after = (await findInstallationByPortal(app.runtime.ctx.db, 690004))!;
    expect(after).toMatchObject({ status: 'uninstalled', access_token_enc: null, refresh_token_enc: null });
    expect(new Date(after.purge_after!).getTime() - Date.now()).toBeGreaterThan(29.9 * DAY);
    // We did not call HubSpot's uninstall: HubSpot told us.
    expect(app.hubspot.requestsTo('DELETE', UNINSTALL_PATH)).toHaveLength(0);
  });
});

describe('the purge', { timeout: 120_000 }, () => {
  it('reaches every tenant table: each installation_id column cascades from installations', async () => {
    app = await startTestApp({ workers: false });
    const { rows } = await sql<{ table_name: string; cascades: boolean }>`
      select c.table_name,
        exists (
          select 1 from information_schema.key_column_usage k
          join information_schema.referential_constraints r on r.constraint_name = k.constraint_name
          join information_schema.constraint_column_usage u on u.constraint_name = r.unique_constraint_name
          where k.table_name = c.table_name and k.column_name = 'installation_id'
            and u.table_name = 'installations' and r.delete_rule = 'CASCADE'
        ) as cascades
      from information_schema.columns c
      where c.column_name = 'installation_id' and c.table_schema = current_schema()
      order by c.table_name`.execute(app.runtime.ctx.db);
    expect(rows.length).toBeGreaterThan(5);
    expect(
      rows
        .filter((row) => !row.cascades)
        .map(
          (row) =>
            `${row.table_name}.installation_id must reference installations.id ON DELETE CASCADE (the purge after uninstall deletes the installation row)`,
        ),
    ).toEqual([]);
  });
});
