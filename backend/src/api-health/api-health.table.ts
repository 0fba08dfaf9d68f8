import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** HubSpot requests of one portal in one hour: how many succeeded (2xx/3xx) and failed. */
export interface HubspotRequestStatsTable {
  installation_id: string;
  hour: Timestamp;
  succeeded: ColumnType<number, number | undefined, number>;
  failed: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}
