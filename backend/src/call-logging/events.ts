import { sql } from 'kysely';
import type { ActivityEntry } from '../activity/record.ts';
import { dialerAgentSchema, dialerCallSchema, type DialerCall } from '../dialer/index.ts';
import { upsertAgents } from '../dialer-connection/mirror.ts';
import { autoMap } from '../mappings/auto-map.ts';
import type { Db } from '../platform/db/database.ts';
import { MEDIA_EVENT_TYPES, recordMediaEvents, type MediaEvent } from '../recordings/media-events.ts';
import { changed, isFinal, mergeCall } from './merge.ts';
import { assertClaim, initialState, stateAfterNewData, type PortalClaim } from './state-machine.ts';

const BATCH = 500;

/**
 * Folds the portal's unprocessed inbox events into `calls` (one row per Dialer.io call) and
 * marks them processed, in one transaction. A call that is over becomes `pending` (to write);
 * `agent.updated` refreshes the agent and its mapping. Returns how many events it took. Fenced:
 * a worker that lost the portal's claim folds nothing.
 */
export async function foldInboxEvents(
  db: Db,
  claim: PortalClaim,
  activity: ActivityEntry[],
  /** Contact sync's hook: `contact.updated` events, handed over inside this transaction. */
  onContactUpdates?: (trx: Db, events: { eventId: string; data: unknown }[]) => Promise<void>,
): Promise<number> {
  const installationId = claim.installationId;
  return db.transaction().execute(async (trx) => {
    await assertClaim(trx, claim);
    const events = await trx
      .selectFrom('webhook_inbox')
      .select(['id', 'event_id', 'event_type', 'call_id', 'payload'])
      .where('installation_id', '=', installationId)
      .where('processed_at', 'is', null)
      .orderBy('id')
      .limit(BATCH)
      .forUpdate()
      .skipLocked()
      .execute();
    if (events.length === 0) return 0;

    const byCall = new Map<string, DialerCall[]>();
    const contactUpdates: { eventId: string; data: unknown }[] = [];
    const mediaEvents: MediaEvent[] = [];
    for (const event of events) {
      const data = (event.payload as { data: Record<string, unknown> }).data;
      if (event.call_id) {
        const call = dialerCallSchema.parse(data.call);
        byCall.set(call.id, [...(byCall.get(call.id) ?? []), call]);
        if (MEDIA_EVENT_TYPES.has(event.event_type))
          mediaEvents.push({ callId: call.id, type: event.event_type });
        activity.push({
          callId: call.id,
          level: 'info',
          step: 'received',
          message: `Received ${event.event_type} from Dialer.io.`,
        });
      } else if (event.event_type === 'agent.updated') {
        await upsertAgents(trx, installationId, [dialerAgentSchema.parse(data.agent)]);
        await autoMap(trx, installationId);
      } else if (event.event_type === 'contact.updated') {
        contactUpdates.push({ eventId: event.event_id, data });
      }
    }
    if (contactUpdates.length > 0) await onContactUpdates?.(trx, contactUpdates);
    await mergeIntoCalls(trx, installationId, byCall);
    await recordMediaEvents(trx, installationId, mediaEvents);
    await trx
      .updateTable('webhook_inbox')
      .set({ processed_at: new Date() })
      .where('installation_id', '=', installationId)
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    return events.length;
  });
}

async function mergeIntoCalls(
  trx: Db,
  installationId: string,
  byCall: Map<string, DialerCall[]>,
): Promise<void> {
  if (byCall.size === 0) return;
  const existing = await trx
    .selectFrom('calls')
    .select(['call_id', 'data', 'sync_state'])
    .where('installation_id', '=', installationId)
    .where('call_id', 'in', [...byCall.keys()])
    .forUpdate()
    .execute();
  const known = new Map(existing.map((row) => [row.call_id, row]));
  const inserts: { callId: string; after: DialerCall; final: boolean }[] = [];
  const updates: { callId: string; after: DialerCall; final: boolean }[] = [];
  for (const [callId, events] of byCall) {
    const row = known.get(callId);
    const before = (row?.data as DialerCall | undefined) ?? null;
    const after = events.reduce<DialerCall | null>((merged, call) => mergeCall(merged, call), before)!;
    if (row && !changed(before, after)) continue;
    (row ? updates : inserts).push({ callId, after, final: isFinal(after) });
  }
  // One statement for the new calls and one for the changed ones, whatever the batch size.
  if (inserts.length > 0)
    await trx
      .insertInto('calls')
      .values(
        inserts.map(({ callId, after, final }) => ({
          installation_id: installationId,
          call_id: callId,
          data: JSON.stringify(after),
          final,
          sync_state: initialState(final),
          started_at: after.started_at,
        })),
      )
      .execute();
  if (updates.length === 0) return;
  const rows = updates.map(
    ({ callId, after, final }) => sql`(${callId}, ${JSON.stringify(after)}::jsonb, ${final}::boolean)`,
  );
  await sql`
    update calls set
      data = v.data,
      final = v.final,
      version = calls.version + 1,
      -- Debug-mode calls are never written later; a failed call gets another chance with new data.
      sync_state = ${stateAfterNewData(sql<boolean>`v.final`)},
      updated_at = now()
    from (values ${sql.join(rows)}) as v(call_id, data, final)
    where calls.installation_id = ${installationId} and calls.call_id = v.call_id
  `.execute(trx);
}
