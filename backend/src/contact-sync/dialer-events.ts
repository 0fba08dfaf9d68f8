import { z } from 'zod';
import { dialerContactSchema } from '../dialer/index.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { dialerChangesJob } from './job-specs.ts';
import type { HubSpotChange } from './to-dialer.ts';
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

/**
 * HubSpot's property changes for contact sync go through the same inbox and job: one job per
 * portal at a time judges the changes of both sides (no two runs race on one field).
 */
export async function handOverHubSpotChanges(
  ctx: AppContext,
  installationId: string,
  changes: { eventId: string; change: HubSpotChange }[],
): Promise<void> {
  if (changes.length === 0) return;
  await ctx.db
    .insertInto('contact_sync_inbox')
    .values(
      changes.map((c) => ({
        installation_id: installationId,
        event_id: `hubspot:${c.eventId}`,
        payload: JSON.stringify({ hubspot: c.change }),
      })),
    )
    .onConflict((oc) => oc.columns(['installation_id', 'event_id']).doNothing())
    .execute();
  await ctx.queue.send(dialerChangesJob, { installationId }, { singletonKey: installationId });
}

const dataSchema = z.object({ contact: dialerContactSchema, changed: z.array(z.string()) });
const hubspotSchema = z.object({
  hubspot: z.object({
    contactId: z.string(),
    property: z.string(),
    value: z.string(),
    at: z.number(),
  }),
});

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
  const hubspot: HubSpotChange[] = rows.flatMap((row) => {
    const parsed = hubspotSchema.safeParse(row.payload);
    return parsed.success ? [parsed.data.hubspot] : [];
  });
  return { ids: rows.map((r) => r.id), changes, hubspot };
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
