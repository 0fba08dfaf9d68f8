import { sql } from 'kysely';
import type { ActivityEntry } from '../activity/record.ts';
import { AUTO_RETRY_ATTEMPTS, resyncCalls, retryFailed } from '../call-logging/state-machine.ts';
import { callSyncJob } from '../call-logging/sync-job-spec.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { isDebugMode } from '../settings/repository.ts';
import { ownerDisplayName } from './agents.ts';
import { findOutcomelessCalls, type OutcomelessCall } from './outcome-backfill.ts';

export const BACKFILL_WINDOW_DAYS = 7;

interface OwnerlessCall {
  callId: string;
  hubspotCallId: string;
  ownerId: string;
  ownerName: string;
  agentName: string;
}

/**
 * Calls from the last 7 days that were written to HubSpot without an owner get the owner their
 * agent is mapped to now; those written without an outcome because their disposition had none get
 * the outcome it is mapped to now. They go back to the call pipeline (the same writer as every
 * call: one batch update per 100 calls, only the changed fields sent, fenced with the sync job)
 * through the call's state machine. Driven by state, not by events: running it again changes
 * nothing. Returns how many calls were handed to the writer.
 */
export async function backfillOwners(
  ctx: AppContext,
  installation: Installation,
  activity: ActivityEntry[],
): Promise<number> {
  const since = new Date(ctx.now() - BACKFILL_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const calls = await findOwnerlessCalls(ctx.db, installation.id, since);
  const outcomeless = await findOutcomelessCalls(ctx.db, installation.id, since);
  const callIds = [...new Set([...calls, ...outcomeless].map((c) => c.callId))];
  if (callIds.length > 0 && (await isDebugMode(ctx.db, installation.id))) {
    activity.push({
      level: 'info',
      step: 'debug_skipped',
      message: `Debug mode: would have added their owner or outcome to ${callIds.length} recent call(s) logged without one. Nothing was written.`,
      details: { callIds },
    });
    return 0;
  }
  const queued = await ctx.db.transaction().execute(async (trx) => {
    const ids = await resyncCalls(trx, installation.id, callIds);
    // A mapping changed: failed calls may land now (e.g. their owner was refused before).
    const redriven = await retryFailed(trx, installation.id, { maxAttempts: AUTO_RETRY_ATTEMPTS });
    if (ids.length || redriven.length)
      await ctx.queue.send(
        callSyncJob,
        { installationId: installation.id },
        { trx, singletonKey: installation.id },
      );
    return new Set(ids);
  });
  noteOwners(
    activity,
    calls.filter((c) => queued.has(c.callId)),
  );
  noteOutcomes(
    activity,
    outcomeless.filter((c) => queued.has(c.callId)),
  );
  return queued.size;
}

function noteOwners(activity: ActivityEntry[], calls: OwnerlessCall[]) {
  for (const call of calls)
    activity.push({
      callId: call.callId,
      level: 'info',
      step: 'owner_backfilled',
      message: `Owner ${call.ownerName} is added to HubSpot call ${call.hubspotCallId}: the agent ${call.agentName} is mapped now.`,
      details: { hubspotCallId: call.hubspotCallId, ownerId: call.ownerId },
    });
  if (calls.length > 0) {
    const agents = [...new Set(calls.map((c) => c.agentName))].join(', ');
    activity.push({
      level: 'info',
      step: 'owner_backfill',
      message: `Adding the owner to ${calls.length} call(s) of the last ${BACKFILL_WINDOW_DAYS} days that were logged without one (now mapped: ${agents}).`,
    });
  }
}

function noteOutcomes(activity: ActivityEntry[], calls: OutcomelessCall[]) {
  for (const call of calls)
    activity.push({
      callId: call.callId,
      level: 'info',
      step: 'outcome_backfilled',
      message: `Outcome "${call.outcomeLabel}" is added to HubSpot call ${call.hubspotCallId}: the disposition "${call.dispositionName}" is mapped now.`,
      details: { hubspotCallId: call.hubspotCallId, outcomeId: call.outcomeId },
    });
}

async function findOwnerlessCalls(db: Db, installationId: string, since: Date): Promise<OwnerlessCall[]> {
  const rows = await db
    .selectFrom('calls as c')
    .innerJoin('dialer_agents as a', (join) =>
      join
        .onRef('a.installation_id', '=', 'c.installation_id')
        .on('a.agent_id', '=', sql<string>`c.data->'agent'->>'id'`),
    )
    .innerJoin('hubspot_owners as o', (join) =>
      join
        .onRef('o.installation_id', '=', 'a.installation_id')
        .onRef('o.owner_id', '=', 'a.owner_id')
        .on('o.archived', '=', false),
    )
    .select([
      'c.call_id',
      'c.hubspot_call_id',
      'o.owner_id',
      'o.first_name',
      'o.last_name',
      'o.email',
      'a.name',
    ])
    .where('c.installation_id', '=', installationId)
    .where('c.sync_state', '=', 'synced')
    .where('c.hubspot_call_id', 'is not', null)
    .where('c.owner_id', 'is', null)
    .where(sql<Date>`coalesce(c.started_at, c.created_at)`, '>=', since)
    .orderBy('c.call_id')
    .execute();
  return rows.map((row) => ({
    callId: row.call_id,
    hubspotCallId: row.hubspot_call_id!,
    ownerId: row.owner_id,
    ownerName: ownerDisplayName(row),
    agentName: row.name,
  }));
}
