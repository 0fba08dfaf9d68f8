import { findConnection } from '../dialer-connection/repository.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import type { AppContext } from '../platform/context.ts';
import { jsonColumn } from '../platform/db/json-column.ts';
import {
  claimAuditRow,
  completeAuditRow,
  recordDialerDeletion,
  type AuditClaim,
  type ErasureCounts,
} from './audit.ts';
import { personalDataErasers } from './erasers.ts';
import { expandSubject } from './expand.ts';
import { repeatedErasure } from './repeat.ts';
import type { DialerDeletion } from './privacy.table.ts';
import { addContactId, addEmail, addPhone, emptySubject, type Subject } from './subject.ts';

export interface ErasureRequest {
  email?: string;
  phone?: string;
  hubspotContactId?: string;
  deleteInDialer?: boolean;
}

export interface ErasureResult {
  erasureId: number;
  counts: ErasureCounts;
  dialerDeletion: DialerDeletion;
}

export class InvalidPhoneError extends Error {}

/**
 * GDPR erasure of one person in one portal (by email, phone and/or HubSpot contact id):
 * our rows about them go or lose their identifiers, in one transaction with the audit row;
 * then, if asked, their Dialer.io contact is deleted. Null when `claim.hubspotEventId` was
 * already erased. Irreversible.
 */
export async function erasePerson(
  ctx: AppContext,
  claim: AuditClaim,
  request: ErasureRequest,
): Promise<ErasureResult | null> {
  const subject = await subjectOf(ctx, claim.installationId, request);
  const done = await ctx.db.transaction().execute(async (trx) => {
    const auditId =
      (await repeatedErasure(trx, claim, subject, ctx.now())) ?? (await claimAuditRow(trx, claim));
    if (auditId === null) return null;
    await expandSubject(trx, claim.installationId, subject);
    const scope = { installationId: claim.installationId, subject, callIds: [] as string[] };
    const counts: ErasureCounts = {};
    for (const eraser of personalDataErasers) counts[eraser.name] = await eraser.erase(trx, scope);
    await completeAuditRow(trx, claim.installationId, auditId, subject, counts);
    return { auditId, counts };
  });
  if (!done) return null;
  const dialerDeletion = request.deleteInDialer
    ? await deleteDialerContacts(ctx, claim.installationId, subject)
    : 'not_requested';
  // The row's totals: a repeated erasure answers what the first one did.
  const recorded = await recordDialerDeletion(ctx.db, claim.installationId, done.auditId, dialerDeletion);
  const counts = jsonColumn<ErasureCounts>(recorded.counts);
  ctx.logger.info(
    { installationId: claim.installationId, erasureId: done.auditId, counts, dialerDeletion },
    'erased a person',
  );
  return { erasureId: done.auditId, counts, dialerDeletion: recorded.dialer_deletion };
}

async function subjectOf(ctx: AppContext, installationId: string, request: ErasureRequest): Promise<Subject> {
  const connection = await findConnection(ctx.db, installationId);
  const subject = emptySubject(connection?.country ?? 'US');
  if (request.phone !== undefined && !addPhone(subject, request.phone)) throw new InvalidPhoneError();
  addEmail(subject, request.email);
  addContactId(subject, request.hubspotContactId);
  return subject;
}

/** The Dialer.io contact of each HubSpot contact (external_id = HubSpot contact id). */
async function deleteDialerContacts(
  ctx: AppContext,
  installationId: string,
  subject: Subject,
): Promise<DialerDeletion> {
  const connection = await findConnection(ctx.db, installationId);
  if (!connection) return 'not_connected';
  if (subject.contactIds.size === 0) return 'not_found';
  const client = dialerClientFor(ctx, connection, AbortSignal.timeout(20_000));
  try {
    let deleted = false;
    for (const externalId of subject.contactIds)
      deleted = (await client.deleteContact(externalId)) || deleted;
    return deleted ? 'deleted' : 'not_found';
  } catch (error) {
    ctx.logger.warn({ installationId, err: error }, 'deleting the Dialer.io contact failed');
    return 'failed';
  }
}
