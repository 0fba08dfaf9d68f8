import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** Every Dialer.io event accepted, once per event id; `processed_at` set when merged into `calls`. */
export interface WebhookInboxTable {
  id: Generated<number>;
  installation_id: string;
  event_id: string;
  event_type: string;
  call_id: string | null;
  payload: ColumnType<unknown, string, string>;
  received_at: Timestamp;
  processed_at: Timestamp | null;
}

/** One Dialer.io call and its HubSpot call; `sync_state` moves only through `state-machine.ts`. */
export type SyncState = 'waiting' | 'pending' | 'sending' | 'synced' | 'failed' | 'debug';

export interface CallsTable {
  installation_id: string;
  call_id: string;
  data: ColumnType<unknown, string, string>;
  version: Defaulted<number>;
  final: Defaulted<boolean>;
  sync_state: Defaulted<SyncState>;
  synced_version: Defaulted<number>;
  hubspot_call_id: string | null;
  contact_id: string | null;
  owner_id: string | null;
  outcome_id: string | null;
  phone_e164: string | null;
  properties: ColumnType<unknown, string | null, string | null>;
  attempts: Defaulted<number>;
  last_error: string | null;
  sending_at: Timestamp | null;
  /** Written with what was known after no final event came in time (the waiting sweeper). */
  incomplete: Defaulted<boolean>;
  failed_at: Timestamp | null;
  /** Searches by hs_call_external_id since the create answer was lost. */
  lost_searches: Defaulted<number>;
  started_at: Timestamp | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}

/** Phone (E.164) → HubSpot contact id, or null for "no contact has it", until `expires_at`. */
export interface PhoneLookupsTable {
  installation_id: string;
  phone_e164: string;
  contact_id: string | null;
  expires_at: Timestamp;
}

/** Contact names for call titles, so a known contact costs no HubSpot read. */
export interface ContactCacheTable {
  installation_id: string;
  contact_id: string;
  first_name: string | null;
  last_name: string | null;
  expires_at: Timestamp;
}

export type CallRow = Selectable<CallsTable>;

/** The portal's call pipeline: who holds it (fencing) and why it is paused (portal-level failure). */
export interface CallSyncPortalsTable {
  installation_id: string;
  claim_token: string | null;
  claimed_at: Timestamp | null;
  paused_code: string | null;
  paused_reason: string | null;
  paused_since: Timestamp | null;
  pause_attempts: Defaulted<number>;
  resume_at: Timestamp | null;
  updated_at: Defaulted<Date>;
}
