import type { ParsedDialerEvent } from '../dialer/index.ts';
import type { AppContext } from '../platform/context.ts';
import { callSyncJob } from './sync-job-spec.ts';

type KnownEvent = Exclude<ParsedDialerEvent, { kind: 'unknown' }>;

/**
 * Stores the event once (a redelivery is a no-op) and, in the same transaction, makes sure the
 * portal's sync job is queued. Returns false for an event id seen before.
 */
export async function acceptEvent(
  ctx: AppContext,
  installationId: string,
  event: KnownEvent,
): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('webhook_inbox')
      .values({
        installation_id: installationId,
        event_id: event.event.id,
        event_type: event.type,
        call_id: event.kind === 'call' ? event.call.id : null,
        payload: JSON.stringify(event.event),
      })
      .onConflict((oc) => oc.columns(['installation_id', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
    await ctx.queue.send(callSyncJob, { installationId }, { trx, singletonKey: installationId });
    return true;
  });
}
