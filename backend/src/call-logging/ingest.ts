import type { ParsedDialerEvent } from '../dialer/index.ts';
import type { AppContext } from '../platform/context.ts';
import { isFinal } from './merge.ts';
import { callSyncJob } from './sync-job-spec.ts';

type KnownEvent = Exclude<ParsedDialerEvent, { kind: 'unknown' }>;

interface Waiting {
  installationId: string;
  event: KnownEvent;
  resolve(accepted: boolean): void;
  reject(error: unknown): void;
}

/** Inbox transactions in flight per process; events arriving meanwhile wait and go in the next one. */
const MAX_WRITERS = 4;
const MAX_BATCH = 200;
const writers = new WeakMap<AppContext, InboxWriter>();

/**
 * Stores the event once (a redelivery is a no-op) and, in the same transaction, makes sure the
 * portal's sync job is queued (unless only a live call's start or answer came: `needsRunNow`). Returns false for an event id seen before. Resolves only after
 * the commit, so an answered webhook is never lost.
 *
 * Group commit: while MAX_WRITERS transactions are in flight, newly arrived events queue up and
 * the next transaction takes all of them (one multi-row insert, one job per portal), so under
 * load the cost per event is a fraction of a transaction; an event alone is written at once.
 */
export function acceptEvent(ctx: AppContext, installationId: string, event: KnownEvent): Promise<boolean> {
  let writer = writers.get(ctx);
  if (!writer) writers.set(ctx, (writer = new InboxWriter(ctx)));
  return writer.accept(installationId, event);
}

class InboxWriter {
  private queue: Waiting[] = [];
  private running = 0;

  constructor(private readonly ctx: AppContext) {}

  accept(installationId: string, event: KnownEvent): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ installationId, event, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.running < MAX_WRITERS && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.running++;
      void this.flush(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async flush(batch: Waiting[]) {
    try {
      const accepted = await insertEvents(this.ctx, batch);
      batch.forEach((w, i) => w.resolve(accepted[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One event must not fail the others: write them one by one.
      for (const w of batch) await insertEvents(this.ctx, [w]).then(([a]) => w.resolve(a!), w.reject);
    }
  }
}

/**
 * Whether the event can change what HubSpot gets now. The start or answer of a call still live
 * cannot (the call is written when it ends): it queues no run of its own, which halves the runs
 * per call. It is folded with the call's end, or by the inbox sweep after
 * `CALL_LIVE_EVENTS_DELAY_MS` (a call whose end never comes).
 */
function needsRunNow(event: KnownEvent): boolean {
  return !(event.kind === 'call' && LIVE_EVENT_TYPES.has(event.type) && !isFinal(event.call));
}

const LIVE_EVENT_TYPES = new Set<string>(['call.started', 'call.answered']);

const keyOf = (installationId: string, eventId: string) => `${installationId}\u0000${eventId}`;

/**
 * One transaction, four round trips: the new events (sorted, so concurrent writers lock in one
 * order) in one insert, and one job per portal in one insert.
 */
async function insertEvents(ctx: AppContext, batch: Waiting[]): Promise<boolean[]> {
  const unique = new Map(batch.map((w) => [keyOf(w.installationId, w.event.event.id), w]));
  const rows = [...unique.keys()].sort().map((key) => {
    const { installationId, event } = unique.get(key)!;
    return {
      installation_id: installationId,
      event_id: event.event.id,
      event_type: event.type,
      call_id: event.kind === 'call' ? event.call.id : null,
      payload: JSON.stringify(event.event),
    };
  });
  const inserted = await ctx.db.transaction().execute(async (trx) => {
    const stored = await trx
      .insertInto('webhook_inbox')
      .values(rows)
      .onConflict((oc) => oc.columns(['installation_id', 'event_id']).doNothing())
      .returning(['installation_id', 'event_id'])
      .execute();
    const urgent = stored.filter((r) => needsRunNow(unique.get(keyOf(r.installation_id, r.event_id))!.event));
    const portals = [...new Set(urgent.map((r) => r.installation_id))].sort();
    await ctx.queue.sendMany(
      callSyncJob,
      portals.map((installationId) => ({ data: { installationId }, singletonKey: installationId })),
      { trx },
    );
    return new Set(stored.map((r) => keyOf(r.installation_id, r.event_id)));
  });
  // The same event twice in one batch: the first copy is accepted, the second is a duplicate.
  return batch.map((w) => inserted.delete(keyOf(w.installationId, w.event.event.id)));
}
