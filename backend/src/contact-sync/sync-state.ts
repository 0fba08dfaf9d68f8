import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { SyncSide } from './contact-sync.table.ts';
import type { FieldState, Held, LoggedWrite } from './sync-model.ts';

// The model's state in the database: contact_sync_values (the winner and what each side holds)
// and contact_sync_writes (our writes, for echo recognition).

export const fieldKey = (contactId: string, dialerField: string) => `${contactId}\u0000${dialerField}`;

/** Our writes are remembered this long: an echo comes within minutes, a late retry within the hour. */
const WRITE_LOG_HOURS = 6;

const heldOf = (value: string | null, at: Date | string | null): Held | undefined =>
  at === null ? undefined : { value, at: new Date(at).getTime() };

export async function loadStates(
  db: Db,
  installationId: string,
  contactIds: string[],
): Promise<Map<string, FieldState>> {
  const states = new Map<string, FieldState>();
  if (contactIds.length === 0) return states;
  const rows = await db
    .selectFrom('contact_sync_values')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', contactIds)
    .execute();
  for (const row of rows) {
    const changedAt = new Date(row.changed_at).getTime();
    // Rows from before the model: the value both sides agreed on, as of its change.
    const agreed = (value: string | null): Held => ({ value, at: changedAt });
    states.set(fieldKey(row.contact_id, row.dialer_field), {
      hubspotValue: row.hubspot_value,
      dialerValue: row.dialer_value,
      changedAt,
      source: row.source,
      held: {
        hubspot: heldOf(row.hubspot_held, row.hubspot_held_at) ?? agreed(row.hubspot_value),
        dialer: heldOf(row.dialer_held, row.dialer_held_at) ?? agreed(row.dialer_value),
      },
    });
  }
  return states;
}

export async function saveStates(
  db: Db,
  installationId: string,
  states: Map<string, FieldState>,
  keys: Iterable<string>,
): Promise<void> {
  const rows = [...new Set(keys)].flatMap((key) => {
    const state = states.get(key);
    if (!state) return [];
    const [contactId, dialerField] = key.split('\u0000') as [string, string];
    const held = (side: SyncSide) => state.held[side];
    const at = (side: SyncSide) => (held(side) ? new Date(held(side)!.at) : null);
    return [
      {
        installation_id: installationId,
        contact_id: contactId,
        dialer_field: dialerField,
        hubspot_value: state.hubspotValue,
        dialer_value: state.dialerValue,
        changed_at: new Date(state.changedAt),
        source: state.source,
        hubspot_held: held('hubspot')?.value ?? null,
        hubspot_held_at: at('hubspot'),
        dialer_held: held('dialer')?.value ?? null,
        dialer_held_at: at('dialer'),
      },
    ];
  });
  if (rows.length === 0) return;
  await db
    .insertInto('contact_sync_values')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['installation_id', 'contact_id', 'dialer_field']).doUpdateSet({
        hubspot_value: sql`excluded.hubspot_value`,
        dialer_value: sql`excluded.dialer_value`,
        changed_at: sql`excluded.changed_at`,
        source: sql`excluded.source`,
        hubspot_held: sql`excluded.hubspot_held`,
        hubspot_held_at: sql`excluded.hubspot_held_at`,
        dialer_held: sql`excluded.dialer_held`,
        dialer_held_at: sql`excluded.dialer_held_at`,
      }),
    )
    .execute();
}

export async function loadWrites(
  db: Db,
  installationId: string,
  contactIds: string[],
): Promise<Map<string, LoggedWrite[]>> {
  const writes = new Map<string, LoggedWrite[]>();
  if (contactIds.length === 0) return writes;
  const rows = await db
    .selectFrom('contact_sync_writes')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', contactIds)
    .where('started_at', '>', new Date(Date.now() - WRITE_LOG_HOURS * 3_600_000))
    .execute();
  for (const row of rows) {
    const key = fieldKey(row.contact_id, row.dialer_field);
    writes.set(key, [
      ...(writes.get(key) ?? []),
      {
        side: row.side,
        value: row.value,
        originAt: new Date(row.origin_at).getTime(),
        startedAt: new Date(row.started_at).getTime(),
        finishedAt: row.finished_at === null ? null : new Date(row.finished_at).getTime(),
      },
    ]);
  }
  return writes;
}

export interface PlannedWrite {
  contactId: string;
  dialerField: string;
  value: string;
  originAt: number;
}

/** Logs writes before they are sent (their echo can come before the answer); returns their ids. */
export async function logWrites(
  db: Db,
  installationId: string,
  side: SyncSide,
  writes: PlannedWrite[],
  now: number,
): Promise<string[]> {
  if (writes.length === 0) return [];
  await db
    .deleteFrom('contact_sync_writes')
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', [...new Set(writes.map((w) => w.contactId))])
    .where('started_at', '<', new Date(now - WRITE_LOG_HOURS * 3_600_000))
    .execute();
  const rows = await db
    .insertInto('contact_sync_writes')
    .values(
      writes.map((w) => ({
        installation_id: installationId,
        contact_id: w.contactId,
        dialer_field: w.dialerField,
        side,
        value: w.value,
        origin_at: new Date(w.originAt),
        started_at: new Date(now),
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function finishWrites(db: Db, ids: string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('contact_sync_writes')
    .set({ finished_at: new Date(now) })
    .where('id', 'in', ids)
    .execute();
}
