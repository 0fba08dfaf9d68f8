import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * One HubSpot portal that installed the app. Tokens are sealed with the SecretBox; uninstalling
 * deletes them (null) and sets `purge_after`, when all the portal's data is deleted.
 */
export interface InstallationsTable {
  id: Generated<string>;
  portal_id: number;
  status: 'active' | 'uninstalled';
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  access_token_expires_at: Timestamp | null;
  scopes: string[];
  hub_domain: string | null;
  installed_by_user_id: number | null;
  last_error: string | null;
  installed_at: Timestamp;
  uninstalled_at: Timestamp | null;
  purge_after: Timestamp | null;
  created_at: ColumnType<Date, never, never>;
  updated_at: Timestamp;
}

export type Installation = Selectable<InstallationsTable>;
export type NewInstallation = Insertable<InstallationsTable>;
export type InstallationUpdate = Updateable<InstallationsTable>;

/** Single-use OAuth `state` nonces, valid for ten minutes. */
export interface OauthStatesTable {
  nonce: string;
  expires_at: Timestamp;
  created_at: ColumnType<Date, never, never>;
}
