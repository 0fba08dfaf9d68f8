import type { ColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** Dialer.io's recording of a call: `deleted` is final (retention or an admin removed it). */
export type RecordingState = 'none' | 'ready' | 'deleted';
/** `available`: Dialer.io has a transcript not sent yet; `sent` once; `skipped` when the switch was off. */
export type TranscriptState = 'none' | 'available' | 'sent' | 'skipped';

/** What HubSpot was told about a call's recording and transcript. No audio, no transcript text. */
export interface CallMediaTable {
  installation_id: string;
  call_id: string;
  recording: Defaulted<RecordingState>;
  ready_sent_at: Timestamp | null;
  transcript: Defaulted<TranscriptState>;
  transcript_id: string | null;
  attempts: Defaulted<number>;
  last_error: string | null;
  next_attempt_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

/** The recording URL registered with HubSpot for an app (one row per app id). */
export interface RecordingRegistrationsTable {
  app_id: string;
  url: string;
  registered_at: Defaulted<Date>;
}

export type CallMediaRow = Selectable<CallMediaTable>;
