import type { ColumnType } from 'kysely';

export interface InstallationSettingsTable {
  installation_id: string;
  /** Process calls fully but write nothing to HubSpot. */
  debug_mode: boolean;
  /** Send Dialer.io's transcripts to HubSpot (off: HubSpot transcribes by itself where it can). */
  send_transcripts: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
