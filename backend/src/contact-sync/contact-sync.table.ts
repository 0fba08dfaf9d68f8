import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type Creation = 'hubspot_to_dialer' | 'both' | 'off';
/** Which HubSpot contacts become Dialer.io contacts: every one with a phone, or only those sent. */
export type CreateFromHubSpot = 'with_phone' | 'sent';
export type Updates = 'both' | 'hubspot_to_dialer';
export type Direction = 'both' | 'hubspot_to_dialer' | 'dialer_to_hubspot';
export type SyncSide = 'hubspot' | 'dialer';

export interface ContactSyncSettingsTable {
  installation_id: string;
  creation: Defaulted<Creation>;
  create_from_hubspot: Defaulted<CreateFromHubSpot>;
  updates: Defaulted<Updates>;
  /** The custom-property sweep has read HubSpot changes up to here. */
  sweep_cursor: Timestamp | null;
  updated_at: Timestamp;
}

/** A change to a built-in mapping, or a custom mapping; `removed` hides a default one. */
export interface PropertyMappingsTable {
  installation_id: string;
  dialer_field: string;
  hubspot_property: string;
  direction: Direction;
  removed: Defaulted<boolean>;
  updated_at: Timestamp;
}

export interface ContactSyncLinksTable {
  installation_id: string;
  contact_id: string;
  /** The key of Dialer.io's contacts API (`PUT /v1/contacts/{external_id}`). */
  dialer_external_id: string;
  dialer_contact_id: string | null;
  created_by: 'hubspot' | 'dialer' | 'link';
  updated_at: Timestamp;
}

/** Per contact and field, the value both sides agreed on last (each in its own form). */
export interface ContactSyncValuesTable {
  installation_id: string;
  contact_id: string;
  dialer_field: string;
  hubspot_value: string | null;
  dialer_value: string | null;
  changed_at: Timestamp;
  source: SyncSide;
  /** What HubSpot holds as far as we know, and since when (null: unknown). */
  hubspot_held: string | null;
  hubspot_held_at: Timestamp | null;
  /** What Dialer.io holds as far as we know, and since when (null: unknown). */
  dialer_held: string | null;
  dialer_held_at: Timestamp | null;
}

/** Our own writes to either side: an incoming change that matches one by value and time is its echo. */
export interface ContactSyncWritesTable {
  id: Generated<string>;
  installation_id: string;
  contact_id: string;
  dialer_field: string;
  side: SyncSide;
  value: string;
  /** The time of the change the write carries (its echo is judged as that change). */
  origin_at: Timestamp;
  started_at: Timestamp;
  finished_at: Timestamp | null;
}

/** A HubSpot contact being created for a Dialer.io contact (our own key, for retries after a lost answer). */
export interface ContactSyncCreatesTable {
  installation_id: string;
  dialer_contact_id: string;
  attempted_at: Timestamp;
  contact_id: string | null;
}

export interface ContactSyncInboxTable {
  id: Generated<string>;
  installation_id: string;
  event_id: string;
  payload: ColumnType<unknown, string, string>;
  received_at: Timestamp;
  processed_at: Timestamp | null;
}

export type OperationKind = 'pull_contacts' | 'push_contacts';
export type OperationStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SyncOperationsTable {
  id: Generated<string>;
  installation_id: string;
  kind: OperationKind;
  status: OperationStatus;
  total: number | null;
  done: Defaulted<number>;
  failed: Defaulted<number>;
  /** pull: the last HubSpot contact id done; push: the last linked contact id done. */
  cursor: string | null;
  /** pull: the contact being sent when the worker stopped (checked before it is sent again). */
  in_flight: string | null;
  last_error: string | null;
  requested_by: number | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  updated_at: Timestamp;
}

export type SyncOperation = Selectable<SyncOperationsTable>;
export type ContactSyncSettings = Selectable<ContactSyncSettingsTable>;
