import type { SealedTokens } from '../hubspot/tokens.ts';
import type { Db } from '../platform/db/database.ts';
import type { Installation } from './installation.table.ts';

export type { SealedTokens } from '../hubspot/tokens.ts';

export async function findInstallationByPortal(db: Db, portalId: number): Promise<Installation | undefined> {
  return db.selectFrom('installations').selectAll().where('portal_id', '=', portalId).executeTakeFirst();
}

export async function findInstallation(db: Db, installationId: string): Promise<Installation | undefined> {
  return db.selectFrom('installations').selectAll().where('id', '=', installationId).executeTakeFirst();
}

/** Installing again updates the portal's one installation (and re-activates it). */
export async function upsertInstallation(
  db: Db,
  values: {
    portalId: number;
    tokens: SealedTokens;
    scopes: string[];
    hubDomain: string | null;
    userId: number | null;
  },
): Promise<Installation> {
  const row = {
    portal_id: values.portalId,
    status: 'active' as const,
    access_token_enc: values.tokens.accessTokenEnc,
    refresh_token_enc: values.tokens.refreshTokenEnc,
    access_token_expires_at: values.tokens.expiresAt,
    scopes: values.scopes,
    hub_domain: values.hubDomain,
    installed_by_user_id: values.userId,
    last_error: null,
    installed_at: new Date(),
    uninstalled_at: null,
    // Reinstalling before the purge keeps everything.
    purge_after: null,
    updated_at: new Date(),
  };
  return db
    .insertInto('installations')
    .values(row)
    .onConflict((oc) => oc.column('portal_id').doUpdateSet(row))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Locks the installation row: the one place where a token refresh is decided. */
export async function lockInstallation(db: Db, installationId: string): Promise<Installation | undefined> {
  return db
    .selectFrom('installations')
    .selectAll()
    .where('id', '=', installationId)
    .forUpdate()
    .executeTakeFirst();
}

export async function saveRefreshedTokens(
  db: Db,
  installationId: string,
  tokens: SealedTokens,
): Promise<void> {
  await db
    .updateTable('installations')
    .set({
      access_token_enc: tokens.accessTokenEnc,
      refresh_token_enc: tokens.refreshTokenEnc,
      access_token_expires_at: tokens.expiresAt,
      last_error: null,
      updated_at: new Date(),
    })
    .where('id', '=', installationId)
    .execute();
}

/**
 * Uninstalled: the HubSpot tokens are deleted and the portal's data is purged after `purgeAfter`
 * (an earlier date already set stays). Safe to repeat.
 */
export async function markUninstalled(
  db: Db,
  installationId: string,
  reason: string,
  purgeAfter: Date,
): Promise<void> {
  await db
    .updateTable('installations')
    .set((eb) => ({
      status: 'uninstalled',
      access_token_enc: null,
      refresh_token_enc: null,
      access_token_expires_at: null,
      uninstalled_at: eb.fn.coalesce('uninstalled_at', eb.val(new Date())),
      purge_after: eb.fn.coalesce('purge_after', eb.val(purgeAfter)),
      last_error: reason,
      updated_at: new Date(),
    }))
    .where('id', '=', installationId)
    .execute();
}

/** Uninstalled installations whose retention has passed. */
export async function findInstallationsToPurge(
  db: Db,
  now: Date,
): Promise<{ id: string; portal_id: number }[]> {
  return db
    .selectFrom('installations')
    .select(['id', 'portal_id'])
    .where('status', '=', 'uninstalled')
    .where('purge_after', '<=', now)
    .execute();
}

/** Deletes the installation; every tenant table cascades from it (a test checks that they do). */
export async function purgeInstallation(db: Db, installationId: string, now: Date): Promise<boolean> {
  const result = await db
    .deleteFrom('installations')
    .where('id', '=', installationId)
    .where('status', '=', 'uninstalled')
    .where('purge_after', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Uninstalled installations that still hold a Dialer.io connection (an interrupted uninstall). */
export async function findUninstalledWithDialerConnection(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('installations')
    .innerJoin('dialer_connections', 'dialer_connections.installation_id', 'installations.id')
    .select('installations.id')
    .where('installations.status', '=', 'uninstalled')
    .execute();
  return rows.map((row) => row.id);
}
