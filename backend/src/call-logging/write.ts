import type { ActivityEntry } from '../activity/record.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Db } from '../platform/db/database.ts';
import {
  createCalls,
  isPermanent,
  markFailed,
  markSending,
  markWritten,
  recoverSentCalls,
  RetryLaterError,
  updateCalls,
  type OutgoingCall,
} from './hubspot-calls.ts';

export interface WriteOptions {
  /** Calls in state `sending` and when they were sent. */
  sentAt: Map<string, Date>;
  searchIndexDelayMs: number;
}

/**
 * Writes a batch of calls to HubSpot: recovers calls sent before whose answer was lost, creates
 * the new ones in one batch request (falling back to one by one when HubSpot refuses the batch),
 * and updates the known ones in one batch request.
 */
export async function writeCalls(
  db: Db,
  installationId: string,
  client: PortalClient,
  calls: OutgoingCall[],
  options: WriteOptions,
  activity: ActivityEntry[],
) {
  await recoverLostCreates(client, calls, options, activity);
  const creates = calls.filter((c) => !c.hubspotCallId);
  const updates = calls.filter((c) => c.hubspotCallId);
  if (creates.length) await createBatch(db, installationId, client, creates, activity);
  if (updates.length) await updateBatch(db, installationId, client, updates, activity);
}

async function recoverLostCreates(
  client: PortalClient,
  calls: OutgoingCall[],
  options: WriteOptions,
  activity: ActivityEntry[],
) {
  const lost = calls.filter((c) => !c.hubspotCallId && options.sentAt.has(c.callId));
  if (lost.length === 0) return;
  const youngest = Math.max(...lost.map((c) => options.sentAt.get(c.callId)!.getTime()));
  const wait = youngest + options.searchIndexDelayMs - Date.now();
  if (wait > 0)
    throw new RetryLaterError(
      `waiting ${Math.ceil(wait / 1000)} s for HubSpot search to index calls sent before`,
      wait,
    );
  const found = await recoverSentCalls(
    client,
    lost.map((c) => c.callId),
  );
  for (const call of lost) {
    const id = found.get(call.callId);
    if (!id) continue;
    call.hubspotCallId = id;
    activity.push({
      callId: call.callId,
      level: 'info',
      step: 'hubspot_recovered',
      message: `HubSpot already had this call (${id}) from an earlier attempt: updating it instead of creating another.`,
    });
  }
}

async function createBatch(
  db: Db,
  installationId: string,
  client: PortalClient,
  creates: OutgoingCall[],
  activity: ActivityEntry[],
) {
  await markSending(
    db,
    installationId,
    creates.map((c) => c.callId),
  );
  let created: Map<string, string>;
  try {
    created = await createCalls(client, creates);
  } catch (error) {
    if (!isPermanent(error)) throw error; // ambiguous: stays `sending`, recovered on retry
    if (creates.length === 1)
      return markFailed(db, installationId, creates[0]!.callId, error.message, activity);
    // HubSpot refuses a whole batch for one bad input: find it by sending them one by one.
    for (const call of creates) await createBatch(db, installationId, client, [call], activity);
    return;
  }
  await markWritten(
    db,
    installationId,
    creates.flatMap((call) => {
      const id = created.get(call.callId);
      return id ? [{ call, hubspotCallId: id }] : [];
    }),
  );
  for (const call of creates) {
    const id = created.get(call.callId);
    if (!id) continue;
    activity.push({
      callId: call.callId,
      contactId: call.contactId,
      level: 'info',
      step: 'hubspot_created',
      message: `Created HubSpot call ${id}: ${call.properties.hs_call_title}.`,
      details: { hubspotCallId: id },
    });
  }
}

async function updateBatch(
  db: Db,
  installationId: string,
  client: PortalClient,
  updates: OutgoingCall[],
  activity: ActivityEntry[],
) {
  let missing: Set<string>;
  try {
    missing = await updateCalls(client, updates);
  } catch (error) {
    if (!isPermanent(error)) throw error;
    if (updates.length === 1)
      return markFailed(db, installationId, updates[0]!.callId, error.message, activity);
    for (const call of updates) await updateBatch(db, installationId, client, [call], activity);
    return;
  }
  await markWritten(
    db,
    installationId,
    updates
      .filter((call) => !missing.has(call.hubspotCallId!))
      .map((call) => ({ call, hubspotCallId: call.hubspotCallId! })),
  );
  for (const call of updates) {
    if (missing.has(call.hubspotCallId!)) {
      await markFailed(
        db,
        installationId,
        call.callId,
        `the HubSpot call ${call.hubspotCallId} no longer exists`,
        activity,
      );
      continue;
    }
    activity.push({
      callId: call.callId,
      contactId: call.contactId,
      level: 'info',
      step: 'hubspot_updated',
      message: `Updated HubSpot call ${call.hubspotCallId}.`,
    });
  }
}
