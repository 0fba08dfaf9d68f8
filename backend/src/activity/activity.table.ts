import type { ColumnType, Generated, Selectable } from 'kysely';

export type ActivityLevel = 'info' | 'warning' | 'error';

/** What happened to each call, step by step, as the settings page shows it. */
export interface ActivityLogTable {
  id: Generated<number>;
  installation_id: string;
  call_id: string | null;
  contact_id: string | null;
  phone_e164: string | null;
  level: ActivityLevel;
  step: string;
  message: string;
  details: ColumnType<unknown, string | null, string | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export type ActivityRow = Selectable<ActivityLogTable>;
