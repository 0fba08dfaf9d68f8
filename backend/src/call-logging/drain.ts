import { sql } from 'kysely';
import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import { enqueueFollowUp } from '../call-follow-up/enqueue.ts';
import { replaceLists } from '../dialer-connection/mirror.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { CallRow } from './call-logging.table.ts';
import { batchingWaitMs, waitOrAbort } from './batching-wait.ts';
import { handOverContactUpdates } from '../contact-sync/dialer-events.ts';
import { foldInboxEvents } from './events.ts';
import { nextSearchAt, recoverLostCreates, type LostCreatePolicy } from './lost-creates.ts';
import { mappingsLoader, type MappingsLoader } from './mappings.ts';
import { loadDrainSettings, type DrainSettings } from './portal-state.ts';
import { prepareCalls } from './prepare.ts';
import { sendMediaNotices } from '../recordings/media-notices.ts';
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
 *
 * A drain runs for every burst of calls, so it keeps its database round trips few: the mappings
 * are read once per drain, and the inbox is folded only when the last look at the work saw events
 * waiting (the first round always folds: the job was queued for new events).
 */
export async function drainPortal(
  ctx: AppContext,
  installation: Installation,
  claim: PortalClaim,
  signal: AbortSignal,
  known?: DrainSettings,
): Promise<Drained> {
  const settings = known ?? (await loadDrainSettings(ctx.db, installation.id));
  const policy: LostCreatePolicy = {
    searchIndexDelayMs: ctx.config.hubspot.searchIndexDelayMs,
    windowMs: ctx.config.callSync.lostCreateWindowMs,
  };
  const client = ctx.hubspot.forInstallation(installation);
  const mappings = mappingsLoader(ctx.db, installation.id);
  const unknownLists = new Set<string>();
  const startedAt = Date.now();
  let written = 0;
  let inboxWaiting = true;
  let searchAt: number | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    if (signal.aborted) throw new ClaimLostError();
    const activity: ActivityEntry[] = [];
    const p: Pipeline = { db: ctx.db, claim, client, signal, activity, now: ctx.now };
    try {
      if (inboxWaiting)
        await foldInboxEvents(ctx.db, claim, activity, (trx, events) =>
          handOverContactUpdates(ctx, trx, installation.id, events),
        );
      const work = await selectWork(p, policy);
      ({ inboxWaiting, searchAt } = work);
      if (work.rows.length === 0) {
        if (inboxWaiting) continue;
        // Recordings and transcripts of calls that exist in HubSpot now (never in debug mode).
        if (
          !settings.debug &&
          (await sendMediaNotices({
            ...p,
            ctx,
            installationId: installation.id,
            country: settings.country,
          })) > 0
        )
          continue;
        return { more: await refreshListsQuietly(ctx, installation.id, settings, unknownLists), searchAt };
      }
      const hold = batchingWaitMs({ pending: work.rows, written, startedAt, now: Date.now() });
      if (hold > 0) {
        await waitOrAbort(hold, signal);
        inboxWaiting = true; // calls keep coming: that is why it waited
        continue;
      }
      await writeRound(ctx, p, work.rows, { settings, policy, mappings, unknownLists });
      written += work.rows.length;
    } finally {
      await recordActivity(ctx.db, installation.id, activity);
    }
  }
  await refreshListsQuietly(ctx, installation.id, settings, unknownLists);
  return { more: true, searchAt };
}

/** Prepares and writes one batch: lost creates searched for first, then one create / update each. */
async function writeRound(
  ctx: AppContext,
  p: Pipeline,
  rows: CallRow[],
  round: {
    settings: DrainSettings;
    policy: LostCreatePolicy;
    mappings: MappingsLoader;
    unknownLists: Set<string>;
  },
): Promise<void> {
  const { settings, policy, mappings, unknownLists } = round;
  const prepared = await prepareCalls(p, rows, {
    country: settings.country,
    debug: settings.debug,
    mappings,
    appId: ctx.config.hubspot.appId,
  });
  prepared.unknownLists.forEach((id) => unknownLists.add(id));
  const rowById = new Map(rows.map((row) => [row.call_id, row]));
  const lost = prepared.outgoing.filter((c) => rowById.get(c.callId)!.sync_state === 'sending');
  const recovered = await recoverLostCreates(
    p,
    lost.map((call) => ({ call, row: rowById.get(call.callId)! })),
    policy,
  );
  await writeCalls(p, [...prepared.outgoing.filter((c) => !lost.includes(c)), ...recovered]);
  if (prepared.outgoing.length > 0) await enqueueFollowUp(ctx, p.claim.installationId); // rollups, tasks
}

interface Work {
  /** Pending calls, plus the lost creates whose next search is due. */
  rows: CallRow[];
  /** When the next lost-create search falls due (ms since epoch), if any call waits for one. */
  searchAt: number | null;
  /** The inbox holds events not folded yet. */
  inboxWaiting: boolean;
}

/** The round's work and whether events wait in the inbox, in one statement. */
async function selectWork(p: Pipeline, policy: LostCreatePolicy): Promise<Work> {
  const id = p.claim.installationId;
  const { rows } = await sql<CallRow & { inbox_waiting: boolean }>`
    select f.inbox_waiting, w.*
    from (select exists (select 1 from webhook_inbox
                         where installation_id = ${id} and processed_at is null) as inbox_waiting) f
    left join lateral (
      (select * from calls where installation_id = ${id} and sync_state = 'pending'
       order by updated_at limit ${BATCH})
      union all
      (select * from calls where installation_id = ${id} and sync_state = 'sending'
       order by sending_at limit ${BATCH})
    ) w on true
  `.execute(p.db);
  const calls = rows.filter((row) => row.call_id !== null).map(({ inbox_waiting: _, ...row }) => row);
  const pending = calls.filter((row) => row.sync_state === 'pending');
  const sending = calls.filter((row) => row.sync_state === 'sending');
  const now = p.now();
  const due = sending.filter((row) => nextSearchAt(row, policy) <= now);
  const later = sending.filter((row) => !due.includes(row)).map((row) => nextSearchAt(row, policy));
  return {
    rows: [...pending, ...due].slice(0, BATCH),
    searchAt: later.length > 0 ? Math.min(...later) : null,
    inboxWaiting: rows[0]?.inbox_waiting ?? false,
  };
}

/**
 * Names of lists made in Dialer.io since the last mirror: read after the calls were written, never
 * awaited by a call. Calls written without a name that is known now are written again (only their
 * body changes). True when some were; a failure is only logged (the next pass tries again).
 */
async function refreshListsQuietly(
  ctx: AppContext,
  installationId: string,
  settings: DrainSettings,
  unknownLists: Set<string>,
): Promise<boolean> {
  if (!settings.connected || unknownLists.size === 0) return false;
  const connection = await findConnection(ctx.db, installationId);
  if (!connection) return false;
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
