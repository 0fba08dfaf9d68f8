import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { SyncSide } from './contact-sync.table.ts';

/** What both sides agreed on last for one contact field, and when that change happened. */
export interface SyncedValue {
  hubspotValue: string | null;
  dialerValue: string | null;
  changedAt: number;
  source: SyncSide;
}

export const valueKey = (contactId: string, dialerField: string) => `${contactId}\u0000${dialerField}`;

export async function loadSyncedValues(
  db: Db,
  installationId: string,
  contactIds: string[],
): Promise<Map<string, SyncedValue>> {
  const values = new Map<string, SyncedValue>();
  if (contactIds.length === 0) return values;
  const rows = await db
    .selectFrom('contact_sync_values')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', contactIds)
    .execute();
  for (const row of rows)
    values.set(valueKey(row.contact_id, row.dialer_field), {
      hubspotValue: row.hubspot_value,
      dialerValue: row.dialer_value,
      changedAt: new Date(row.changed_at).getTime(),
      source: row.source,
    });
  return values;
}

export interface SyncedRow extends SyncedValue {
  contactId: string;
  dialerField: string;
}

/** Stores what was written (one statement); a later change already stored is never overwritten. */
/** One row per contact field (the last one given wins), ready to insert. */
function valueRows(installationId: string, rows: SyncedRow[], only?: SyncSide) {
  const unique = new Map(rows.map((row) => [valueKey(row.contactId, row.dialerField), row]));
  return [...unique.values()].map((row) => ({
    installation_id: installationId,
    contact_id: row.contactId,
    dialer_field: row.dialerField,
    hubspot_value: only === 'dialer' ? null : row.hubspotValue,
    dialer_value: only === 'hubspot' ? null : row.dialerValue,
    changed_at: new Date(only ? 0 : row.changedAt),
    source: row.source,
  }));
}

export async function saveSyncedValues(db: Db, installationId: string, rows: SyncedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('contact_sync_values')
    .values(valueRows(installationId, rows))
    .onConflict((oc) =>
      oc.columns(['installation_id', 'contact_id', 'dialer_field']).doUpdateSet({
        hubspot_value: sql`excluded.hubspot_value`,
        dialer_value: sql`excluded.dialer_value`,
        changed_at: sql`greatest(contact_sync_values.changed_at, excluded.changed_at)`,
        source: sql`excluded.source`,
      }),
    )
    .execute();
}

/**
 * Before writing to one side, remember the value being written there (only that side's column),
 * so that its echo — which can arrive before the write's answer — is recognised. The side the
 * change came from is confirmed only after the write (a retry of the same change is not an echo).
 */
export async function reserveTargetValues(
  db: Db,
  installationId: string,
  rows: SyncedRow[],
  target: SyncSide,
): Promise<void> {
  if (rows.length === 0) return;
  const column = target === 'hubspot' ? 'hubspot_value' : 'dialer_value';
  await db
    .insertInto('contact_sync_values')
    .values(valueRows(installationId, rows, target))
    .onConflict((oc) =>
      oc
        .columns(['installation_id', 'contact_id', 'dialer_field'])
        .doUpdateSet({ [column]: sql.ref(`excluded.${column}`) }),
    )
    .execute();
}

/** Undoes `reserveTargetValues` for writes the target refused. */
export async function restoreTargetValues(
  db: Db,
  installationId: string,
  rows: { contactId: string; dialerField: string; previous: SyncedValue | undefined }[],
  target: SyncSide,
): Promise<void> {
  for (const row of rows) {
    const value = target === 'hubspot' ? row.previous?.hubspotValue : row.previous?.dialerValue;
    await db
      .updateTable('contact_sync_values')
      .set(target === 'hubspot' ? { hubspot_value: value ?? null } : { dialer_value: value ?? null })
      .where('installation_id', '=', installationId)
      .where('contact_id', '=', row.contactId)
      .where('dialer_field', '=', row.dialerField)
      .execute();
  }
}
