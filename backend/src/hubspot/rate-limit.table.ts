import type { ColumnType } from 'kysely';

/** GCRA state ("theoretical arrival time") per rate-limit key, shared by every process. */
export interface RateLimitSlotsTable {
  key: string;
  tat: ColumnType<Date, Date | string, Date | string>;
}
