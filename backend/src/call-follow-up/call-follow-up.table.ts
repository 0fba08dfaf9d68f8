import type { ColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** `missedCalls` settings of a portal; no row = the defaults. */
export interface MissedCallSettingsTable {
  installation_id: string;
  enabled: Defaulted<boolean>;
  due_minutes: Defaulted<number>;
  fallback_owner_id: string | null;
  updated_at: Timestamp;
}

/** Per portal: the version of the "Dialer Sync" properties created, the last late-match sweep. */
export interface FollowUpPortalsTable {
  installation_id: string;
  properties_version: Defaulted<number>;
  swept_at: Timestamp | null;
  updated_at: Timestamp;
}

/** What the follow-up job has seen of each written call: its version and its contact. */
export interface CallFollowUpsTable {
  installation_id: string;
  call_id: string;
  seen_version: number;
  contact_id: string | null;
  /** Its tasks are planned (done once, when the call has its final status). */
  planned: Defaulted<boolean>;
  updated_at: Timestamp;
}

/** A contact's rollups: `dirty` until written; `written` = what HubSpot last got from us. */
export interface ContactRollupsTable {
  installation_id: string;
  contact_id: string;
  dirty: Defaulted<boolean>;
  written: ColumnType<unknown, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

/** `missed`: misses from one number (or contact); `agent`: calls of an agent with no HubSpot owner. */
export type FollowUpTaskKind = 'missed' | 'agent';
/** creating (create sent, answer not stored) → open → closed (completed in HubSpot, answered, mapped). */
export type FollowUpTaskState = 'creating' | 'open' | 'closed';

export interface FollowUpTasksTable {
  installation_id: string;
  id: string;
  kind: FollowUpTaskKind;
  episode_key: string;
  state: FollowUpTaskState;
  hubspot_task_id: string | null;
  contact_id: string | null;
  phone_e164: string | null;
  owner_id: string | null;
  subject: string;
  body: string;
  due_at: Timestamp;
  miss_count: Defaulted<number>;
  first_call_id: string;
  last_call_at: Timestamp;
  /** A later miss changed count or time: HubSpot's task needs an update. */
  pending_update: Defaulted<boolean>;
  closed_reason: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}

export type FollowUpTask = Selectable<FollowUpTasksTable>;

/** A call of a task's episode, to associate with the task in HubSpot (`associated_at` once done). */
export interface FollowUpTaskCallsTable {
  installation_id: string;
  task_id: string;
  call_id: string;
  hubspot_call_id: string;
  associated_at: Timestamp | null;
}

/**
 * The contact made for an unknown caller's number: the row exists (`sent_at`) before the create
 * goes out, so an answer lost on the way is found again (searched by number) instead of making
 * a second contact.
 */
export interface UnknownCallerContactsTable {
  installation_id: string;
  phone_e164: string;
  contact_id: string | null;
  sent_at: Timestamp | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}
