import { createHash, randomBytes } from 'node:crypto';
import { jsonColumn } from '../platform/db/json-column.ts';
import type { Db } from '../platform/db/database.ts';
import type { DialerDeletion, ErasureSource, PrivacyErasureRow } from './privacy.table.ts';
import type { Subject } from './subject.ts';

export type ErasureCounts = Record<string, number>;

export interface AuditClaim {
  installationId: string;
  source: ErasureSource;
  userId: number | null;
  hubspotEventId: string | null;
}

const hashAll = (salt: string, values: Iterable<string>) =>
  [...values].map((value) => createHash('sha256').update(salt).update(value).digest('hex')).sort();

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

/** Completes the audit row: the identifiers as salted hashes, and what was erased. */
export async function completeAuditRow(
  db: Db,
  installationId: string,
  id: number,
  subject: Subject,
  counts: ErasureCounts,
): Promise<void> {
  const { salt } = await db
    .selectFrom('privacy_erasures')
    .select('salt')
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const hashes = {
    emails: hashAll(salt, subject.emails),
    phones: hashAll(salt, subject.phones.keys()),
    contactIds: hashAll(salt, subject.contactIds),
  };
  await db
    .updateTable('privacy_erasures')
    .set({ identifier_hashes: JSON.stringify(hashes), counts: JSON.stringify(counts) })
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .execute();
}

export async function recordDialerDeletion(
  db: Db,
  installationId: string,
  id: number,
  outcome: DialerDeletion,
): Promise<void> {
  await db
    .updateTable('privacy_erasures')
    .set({ dialer_deletion: outcome })
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .execute();
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
