import type { ColumnType, Generated, Selectable } from 'kysely';

type Json = ColumnType<unknown, string, string>;

export type ErasureSource = 'api' | 'hubspot_privacy_deletion';
/** What happened to the Dialer.io contact(s): not asked for, deleted, not found there, or failed. */
export type DialerDeletion = 'not_requested' | 'deleted' | 'not_found' | 'not_connected' | 'failed';

/** One erasure: who, when, how much. The person appears only as salted SHA-256 hashes. */
export interface PrivacyErasuresTable {
  id: Generated<number>;
  installation_id: string;
  source: ErasureSource;
  requested_by_user_id: number | null;
  /** HubSpot's eventId of a `contact.privacyDeletion`: one erasure per event, however often delivered. */
  hubspot_event_id: string | null;
  salt: string;
  /** `{emails: [...], phones: [...], contactIds: [...]}`, each sha256(salt + identifier), hex. */
  identifier_hashes: Json;
  counts: Json;
  dialer_deletion: ColumnType<DialerDeletion, DialerDeletion | undefined, DialerDeletion>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export type PrivacyErasureRow = Selectable<PrivacyErasuresTable>;
