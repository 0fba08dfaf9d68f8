import type { ColumnType } from 'kysely';

export interface InstallationSettingsTable {
  installation_id: string;
  /** Process calls fully but write nothing to HubSpot. */
  debug_mode: boolean;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
