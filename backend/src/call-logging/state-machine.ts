import { randomUUID } from 'node:crypto';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { SyncState } from './call-logging.table.ts';

/**
 * The one place where a call's `sync_state` changes. States and who moves them:
 *
 *   (new event)  → waiting  when the call is not over, pending when it is        fold (events.ts)
 *   waiting      → pending  a final event arrived                                 fold
 *   waiting      → pending  (incomplete) no final event within the limit          waiting sweeper
 *   pending      → sending  the batch create is about to go out (fenced)           sync job
 *   pending|sending → synced  HubSpot answered with the call's id (fenced)         sync job
 *   sending      → pending  not found after the lost-create window: create again  sync job
 *   pending|sending → failed  HubSpot refused this call itself (fenced)           sync job
 *   pending      → debug    debug mode: recorded, never written (fenced)           sync job
 *   synced|failed → pending  newer data arrived                                   fold
 *   synced       → pending  its agent was mapped since (owner backfill)           mappings
 *   failed       → pending  retry (one, all), or its cause may have cleared        activity, sweeper, resume
 *
 * Portal-level problems (outage, rate limit, revoked token, missing scope) never move a call:
 * they pause the portal (`portal-pause.ts`). "Fenced" transitions happen only while the caller
 * still holds the portal's claim: a worker that lost it (stalled past its heartbeat, replaced by
 * another) changes nothing and learns it through `ClaimLostError`.
 */

/** Failed calls get this many automatic tries (resume, schedule, mapping change); then only "Retry". */
export const AUTO_RETRY_ATTEMPTS = 20;

/** Held by the one worker running the portal's call pipeline. */
export interface PortalClaim {
  installationId: string;
  token: string;
}

/** This worker no longer holds the portal: it must stop without writing anything. */
export class ClaimLostError extends Error {
  readonly retryable = false;
  readonly code = 'claim_lost';
  constructor() {
    super('another worker took over this portal’s calls');
  }
}

/** Takes the portal's call pipeline for this worker; any older holder is fenced off from now on. */
export async function claimPortal(db: Db, installationId: string): Promise<PortalClaim> {
  const token = randomUUID();
  await db
    .insertInto('call_sync_portals')
    .values({ installation_id: installationId, claim_token: token, claimed_at: new Date() })
    .onConflict((oc) =>
      oc.column('installation_id').doUpdateSet({ claim_token: token, claimed_at: new Date() }),
    )
    .execute();
  return { installationId, token };
}

/** Throws ClaimLostError unless the claim is still held (inside a transaction: holds it till commit). */
export async function assertClaim(db: Db, claim: PortalClaim): Promise<void> {
  const row = await db
    .selectFrom('call_sync_portals')
    .select('claim_token')
    .where('installation_id', '=', claim.installationId)
    .forShare()
    .executeTakeFirst();
  if (row?.claim_token !== claim.token) throw new ClaimLostError();
}

