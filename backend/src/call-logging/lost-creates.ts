import type { CallRow } from './call-logging.table.ts';
import { findCallsByExternalId, type OutgoingCall } from './hubspot-calls.ts';
import { noteLostSearch, releaseLostCreates } from './state-machine.ts';
import type { Pipeline } from './write.ts';

/**
 * Lost-create recovery (decision 0008). A call left `sending` without a HubSpot id may have been
 * created (the answer was lost, or the worker died or was fenced off). It is searched for by
 * `hs_call_external_id` after the search index delay d, then again at 3d, 7d, 15d, ... and once
 * more when the window ends; only a call still not found after the whole window is created again.
 * The window is far longer than a request can be in flight (`sending_at` is set before the request
 * goes out, and a request times out after 15 s), so no re-create overlaps an earlier create.
 */
export interface LostCreatePolicy {
  searchIndexDelayMs: number;
  windowMs: number;
}

/** When the next search for a lost create is due (ms since epoch). */
export function nextSearchAt(
  row: Pick<CallRow, 'sending_at' | 'lost_searches'>,
  policy: LostCreatePolicy,
): number {
  const sentAt = new Date(row.sending_at ?? 0).getTime();
  const backoff = policy.searchIndexDelayMs * (2 ** (row.lost_searches + 1) - 1);
  return sentAt + Math.min(backoff, policy.windowMs);
}

/**
 * Searches for the due lost creates: found ones get their HubSpot id (they are updated, never
 * created again); ones not found inside the window wait for the next search (left out of this
 * round); ones not found after the window go back to pending and are created again.
 */
export async function recoverLostCreates(
  p: Pipeline,
  lost: { call: OutgoingCall; row: CallRow }[],
  policy: LostCreatePolicy,
): Promise<OutgoingCall[]> {
  if (lost.length === 0) return [];
  const found = await findCallsByExternalId(
    p.client,
    lost.map((l) => l.call.callId),
    p.signal,
  );
  const ready: OutgoingCall[] = [];
  const stillLooking: string[] = [];
  const giveUp: string[] = [];
  for (const { call, row } of lost) {
    const id = found.get(call.callId);
    if (id) {
      call.hubspotCallId = id;
      ready.push(call);
      p.activity.push({
        callId: call.callId,
        level: 'info',
        step: 'hubspot_recovered',
        message: `HubSpot already had this call (${id}) from an earlier attempt: updating it instead of creating another.`,
      });
    } else if (p.now() - new Date(row.sending_at ?? 0).getTime() >= policy.windowMs) {
      giveUp.push(call.callId);
      ready.push(call);
      p.activity.push({
        callId: call.callId,
        level: 'warning',
        step: 'hubspot_create_again',
        message: `HubSpot did not create this call on an earlier attempt (not found after ${row.lost_searches + 1} searches over ${Math.round(policy.windowMs / 1000)} s): creating it now.`,
      });
    } else stillLooking.push(call.callId);
  }
  await noteLostSearch(p.db, p.claim, stillLooking);
  await releaseLostCreates(p.db, p.claim, giveUp);
  return ready;
}
