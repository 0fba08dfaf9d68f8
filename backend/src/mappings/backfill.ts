import { sql } from 'kysely';
import { z } from 'zod';
import type { ActivityEntry } from '../activity/record.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { isDebugMode } from '../settings/repository.ts';
import { ownerDisplayName } from './agents.ts';

export const BACKFILL_WINDOW_DAYS = 7;
const BATCH = 100;

interface OwnerlessCall {
  callId: string;
  hubspotCallId: string;
  ownerId: string;
  ownerName: string;
  agentName: string;
}

/**
 * Calls from the last 7 days that were written to HubSpot without an owner get the owner their
 * agent is mapped to now: one HubSpot batch update per 100 calls, then `calls` and the activity
 * log. Driven by state, not by events, so running it again changes nothing. Returns the count.
 */
export async function backfillOwners(
  ctx: AppContext,
  installation: Installation,
  activity: ActivityEntry[],
): Promise<number> {
  const since = new Date(ctx.now() - BACKFILL_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const calls = await findOwnerlessCalls(ctx.db, installation.id, since);
  if (calls.length === 0) return 0;
  if (await isDebugMode(ctx.db, installation.id)) {
    activity.push({
      level: 'info',
      step: 'debug_skipped',
      message: `Debug mode: would have added their owner to ${calls.length} recent call(s) logged without one. Nothing was written.`,
      details: { callIds: calls.map((c) => c.callId) },
    });
    return 0;
  }
  const client = ctx.hubspot.forInstallation(installation);
  let updated = 0;
  for (let i = 0; i < calls.length; i += BATCH) {
    updated += await backfillBatch(ctx.db, installation.id, client, calls.slice(i, i + BATCH), activity);
  }
  if (updated > 0) {
    const agents = [...new Set(calls.map((c) => c.agentName))].join(', ');
    activity.push({
      level: 'info',
      step: 'owner_backfill',
      message: `Added the owner to ${updated} call(s) of the last ${BACKFILL_WINDOW_DAYS} days that were logged without one (now mapped: ${agents}).`,
    });
  }
  return updated;
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

const batchAnswer = z.object({ results: z.array(z.object({ id: z.string() })) });

async function backfillBatch(
  db: Db,
  installationId: string,
  client: PortalClient,
  calls: OwnerlessCall[],
  activity: ActivityEntry[],
): Promise<number> {
  let answer: z.infer<typeof batchAnswer>;
  try {
    answer = batchAnswer.parse(
      await client.send('batchUpdateCalls', {
        body: {
          inputs: calls.map((c) => ({ id: c.hubspotCallId, properties: { hubspot_owner_id: c.ownerId } })),
        },
      }),
    );
  } catch (error) {
    // Retrying cannot help a refused batch: say so on each call; the next refresh tries again.
    if (!(error instanceof HubSpotError) || error.retryable) throw error;
    for (const call of calls)
      activity.push({
        callId: call.callId,
        level: 'warning',
        step: 'owner_backfill_failed',
        message: `HubSpot refused to add the owner ${call.ownerName} to this call: ${error.message}.`,
      });
    return 0;
  }
  const updated = new Set(answer.results.map((r) => r.id));
  for (const call of calls) {
    // A call deleted in HubSpot keeps the owner on our side only, so it is not tried again.
    await db
      .updateTable('calls')
      .set({
        owner_id: call.ownerId,
        properties: sql<string>`coalesce(properties, '{}'::jsonb) || jsonb_build_object('hubspot_owner_id', ${call.ownerId}::text)`,
        updated_at: new Date(),
      })
      .where('installation_id', '=', installationId)
      .where('call_id', '=', call.callId)
      .where('owner_id', 'is', null)
      .execute();
    activity.push(
      updated.has(call.hubspotCallId)
        ? {
            callId: call.callId,
            level: 'info',
            step: 'owner_backfilled',
            message: `Owner ${call.ownerName} added to HubSpot call ${call.hubspotCallId}: the agent ${call.agentName} is mapped now.`,
            details: { hubspotCallId: call.hubspotCallId, ownerId: call.ownerId },
          }
        : {
            callId: call.callId,
            level: 'warning',
            step: 'owner_backfill_failed',
            message: `HubSpot no longer has the call ${call.hubspotCallId}: its owner ${call.ownerName} was not added.`,
          },
    );
  }
  return calls.filter((c) => updated.has(c.hubspotCallId)).length;
}