function holds(claim: PortalClaim): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from call_sync_portals p where p.installation_id = ${claim.installationId} and p.claim_token = ${claim.token})`;
}

/** The state a call takes when new data from Dialer.io was merged into it (used by the fold). */
export function stateAfterNewData(final: Expression<boolean>) {
  return sql<SyncState>`case when calls.sync_state in ('debug', 'sending') then calls.sync_state
                             when ${final} then 'pending' else 'waiting' end`;
}

export function initialState(final: boolean): SyncState {
  return final ? 'pending' : 'waiting';
}

/** pending → sending, before the batch create goes out. Throws ClaimLostError when fenced off. */
export async function markSending(db: Db, claim: PortalClaim, callIds: string[]): Promise<void> {
  if (callIds.length === 0) return;
  const marked = await db
    .updateTable('calls')
    .set({ sync_state: 'sending', sending_at: new Date(), lost_searches: 0, attempts: sql`attempts + 1` })
    .where('installation_id', '=', claim.installationId)
    .where('call_id', 'in', callIds)
    .where(holds(claim))
    .returning('call_id')
    .execute();
  if (marked.length < callIds.length) throw new ClaimLostError();
}

export interface Written {
  callId: string;
  version: number;
  hubspotCallId: string;
  contactId: string | null;
  phoneE164: string | null;
  /** Every property HubSpot now holds from us (what was sent before, plus this write). */
  properties: Record<string, string>;
}

/**
 * → synced, or pending again when newer data arrived while the request was out (its version moved
 * on). One statement per batch.
 */
export async function markWritten(db: Db, claim: PortalClaim, written: Written[]): Promise<void> {
  if (written.length === 0) return;
  const rows = written.map(
    (w) =>
      sql`(${w.callId}, ${w.version}::int, ${w.hubspotCallId}, ${w.contactId}, ${w.phoneE164}, ${w.properties.hubspot_owner_id || null}, ${w.properties.hs_call_disposition || null}, ${JSON.stringify(w.properties)}::jsonb)`,
  );
  await sql`
    update calls set
      hubspot_call_id = v.hubspot_call_id,
      synced_version = v.version,
      sync_state = case when calls.version > v.version then 'pending' else 'synced' end,
      contact_id = v.contact_id,
      phone_e164 = v.phone_e164,
      owner_id = v.owner_id,
      outcome_id = v.outcome_id,
      properties = v.properties,
      last_error = null,
      failed_at = null,
      sending_at = null,
      lost_searches = 0,
      updated_at = now()
    from (values ${sql.join(rows)}) as v(call_id, version, hubspot_call_id, contact_id, phone_e164, owner_id, outcome_id, properties)
    where calls.installation_id = ${claim.installationId} and calls.call_id = v.call_id and ${holds(claim)}
  `.execute(db);
}

/** → failed: HubSpot refused this call itself. Retried on a schedule and from the activity log. */
export async function markFailed(db: Db, claim: PortalClaim, callId: string, reason: string): Promise<void> {
  await db
    .updateTable('calls')
    .set({
      sync_state: 'failed',
      last_error: reason,
      failed_at: new Date(),
      sending_at: null,
      updated_at: new Date(),
    })
    .where('installation_id', '=', claim.installationId)
    .where('call_id', '=', callId)
    .where(holds(claim))
    .execute();
}

/** → debug: what would have been written is kept; the call is never written later. */
export async function markDebug(
  db: Db,
  claim: PortalClaim,
  call: { callId: string; version: number; contactId: string | null; phoneE164: string | null },
  properties: Record<string, string>,
): Promise<void> {
  await db
    .updateTable('calls')
    .set({
      sync_state: 'debug',
      contact_id: call.contactId,
      phone_e164: call.phoneE164,
      properties: JSON.stringify(properties),
      synced_version: call.version,
      updated_at: new Date(),
    })
    .where('installation_id', '=', claim.installationId)
    .where('call_id', '=', call.callId)
    .where(holds(claim))
    .execute();
}

/** A lost create was searched for and not found (yet): the next search waits longer. */
export async function noteLostSearch(db: Db, claim: PortalClaim, callIds: string[]): Promise<void> {
  if (callIds.length === 0) return;
  await db
    .updateTable('calls')
    .set({ lost_searches: sql`lost_searches + 1` })
    .where('installation_id', '=', claim.installationId)
    .where('call_id', 'in', callIds)
    .where('sync_state', '=', 'sending')
    .where(holds(claim))
    .execute();
}

/** sending → pending: searched over the whole window without finding it, so it may be created again. */
export async function releaseLostCreates(db: Db, claim: PortalClaim, callIds: string[]): Promise<void> {
  if (callIds.length === 0) return;
  await db
    .updateTable('calls')
    .set({ sync_state: 'pending', sending_at: null, lost_searches: 0, updated_at: new Date() })
    .where('installation_id', '=', claim.installationId)
    .where('call_id', 'in', callIds)
    .where('sync_state', '=', 'sending')
    .where(holds(claim))
    .execute();
}

/**
 * failed → pending: one call (`callIds`), every failed call, or those failed before `failedBefore`
 * (the scheduled re-drive). Returns the ids moved.
 */
export async function retryFailed(
  db: Db,
  installationId: string,
  options: { callIds?: string[]; failedBefore?: Date; maxAttempts?: number } = {},
): Promise<string[]> {
  if (options.callIds?.length === 0) return [];
  let query = db
    .updateTable('calls')
    .set({ sync_state: 'pending', updated_at: new Date() })
    .where('installation_id', '=', installationId)
    .where('sync_state', '=', 'failed');
  if (options.callIds) query = query.where('call_id', 'in', options.callIds);
  if (options.failedBefore) query = query.where('failed_at', '<', options.failedBefore);
  if (options.maxAttempts) query = query.where('attempts', '<', options.maxAttempts);
  return (await query.returning('call_id').execute()).map((row) => row.call_id);
}

/** waiting → pending (incomplete): no final event came within the limit; written with what is known. */
export async function releaseStaleWaiting(
  db: Db,
  installationId: string,
  updatedBefore: Date,
): Promise<{ call_id: string; data: unknown }[]> {
  return db
    .updateTable('calls')
    .set({ sync_state: 'pending', incomplete: true, updated_at: new Date() })
    .where('installation_id', '=', installationId)
    .where('sync_state', '=', 'waiting')
    .where('updated_at', '<', updatedBefore)
    .returning(['call_id', 'data'])
    .execute();
}

/** synced → pending: these calls are written again by the sync job (e.g. their owner is known now). */
export async function resyncCalls(db: Db, installationId: string, callIds: string[]): Promise<string[]> {
  if (callIds.length === 0) return [];
  const rows = await db
    .updateTable('calls')
    .set({ sync_state: 'pending', updated_at: new Date() })
    .where('installation_id', '=', installationId)
    .where('call_id', 'in', callIds)
    .where('sync_state', '=', 'synced')
    .returning('call_id')
    .execute();
  return rows.map((row) => row.call_id);
}
