import type { ActivityEntry } from '../activity/record.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { Db } from '../platform/db/database.ts';
import {
  createCalls,
  updateCalls,
  type BatchOutcome,
  type OutgoingCall,
  type Refusal,
} from './hubspot-calls.ts';
import {
  markFailed,
  markSending,
  markWritten,
  releaseLostCreates,
  type PortalClaim,
} from './state-machine.ts';

/** What one round of the portal's pipeline writes with. */
export interface Pipeline {
  db: Db;
  claim: PortalClaim;
  client: PortalClient;
  signal?: AbortSignal;
  activity: ActivityEntry[];
  now: () => number;
}

/** Optional properties a call can land without; dropped one at a time when HubSpot refuses them. */
const OPTIONAL_PROPERTIES = { hubspot_owner_id: 'owner', hs_call_disposition: 'outcome' } as const;
const MAX_ROUNDS = 4;

/**
 * Writes a batch of calls: new ones in one multi-status batch create, known ones in one batch
 * update of the changed fields only. A refused input is sent again without the offending optional
 * property (owner, outcome, association) and noted; what HubSpot refuses in the call itself fails
 * that call alone. Whole-request failures about the portal (outage, rate limit, scope) are thrown.
 */
export async function writeCalls(p: Pipeline, calls: OutgoingCall[]): Promise<void> {
  const creates = calls.filter((c) => !c.hubspotCallId);
  const updates = calls.filter((c) => c.hubspotCallId);
  if (creates.length) await writeCreates(p, creates);
  if (updates.length) await writeUpdates(p, updates);
}

async function writeCreates(p: Pipeline, creates: OutgoingCall[]) {
  await markSending(
    p.db,
    p.claim,
    creates.map((c) => c.callId),
  );
  let batch = creates;
  for (let round = 0; batch.length > 0; round++) {
    const outcome = await sendOrSplit(p, batch, 'create', (b) => createCalls(p.client, b, p.signal));
    await recordWritten(p, batch, outcome.written, 'created');
    batch = await handleRefusals(p, batch, outcome.refused, round);
  }
}

async function writeUpdates(p: Pipeline, updates: OutgoingCall[]) {
  const unchanged = updates.filter((c) => Object.keys(changedProperties(c)).length === 0);
  await recordWritten(p, unchanged, new Map(unchanged.map((c) => [c.callId, c.hubspotCallId!])), null);
  let batch = updates.filter((c) => !unchanged.includes(c));
  for (let round = 0; batch.length > 0; round++) {
    const outcome = await sendOrSplit(p, batch, 'update', (b) =>
      updateCalls(
        p.client,
        b.map((call) => ({ call, changes: changedProperties(call) })),
        p.signal,
      ),
    );
    await recordWritten(p, batch, outcome.written, 'updated');
    batch = await handleRefusals(p, batch, outcome.refused, round);
  }
}

/** Only what differs from what HubSpot holds from us: a user's later edit of other fields stays. */
export function changedProperties(call: OutgoingCall): Record<string, string> {
  return Object.fromEntries(
    Object.entries(call.properties).filter(([name, value]) => call.sent?.[name] !== value),
  );
}

/**
 * Sends a batch. A whole-request refusal that is about the request's content (400, 404, 409) is
 * narrowed down by halves, so one bad input costs a few requests, not one per call; anything about
 * the portal or the outside world is thrown (creates that surely did not land go back to pending).
 */
