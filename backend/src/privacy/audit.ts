import { randomBytes } from 'node:crypto';
import { jsonColumn } from '../platform/db/json-column.ts';
import type { Db } from '../platform/db/database.ts';
import type { DialerDeletion, ErasureSource, PrivacyErasureRow } from './privacy.table.ts';
import { hashAll, readHashes } from './repeat.ts';
import type { Subject } from './subject.ts';

export type ErasureCounts = Record<string, number>;

export interface AuditClaim {
  installationId: string;
  source: ErasureSource;
  userId: number | null;
  hubspotEventId: string | null;
}

/**
 * Opens the audit row inside the erasure's transaction. Null when this HubSpot event was
 * already erased (a redelivery or a retried job): the caller then erases nothing.
 */
export async function claimAuditRow(db: Db, claim: AuditClaim): Promise<number | null> {
  const row = await db
    .insertInto('privacy_erasures')
    .values({
      installation_id: claim.installationId,
      source: claim.source,
      requested_by_user_id: claim.userId,
      hubspot_event_id: claim.hubspotEventId,
      salt: randomBytes(16).toString('base64url'),
      identifier_hashes: '{}',
      counts: '{}',
    })
    .onConflict((oc) => oc.columns(['installation_id', 'hubspot_event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Completes the audit row: the identifiers as salted hashes, and what was erased. A repeated
 * erasure completes its first row again: identifiers united, counts added.
 */
export async function completeAuditRow(
  db: Db,
  installationId: string,
  id: number,
  subject: Subject,
  counts: ErasureCounts,
): Promise<void> {
  const row = await db
    .selectFrom('privacy_erasures')
    .select(['salt', 'identifier_hashes', 'counts'])
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const before = readHashes(row.identifier_hashes);
  const unite = (kind: keyof typeof before, values: Iterable<string>) =>
    [...new Set([...before[kind], ...hashAll(row.salt, values)])].sort();
  const hashes = {
    emails: unite('emails', subject.emails),
    phones: unite('phones', subject.phones.keys()),
    contactIds: unite('contactIds', subject.contactIds),
  };
  const total: ErasureCounts = { ...jsonColumn<ErasureCounts>(row.counts) };
  for (const [name, n] of Object.entries(counts)) total[name] = (total[name] ?? 0) + n;
  await db
    .updateTable('privacy_erasures')
    .set({ identifier_hashes: JSON.stringify(hashes), counts: JSON.stringify(total) })
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .execute();
}

export async function recordDialerDeletion(
  db: Db,
  installationId: string,
  id: number,
  outcome: DialerDeletion,
): Promise<{ counts: unknown; dialer_deletion: DialerDeletion }> {
  // A repeated erasure finds the Dialer.io contact gone: the row keeps "deleted".
  const keepsDeleted = outcome === 'not_found' || outcome === 'not_requested';
  const row = await db
    .updateTable('privacy_erasures')
    .set({ dialer_deletion: outcome })
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .$if(keepsDeleted, (qb) => qb.where('dialer_deletion', '!=', 'deleted'))
    .returning(['counts', 'dialer_deletion'])
    .executeTakeFirst();
  return row ? row : readOutcome(db, installationId, id);
}

async function readOutcome(db: Db, installationId: string, id: number) {
  return db
    .selectFrom('privacy_erasures')
    .select(['counts', 'dialer_deletion'])
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export interface ErasureAuditEntry {
  id: number;
  at: string;
  source: ErasureSource;
  requestedBy: string;
  counts: ErasureCounts;
  dialerDeletion: DialerDeletion;
}

export async function listAudit(db: Db, installationId: string, limit = 100): Promise<ErasureAuditEntry[]> {
  const rows = await db
    .selectFrom('privacy_erasures')
    .selectAll()
    .where('installation_id', '=', installationId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

function toEntry(row: PrivacyErasureRow): ErasureAuditEntry {
  return {
    id: Number(row.id),
    at: new Date(row.created_at).toISOString(),
    source: row.source,
    requestedBy:
      row.source === 'hubspot_privacy_deletion'
        ? 'HubSpot privacy deletion'
        : `HubSpot user ${row.requested_by_user_id ?? 'unknown'}`,
    counts: jsonColumn<ErasureCounts>(row.counts),
    dialerDeletion: row.dialer_deletion,
  };
}
