import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Where the custom-property sweep of one portal is (see sweep.ts). */
export interface ContactSyncSweepsTable {
  installation_id: string;
  /** The current pass reads contacts modified at or after this time. */
  window_start: Timestamp;
  /** When the current pass began: the next pass starts here, minus the overlap. */
  pass_started_at: Timestamp;
  /** The current pass has read every contact up to this `hs_object_id`. */
  after_id: ColumnType<string, string | number | undefined, string | number>;
  updated_at: Timestamp;
}
