import { sql } from 'kysely';
import type { DialerCall } from '../dialer/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { FollowUpCall } from './episodes.ts';

export interface ChangedCall extends FollowUpCall {
  version: number;
  /** Its tasks are still to plan once it has its final status (`needsPlan`). */
  planned: boolean;
  /** The contact it had when last seen (rollups of a contact it left must be recomputed). */
  seenContactId: string | null;
}

/** Written calls the follow-up job has not seen at their current version and contact. */
export async function changedCalls(db: Db, installationId: string, limit: number): Promise<ChangedCall[]> {
  const rows = await db
    .selectFrom('calls as c')
    .leftJoin('call_follow_ups as f', (join) =>
      join.onRef('f.installation_id', '=', 'c.installation_id').onRef('f.call_id', '=', 'c.call_id'),
    )
    .select([
      'c.call_id',
      'c.data',
      'c.synced_version',
      'c.hubspot_call_id',
      'c.contact_id',
      'c.owner_id',
      'c.phone_e164',
      'f.call_id as seen_call_id',
      'f.contact_id as seen_contact_id',
      'f.planned',
    ])
    .where('c.installation_id', '=', installationId)
    .where('c.hubspot_call_id', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('f.call_id', 'is', null),
        eb('f.seen_version', '<', eb.ref('c.synced_version')),
        sql<boolean>`f.contact_id is distinct from c.contact_id`,
      ]),
    )
    .orderBy('c.started_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    callId: r.call_id,
    hubspotCallId: r.hubspot_call_id!,
    call: r.data as DialerCall,
    contactId: r.contact_id,
    agentOwnerId: r.owner_id,
    phoneE164: r.phone_e164,
    version: r.synced_version,
    planned: r.seen_call_id !== null && r.planned === true,
    seenContactId: r.seen_contact_id,
  }));
}

/** A call still ringing or talking may yet end missed: its tasks wait for its final status. */
export const hasFinalStatus = (c: FollowUpCall) => !LIVE_STATUSES.has(c.call.status);
const LIVE_STATUSES = new Set<DialerCall['status']>(['ringing', 'in_progress']);

/** Its tasks are planned on its final status, once (a call first logged ringing ends later). */
export const needsPlan = (c: ChangedCall) => !c.planned && hasFinalStatus(c);

/**
 * Records the version and contact the job has handled, and whether the call's tasks are planned
 * now, in one statement (inside the transaction that stores the planned tasks).
 */
export async function markSeen(db: Db, installationId: string, calls: ChangedCall[]): Promise<void> {
  if (calls.length === 0) return;
  await db
    .insertInto('call_follow_ups')
    .values(
      calls.map((c) => ({
        installation_id: installationId,
        call_id: c.callId,
        seen_version: c.version,
        contact_id: c.contactId,
        planned: c.planned || hasFinalStatus(c),
        updated_at: new Date(),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['installation_id', 'call_id']).doUpdateSet((eb) => ({
        seen_version: eb.ref('excluded.seen_version'),
        contact_id: eb.ref('excluded.contact_id'),
        planned: eb.ref('excluded.planned'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
