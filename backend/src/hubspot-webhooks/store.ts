import type { AppContext } from '../platform/context.ts';
import { jsonbSafe } from '../platform/jsonb-safe.ts';
import type { HubSpotWebhookEvent } from './events.ts';
import { hubSpotEventsJob } from './process-job-spec.ts';

export interface StoreResult {
  accepted: number;
  duplicate: number;
  /** Events of portals with no active installation: answered 200, never stored. */
  ignored: number;
}

/**
 * Stores each event once (a redelivery is a no-op) and, in the same transaction, queues the
 * processing job of every portal that got a new event. Events of a portal that is not installed
 * (or was uninstalled) are dropped and counted.
 */
export async function storeHubSpotEvents(
  ctx: AppContext,
  events: HubSpotWebhookEvent[],
): Promise<StoreResult> {
  const portals = [...new Set(events.map((e) => e.portalId))];
  const installations = await ctx.db
    .selectFrom('installations')
    .select(['id', 'portal_id'])
    .where('portal_id', 'in', portals)
    .where('status', '=', 'active')
    .execute();
  const installationOf = new Map(installations.map((i) => [Number(i.portal_id), i.id]));
  const known = events.filter((e) => installationOf.has(e.portalId));
  const ignored = events.length - known.length;
  if (ignored > 0) ctx.metrics.hubspotWebhookEvents.inc({ result: 'ignored_not_installed' }, ignored);
  if (known.length === 0) return { accepted: 0, duplicate: 0, ignored };

  // NUL characters and unpaired surrogates (refused by PostgreSQL text and jsonb) become U+FFFD.
  const unique = new Map(known.map((event) => [`${event.portalId}:${event.eventId}`, jsonbSafe(event)]));
  const rows = [...unique.values()]
    .map((event) => ({
      installation_id: installationOf.get(event.portalId)!,
      event_id: event.eventId,
      subscription_type: event.subscriptionType,
      object_type_id: event.objectTypeId ?? null,
      object_id: event.objectId ?? null,
      occurred_at: new Date(event.occurredAt),
      payload: JSON.stringify(event),
    }))
    // One order for every writer, so concurrent deliveries cannot deadlock on the unique index.
    .sort(
      (a, b) => a.installation_id.localeCompare(b.installation_id) || a.event_id.localeCompare(b.event_id),
    );
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('hubspot_webhook_inbox')
      .values(rows)
      .onConflict((oc) => oc.columns(['installation_id', 'event_id']).doNothing())
      .returning('installation_id')
      .execute();
    const fresh = [...new Set(inserted.map((r) => r.installation_id))].sort();
    await ctx.queue.sendMany(
      hubSpotEventsJob,
      fresh.map((installationId) => ({ data: { installationId }, singletonKey: installationId })),
      { trx },
    );
    return inserted.length;
  });
  ctx.metrics.hubspotWebhookEvents.inc({ result: 'accepted' }, stored);
  if (known.length > stored)
    ctx.metrics.hubspotWebhookEvents.inc({ result: 'duplicate' }, known.length - stored);
  return { accepted: stored, duplicate: known.length - stored, ignored };
}
