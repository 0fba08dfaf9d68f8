import type { Db } from '../platform/db/database.ts';
import type { ActivityLevel } from './activity.table.ts';

export interface ActivityEntry {
  callId?: string | null;
  contactId?: string | null;
  phoneE164?: string | null;
  level: ActivityLevel;
  /** A stable step name: received, contact_matched, owner_unmapped, hubspot_created, ... */
  step: string;
  /** A sentence for the person reading the activity log. */
  message: string;
  details?: Record<string, unknown>;
}

/** Appends entries to the activity log of one installation, in one statement. */
export async function recordActivity(
  db: Db,
  installationId: string,
  entries: ActivityEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('activity_log')
    .values(
      entries.map((entry) => ({
        installation_id: installationId,
        call_id: entry.callId ?? null,
        contact_id: entry.contactId ?? null,
        phone_e164: entry.phoneE164 ?? null,
        level: entry.level,
        step: entry.step,
        message: entry.message,
        details: entry.details === undefined ? null : JSON.stringify(entry.details),
      })),
    )
    .execute();
}
