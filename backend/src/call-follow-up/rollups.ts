import { sql } from 'kysely';
import type { ActivityEntry } from '../activity/record.ts';
import type { DialerCall } from '../dialer/index.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Db } from '../platform/db/database.ts';
import { sendInBatches } from './batches.ts';

const BATCH = 100;

type Rollups = Record<string, string>;

/** What a rollup needs of one call. */
export interface CallFact {
  callId: string;
  direction: 'inbound' | 'outbound';
  startedAtMs: number;
  /** The disposition's name, else the call's status (`missed`, `no_answer`, ...). */
  outcome: string;
  agent: string | null;
}

export function callFact(callId: string, call: DialerCall): CallFact {
  return {
    callId,
    direction: call.direction,
    startedAtMs: Date.parse(call.started_at ?? call.ended_at ?? '') || 0,
    outcome: call.disposition?.name ?? call.status,
    agent: call.agent?.name ?? null,
  };
}

const later = (a: CallFact, b: CallFact) =>
  a.startedAtMs !== b.startedAtMs ? a.startedAtMs > b.startedAtMs : a.callId > b.callId;

/**
 * The contact's rollup properties, computed from all its calls (never incremented: redelivery,
 * disorder and late dispositions cannot skew them). Properties with no value are left out.
 */
export function computeRollups(calls: CallFact[]): Rollups {
  const out: Rollups = {};
  let last: CallFact | undefined;
  for (const direction of ['inbound', 'outbound'] as const) {
    const mine = calls.filter((c) => c.direction === direction);
    out[`dialer_sync_total_${direction}_calls`] = String(mine.length);
    if (mine.length === 0) continue;
    const first = mine.reduce((a, b) => (later(a, b) ? b : a));
    const latest = mine.reduce((a, b) => (later(a, b) ? a : b));
    out[`dialer_sync_first_${direction}_call_at`] = String(first.startedAtMs);
    out[`dialer_sync_last_${direction}_call_at`] = String(latest.startedAtMs);
    out[`dialer_sync_last_${direction}_call_disposition`] = latest.outcome;
    if (!last || later(latest, last)) last = latest;
  }
  if (last) {
    out.dialer_sync_last_call_at = String(last.startedAtMs);
    out.dialer_sync_last_call_disposition = last.outcome;
    if (last.agent) out.dialer_sync_last_agent = last.agent;
  }
  return out;
}

/** What to send: changed values; a value we wrote before and that is gone now is cleared. */
export function rollupChanges(next: Rollups, written: Rollups | null): Rollups {
  const changes: Rollups = {};
  for (const [name, value] of Object.entries(next)) if (written?.[name] !== value) changes[name] = value;
  for (const name of Object.keys(written ?? {}))
    if (!(name in next) && written![name] !== '') changes[name] = '';
  return changes;
}

/** Marks contacts' rollups as needing a recompute (the job writes them after the calls). */
export async function markRollupsDirty(db: Db, installationId: string, contactIds: Iterable<string>) {
  const ids = [...new Set(contactIds)];
  if (ids.length === 0) return;
  await db
    .insertInto('contact_rollups')
    .values(
      ids.map((contact_id) => ({
        installation_id: installationId,
        contact_id,
        dirty: true,
        updated_at: new Date(),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['installation_id', 'contact_id']).doUpdateSet({ dirty: true, updated_at: new Date() }),
    )
    .execute();
}

/**
 * Recomputes every dirty contact's rollups from the calls table and writes what changed, 100
 * contacts per HubSpot batch update. A contact HubSpot no longer has is dropped. Returns how many
 * contacts were written.
 */
export async function writeDirtyRollups(
  db: Db,
  installationId: string,
  client: PortalClient,
  activity: ActivityEntry[],
): Promise<number> {
  let written = 0;
  for (;;) {
    const dirty = await db
      .selectFrom('contact_rollups')
      .select(['contact_id', 'written', 'updated_at'])
      .where('installation_id', '=', installationId)
      .where('dirty', '=', true)
      .orderBy('contact_id')
      .limit(BATCH)
      .execute();
    if (dirty.length === 0) return written;
    const facts = await callFacts(
      db,
      installationId,
      dirty.map((d) => d.contact_id),
    );
    const updates = dirty.flatMap((row) => {
      const next = computeRollups(facts.get(row.contact_id) ?? []);
      const changes = rollupChanges(next, row.written as Rollups | null);
      return [{ contactId: row.contact_id, next, changes, seenAt: row.updated_at }];
    });
    const toSend = updates.filter((u) => Object.keys(u.changes).length > 0);
    // Not written (deleted in HubSpot, or refused): `written` stays, so a later change retries.
    const missing = new Set<string>();
    await sendInBatches(
      toSend,
      async (batch) => {
        for (const id of await sendUpdates(client, batch)) missing.add(id);
      },
      (update, error) => {
        missing.add(update.contactId);
        activity.push({
          contactId: update.contactId,
          level: 'warning',
          step: 'rollups_refused',
          message: `HubSpot refused this contact's call rollups: ${error.message}.`,
        });
      },
    );
    written += toSend.length - missing.size;
    await storeWritten(db, installationId, updates, missing);
  }
}

async function callFacts(db: Db, installationId: string, contactIds: string[]) {
  const rows = await db
    .selectFrom('calls')
    .select(['call_id', 'contact_id', 'data'])
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', contactIds)
    .where('hubspot_call_id', 'is not', null)
    .execute();
  const facts = new Map<string, CallFact[]>();
  for (const row of rows) {
    const list = facts.get(row.contact_id!) ?? [];
    list.push(callFact(row.call_id, row.data as DialerCall));
    facts.set(row.contact_id!, list);
  }
  return facts;
}

async function sendUpdates(client: PortalClient, updates: { contactId: string; changes: Rollups }[]) {
  const answer = (await client.send('batchUpdateContacts', {
    body: { inputs: updates.map((u) => ({ id: u.contactId, properties: u.changes })) },
  })) as { results?: { id: string }[] } | undefined;
  const done = new Set((answer?.results ?? []).map((r) => String(r.id)));
  return new Set(updates.map((u) => u.contactId).filter((id) => !done.has(id)));
}

/** Stores what was written; a contact dirtied again meanwhile (newer `updated_at`) stays dirty. */
async function storeWritten(
  db: Db,
  installationId: string,
  updates: { contactId: string; next: Rollups; seenAt: Date }[],
  missing: Set<string>,
) {
  const rows = updates.map(
    (u) =>
      sql`(${u.contactId}, ${missing.has(u.contactId) ? null : JSON.stringify(u.next)}::jsonb, ${u.seenAt}::timestamptz)`,
  );
  await sql`
    update contact_rollups set
      written = coalesce(v.written, contact_rollups.written),
      dirty = contact_rollups.updated_at > v.seen_at
    from (values ${sql.join(rows)}) as v(contact_id, written, seen_at)
    where contact_rollups.installation_id = ${installationId} and contact_rollups.contact_id = v.contact_id
  `.execute(db);
}
