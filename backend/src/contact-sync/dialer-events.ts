import { z } from 'zod';
import { dialerContactSchema } from '../dialer/index.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { dialerChangesJob } from './job-specs.ts';
import type { DialerChange } from './to-hubspot.ts';

/**
 * The hook the Dialer.io inbox fold calls for `contact.updated` events (inside its transaction):
 * they are kept in our own inbox and our per-portal job is queued in the same transaction.
 */
export async function handOverContactUpdates(
  ctx: AppContext,
  trx: Db,
  installationId: string,
  events: { eventId: string; data: unknown }[],
): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('contact_sync_inbox')
    .values(
      events.map((e) => ({
        installation_id: installationId,
        event_id: e.eventId,
        payload: JSON.stringify(e.data),
      })),
    )
    .onConflict((oc) => oc.columns(['installation_id', 'event_id']).doNothing())
    .execute();
  await ctx.queue.send(dialerChangesJob, { installationId }, { trx, singletonKey: installationId });
}

const dataSchema = z.object({ contact: dialerContactSchema, changed: z.array(z.string()) });

/** Up to `limit` events not yet written, oldest first, read tolerantly (a bad one is skipped). */
export async function takeContactUpdates(db: Db, installationId: string, limit: number) {
  const rows = await db
    .selectFrom('contact_sync_inbox')
    .select(['id', 'payload'])
    .where('installation_id', '=', installationId)
    .where('processed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  const changes: DialerChange[] = rows.flatMap((row) => {
    const parsed = dataSchema.safeParse(row.payload);
    return parsed.success ? [parsed.data] : [];
  });
  return { ids: rows.map((r) => r.id), changes };
}

export async function markContactUpdatesDone(db: Db, installationId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('contact_sync_inbox')
    .set({ processed_at: new Date() })
    .where('installation_id', '=', installationId)
    .where('id', 'in', ids)
    .execute();
}
