import type { ColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** The portal's Dialer.io account: API token and webhook secret are sealed. */
export interface DialerConnectionsTable {
  installation_id: string;
  account_id: string;
  account_name: string;
  /** ISO 3166-1 alpha-2: the default region for numbers typed without `+`. */
  country: string;
  timezone: string | null;
  api_token_enc: string;
  webhook_id: string;
  webhook_secret_enc: string;
  /** Unguessable path segment of our webhook URL: `/dialer/webhooks/<key>`. */
  webhook_key: string;
  connected_at: Timestamp;
  connected_by_user_id: number | null;
  /** The webhook health sweep: last check, last re-creation, and what it found wrong. */
  webhook_checked_at: Timestamp | null;
  webhook_recreated_at: Timestamp | null;
  webhook_problem: string | null;
  /** Unguessable, written on calls as `hs_call_external_account_id`: HubSpot's recording requests name it. */
  recording_account_key: ColumnType<string, string | undefined, string>;
}

export type MappingSource = 'auto' | 'manual' | 'none';

export interface DialerAgentsTable {
  installation_id: string;
  agent_id: string;
  name: string;
  email: string | null;
  status: string;
  owner_id: string | null;
  mapping_source: ColumnType<MappingSource, MappingSource | undefined, MappingSource>;
  updated_at: Timestamp;
}

export interface DialerDispositionsTable {
  installation_id: string;
  disposition_id: string;
  name: string;
  category: string;
  outcome_id: string | null;
  mapping_source: ColumnType<MappingSource, MappingSource | undefined, MappingSource>;
  updated_at: Timestamp;
}

export interface DialerListsTable {
  installation_id: string;
  list_id: string;
  name: string;
  kind: string;
  archived: ColumnType<boolean, boolean | undefined, boolean>;
  contact_count: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export type DialerConnection = Selectable<DialerConnectionsTable>;
export type DialerAgentRow = Selectable<DialerAgentsTable>;
export type DialerDispositionRow = Selectable<DialerDispositionsTable>;
export type DialerListRow = Selectable<DialerListsTable>;
