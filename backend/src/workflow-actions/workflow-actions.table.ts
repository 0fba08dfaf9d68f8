import type { ColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null | undefined, string | null>;

export type ActionKind = 'add' | 'remove';
/** running: answered inline, in progress; queued: a job will finish it; done: output_fields is final. */
export type ExecutionState = 'running' | 'queued' | 'done';
/** pending: HubSpot was told BLOCK and waits for the callback completion. */
export type CallbackState = 'pending' | 'sent' | 'failed';

/** One HubSpot workflow action call, keyed by HubSpot's callbackId (idempotency). */
export interface WorkflowExecutionsTable {
  installation_id: string;
  callback_id: string;
  action: ActionKind;
  contact_id: string;
  workflow_id: string | null;
  /** The signed request's inputs and properties, kept until the execution is done. */
  request: Json;
  /** The Dialer.io steps already done while unfinished (parsed with `executionProgressSchema`). */
  progress: Json;
  state: ExecutionState;
  needs_callback: ColumnType<boolean, boolean | undefined, boolean>;
  output_fields: Json;
  result: string | null;
  error_code: string | null;
  message: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  callback_state: CallbackState | null;
  callback_error: string | null;
  callback_sent_at: Timestamp | null;
  /** A refused completion is sent again alone, with backoff, until HubSpot's BLOCK expires. */
  callback_attempts: ColumnType<number, number | undefined, number>;
  callback_retry_at: Timestamp | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}

/** HubSpot contact <-> Dialer.io contact and its lists, as the last workflow action left them. */
export interface ContactLinksTable {
  installation_id: string;
  contact_id: string;
  dialer_contact_id: string | null;
  phone_e164: string | null;
  /** JSON array of `{id, name}` (parsed with `linkedListsSchema`). */
  lists: ColumnType<unknown, string | undefined, string>;
  last_synced_at: Timestamp | null;
  last_error: string | null;
  updated_at: Timestamp;
}

export type WorkflowExecution = Selectable<WorkflowExecutionsTable>;
export type ContactLink = Selectable<ContactLinksTable>;
