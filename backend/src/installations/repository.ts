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

export async function markUninstalled(db: Db, installationId: string, reason: string): Promise<void> {
  await db
    .updateTable('installations')
    .set({ status: 'uninstalled', uninstalled_at: new Date(), last_error: reason, updated_at: new Date() })
    .where('id', '=', installationId)
    .execute();
}
