import { sql } from 'kysely';
import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import { enqueueFollowUp } from '../call-follow-up/enqueue.ts';
import { replaceLists } from '../dialer-connection/mirror.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import type { DialerConnection } from '../dialer-connection/dialer-connection.table.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { isDebugMode } from '../settings/repository.ts';
import type { CallRow } from './call-logging.table.ts';
import { batchingWaitMs, waitOrAbort } from './batching-wait.ts';
import { handOverContactUpdates } from '../contact-sync/dialer-events.ts';
import { foldInboxEvents } from './events.ts';
import { nextSearchAt, recoverLostCreates, type LostCreatePolicy } from './lost-creates.ts';
import { prepareCalls } from './prepare.ts';
import { ClaimLostError, resyncCalls, type PortalClaim } from './state-machine.ts';
import { writeCalls, type Pipeline } from './write.ts';

const BATCH = 100;
const ROUNDS = 50;

export interface Drained {
  /** Work was left after the last round: run again at once. */
  more: boolean;
  /** When the next lost-create search is due (ms since epoch), if any call waits for one. */
  searchAt: number | null;
}

/**
 * The portal's call pipeline, fenced by `claim`: fold new events into calls, then write up to 100
 * calls per HubSpot request (lost creates are searched for first) until nothing is left.
 * Anything thrown is about the portal (the job pauses it); calls are never failed here.
 */
export async function drainPortal(
  ctx: AppContext,
  installation: Installation,
  connection: DialerConnection | undefined,
  claim: PortalClaim,
  signal: AbortSignal,
): Promise<Drained> {
  const policy: LostCreatePolicy = {
    searchIndexDelayMs: ctx.config.hubspot.searchIndexDelayMs,
    windowMs: ctx.config.callSync.lostCreateWindowMs,
  };
  const client = ctx.hubspot.forInstallation(installation);
  const unknownLists = new Set<string>();
  let searchAt: number | null = null;
  const startedAt = Date.now();
  let written = 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (signal.aborted) throw new ClaimLostError();
    const activity: ActivityEntry[] = [];
    const p: Pipeline = { db: ctx.db, claim, client, signal, activity, now: ctx.now };
    try {
      const folded = await foldInboxEvents(ctx.db, claim, activity, (trx, events) =>
        handOverContactUpdates(ctx, trx, installation.id, events),
      );
      const work = await selectWork(p, policy);
      searchAt = work.searchAt;
      const hold = batchingWaitMs({ pending: work.rows, written, startedAt, now: Date.now() });
      if (hold > 0) {
        await waitOrAbort(hold, signal);
        continue;
      }
      if (work.rows.length > 0) {
        const debug = await isDebugMode(ctx.db, installation.id);
        const country = connection?.country ?? 'US';
        const prepared = await prepareCalls(p, work.rows, { country, debug });
        prepared.unknownLists.forEach((id) => unknownLists.add(id));
        const rowById = new Map(work.rows.map((row) => [row.call_id, row]));
        const lost = prepared.outgoing.filter((c) => rowById.get(c.callId)!.sync_state === 'sending');
        const recovered = await recoverLostCreates(
          p,
          lost.map((call) => ({ call, row: rowById.get(call.callId)! })),
          policy,
        );
        await writeCalls(p, [...prepared.outgoing.filter((c) => !lost.includes(c)), ...recovered]);
        if (prepared.outgoing.length > 0) await enqueueFollowUp(ctx, installation.id); // rollups, tasks
        written += work.rows.length;
      }
      if (folded === 0 && work.rows.length === 0) {
        const filled = await refreshListsQuietly(ctx, connection, unknownLists);
        return { more: filled, searchAt };
      }
    } finally {
      await recordActivity(ctx.db, installation.id, activity);
    }
  }
  await refreshListsQuietly(ctx, connection, unknownLists);
  return { more: true, searchAt };
}

/** Pending calls, plus the lost creates whose next search is due; and when the next one falls due. */
async function selectWork(
  p: Pipeline,
  policy: LostCreatePolicy,
): Promise<{ rows: CallRow[]; searchAt: number | null }> {
  const inState = (state: 'pending' | 'sending', order: 'updated_at' | 'sending_at') =>
    p.db
      .selectFrom('calls')
      .selectAll()
      .where('installation_id', '=', p.claim.installationId)
      .where('sync_state', '=', state)
      .orderBy(order)
      .limit(BATCH)
      .execute();
  const pending = await inState('pending', 'updated_at');
  const sending = await inState('sending', 'sending_at');
  const now = p.now();
  const due = sending.filter((row) => nextSearchAt(row, policy) <= now);
  const later = sending.filter((row) => !due.includes(row)).map((row) => nextSearchAt(row, policy));
  return {
    rows: [...pending, ...due].slice(0, BATCH),
    searchAt: later.length > 0 ? Math.min(...later) : null,
  };
}

/**
 * Names of lists made in Dialer.io since the last mirror: read after the calls were written, never
 * awaited by a call. Calls written without a name that is known now are written again (only their
 * body changes). True when some were; a failure is only logged (the next pass tries again).
 */
async function refreshListsQuietly(
  ctx: AppContext,
  connection: DialerConnection | undefined,
  unknownLists: Set<string>,
): Promise<boolean> {
  if (!connection || unknownLists.size === 0) return false;
  const installationId = connection.installation_id;
  try {
    await replaceLists(ctx.db, installationId, await dialerClientFor(ctx, connection).listLists());
  } catch (error) {
    ctx.logger.warn({ err: error, installationId }, 'could not refresh Dialer.io lists');
    return false;
  }
  const known = await ctx.db
    .selectFrom('dialer_lists')
    .select('list_id')
    .where('installation_id', '=', installationId)
    .where('list_id', 'in', [...unknownLists])
    .execute();
  if (known.length === 0) return false;
  const named = await ctx.db
    .selectFrom('calls')
    .select('call_id')
    .where('installation_id', '=', installationId)
    .where(
      sql<string>`data->>'list_id'`,
      'in',
      known.map((l) => l.list_id),
    )
    .execute();
  const resynced = await resyncCalls(
    ctx.db,
    installationId,
    named.map((c) => c.call_id),
  );
  return resynced.length > 0;
}