async function sendOrSplit(
  p: Pipeline,
  batch: OutgoingCall[],
  kind: 'create' | 'update',
  send: (batch: OutgoingCall[]) => Promise<BatchOutcome>,
): Promise<BatchOutcome> {
  try {
    return await send(batch);
  } catch (error) {
    if (!(error instanceof HubSpotError)) throw error;
    const aboutPortal = error.retryable || error.code === 'forbidden' || error.code === 'unauthorized';
    if (aboutPortal) {
      if (kind === 'create' && surelyNotWritten(error))
        await releaseLostCreates(
          p.db,
          p.claim,
          batch.map((c) => c.callId),
        );
      throw error;
    }
    if (batch.length === 1) {
      const refusal: Refusal = {
        message: error.message,
        properties: [],
        association: /associat/i.test(error.message),
        missing: kind === 'update' && error.code === 'not_found',
      };
      return { written: new Map(), refused: new Map([[batch[0]!.callId, refusal]]) };
    }
    const half = Math.ceil(batch.length / 2);
    const first = await sendOrSplit(p, batch.slice(0, half), kind, send);
    const second = await sendOrSplit(p, batch.slice(half), kind, send);
    return {
      written: new Map([...first.written, ...second.written]),
      refused: new Map([...first.refused, ...second.refused]),
    };
  }
}

/** A 429 or a 4xx answer means HubSpot did nothing; a 5xx, timeout or broken connection may hide a create. */
function surelyNotWritten(error: HubSpotError): boolean {
  return error.status !== undefined && error.status < 500;
}

async function handleRefusals(
  p: Pipeline,
  batch: OutgoingCall[],
  refused: Map<string, Refusal>,
  round: number,
): Promise<OutgoingCall[]> {
  const again: OutgoingCall[] = [];
  for (const call of batch) {
    const refusal = refused.get(call.callId);
    if (!refusal) continue;
    const dropped = round < MAX_ROUNDS ? dropOptional(call, refusal) : null;
    if (dropped) {
      p.activity.push({
        callId: call.callId,
        contactId: call.contactId,
        level: 'warning',
        step: 'hubspot_property_dropped',
        message: `HubSpot refused the call's ${dropped} (${refusal.message}): it is written without it. Check the mapping in the Dialer Sync settings.`,
      });
      again.push(call);
      continue;
    }
    const reason = refusal.missing
      ? `the HubSpot call ${call.hubspotCallId} no longer exists (deleted in HubSpot)`
      : refusal.message;
    await markFailed(p.db, p.claim, call.callId, reason);
    p.activity.push({
      callId: call.callId,
      level: 'error',
      step: 'hubspot_failed',
      message: `HubSpot refused this call: ${reason}. It is tried again later by itself, or now with "Retry" in the activity log.`,
    });
  }
  return again;
}

function dropOptional(call: OutgoingCall, refusal: Refusal): string | null {
  if (refusal.missing) return null;
  for (const [name, label] of Object.entries(OPTIONAL_PROPERTIES)) {
    if (refusal.properties.includes(name) && call.properties[name] !== undefined) {
      delete call.properties[name];
      return `${label} (${name})`;
    }
  }
  if (refusal.association && call.associate && call.contactId) {
    call.associate = false;
    return `association to contact ${call.contactId}`;
  }
  return null;
}

async function recordWritten(
  p: Pipeline,
  batch: OutgoingCall[],
  written: Map<string, string>,
  verb: 'created' | 'updated' | null,
) {
  const done = batch.filter((c) => written.has(c.callId));
  await markWritten(
    p.db,
    p.claim,
    done.map((call) => ({
      callId: call.callId,
      version: call.version,
      hubspotCallId: written.get(call.callId)!,
      contactId: call.associate || call.hubspotCallId ? call.contactId : null,
      phoneE164: call.phoneE164,
      properties: { ...(call.sent ?? {}), ...call.properties },
    })),
  );
  if (!verb) return;
  for (const call of done) {
    const id = written.get(call.callId)!;
    p.activity.push({
      callId: call.callId,
      contactId: call.contactId,
      level: 'info',
      step: verb === 'created' ? 'hubspot_created' : 'hubspot_updated',
      message:
        verb === 'created'
          ? `Created HubSpot call ${id}: ${call.properties.hs_call_title}.`
          : `Updated HubSpot call ${id} (${Object.keys(changedProperties(call)).join(', ') || 'no change'}).`,
      details: { hubspotCallId: id },
    });
  }
}
