import { createHash } from 'node:crypto';
import { z } from 'zod';
import { jsonColumn } from '../platform/db/json-column.ts';
import type { Db } from '../platform/db/database.ts';
import type { AuditClaim } from './audit.ts';
import type { Subject } from './subject.ts';

/** HubSpot replays a hubspot.fetch request at once; a person erased again later gets a new row. */
const REPEAT_WINDOW_MS = 5 * 60 * 1000;

const hashesSchema = z.object({
  emails: z.array(z.string()).default([]),
  phones: z.array(z.string()).default([]),
  contactIds: z.array(z.string()).default([]),
});
export type IdentifierHashes = z.infer<typeof hashesSchema>;

export const readHashes = (value: unknown): IdentifierHashes => hashesSchema.parse(jsonColumn(value) ?? {});

export const hashAll = (salt: string, values: Iterable<string>) =>
  [...values].map((value) => createHash('sha256').update(salt).update(value).digest('hex')).sort();

/**
 * The audit row of the same erasure asked for moments ago by the same user (a replayed request,
 * a second click): every identifier named now is among those it recorded. Its erasure runs
 * again into that row (erasing is idempotent), so a repeat leaves one audit entry, not two.
 */
export async function repeatedErasure(
  db: Db,
  claim: AuditClaim,
  subject: Subject,
  now: number,
): Promise<number | undefined> {
  if (claim.source !== 'api') return undefined;
  const recent = await db
    .selectFrom('privacy_erasures')
    .select(['id', 'salt', 'identifier_hashes'])
    .where('installation_id', '=', claim.installationId)
    .where('source', '=', 'api')
    .where('requested_by_user_id', claim.userId === null ? 'is' : '=', claim.userId)
    .where('created_at', '>', new Date(now - REPEAT_WINDOW_MS))
    .orderBy('id', 'desc')
    .execute();
  const named = (salt: string) => ({
    emails: hashAll(salt, subject.emails),
    phones: hashAll(salt, subject.phones.keys()),
    contactIds: hashAll(salt, subject.contactIds),
  });
  const match = recent.find((row) => {
    const stored = readHashes(row.identifier_hashes);
    const asked = named(row.salt);
    return (['emails', 'phones', 'contactIds'] as const).every((kind) =>
      asked[kind].every((hash) => stored[kind].includes(hash)),
    );
  });
  return match ? Number(match.id) : undefined;
}
