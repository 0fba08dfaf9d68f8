import { activeInstallationForJob } from '../installations/active-installation.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob } from '../platform/queue.ts';
import { dispatchHubSpotEvents, type DispatchFailure } from './dispatch.ts';
import { hubSpotWebhookEventSchema, type HubSpotEventHandler, type HubSpotWebhookEvent } from './events.ts';
import { hubSpotEventHandlers } from './handlers.ts';
import type { HubspotWebhookInboxRow } from './hubspot-webhooks.table.ts';
import { hubSpotEventsJob } from './process-job-spec.ts';

const BATCH = 500;
const ROUNDS = 20;
/** After the last retry the job comes back this much later: events are never given up on. */
const RESUME_AFTER_SECONDS = 60 * 60;

/**
 * The portal's HubSpot webhook events, oldest first, handed to their handlers; one job in
 * flight per portal. Retries with backoff for hours when a handler meets a cause that can
 * clear (HubSpot or Dialer.io down, rate limit), then resumes hourly: never given up.
 */
export function createHubSpotEventsJob(
  ctx: AppContext,
  handlers: readonly HubSpotEventHandler[] = hubSpotEventHandlers,
) {
  return defineJob({
    ...hubSpotEventsJob,
    queue: {
      policy: 'stately',
      retryLimit: 12,
      retryDelaySeconds: 5,
      retryDelayMaxSeconds: 1800,
      heartbeatSeconds: 30,
    },
    work: { localConcurrency: 4 },
    async handle({ installationId }, job) {
      if (!(await activeInstallationForJob(ctx, installationId, job))) return;
      for (let round = 0; round < ROUNDS; round++) {
        if (job.signal.aborted) return;
        const rows = await pendingEvents(ctx, installationId);
        if (rows.length === 0) return;
        const { events, unreadable } = readEvents(rows);
        const failures = await dispatchHubSpotEvents(ctx, installationId, events, handlers);
        await markProcessed(ctx, installationId, rows, failures, unreadable);
        for (const failure of failures)
          job.logger.warn(
            { handler: failure.handler, events: failure.eventIds.length, reason: failure.reason },
            'HubSpot events refused by a handler',
          );
      }
      await ctx.queue.send(hubSpotEventsJob, { installationId }, { singletonKey: installationId });
    },
    async onDeadLetter({ installationId }) {
      await ctx.queue.send(
        hubSpotEventsJob,
        { installationId },
        { singletonKey: installationId, startAfterSeconds: RESUME_AFTER_SECONDS },
      );
    },
  });
}

function pendingEvents(ctx: AppContext, installationId: string): Promise<HubspotWebhookInboxRow[]> {
  return ctx.db
    .selectFrom('hubspot_webhook_inbox')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('processed_at', 'is', null)
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(BATCH)
    .execute();
}

function readEvents(rows: HubspotWebhookInboxRow[]) {
  const events: HubSpotWebhookEvent[] = [];
  const unreadable = new Set<string>();
  for (const row of rows) {
    const parsed = hubSpotWebhookEventSchema.safeParse(row.payload);
    if (parsed.success) events.push(parsed.data);
    else unreadable.add(row.id);
  }
  return { events, unreadable };
}

async function markProcessed(
  ctx: AppContext,
  installationId: string,
  rows: HubspotWebhookInboxRow[],
  failures: DispatchFailure[],
  unreadable: Set<string>,
): Promise<void> {
  const reasonOf = new Map<string, string>();
  for (const failure of failures)
    for (const eventId of failure.eventIds) reasonOf.set(eventId, `${failure.handler}: ${failure.reason}`);
  const now = new Date();
  const plain = rows.filter((r) => !reasonOf.has(r.event_id) && !unreadable.has(r.id)).map((r) => r.id);
  if (plain.length > 0)
    await ctx.db
      .updateTable('hubspot_webhook_inbox')
      .set({ processed_at: now })
      .where('installation_id', '=', installationId)
      .where('id', 'in', plain)
      .execute();
  for (const row of rows.filter((r) => reasonOf.has(r.event_id) || unreadable.has(r.id)))
    await ctx.db
      .updateTable('hubspot_webhook_inbox')
      .set({ processed_at: now, last_error: reasonOf.get(row.event_id) ?? 'unreadable stored event' })
      .where('installation_id', '=', installationId)
      .where('id', '=', row.id)
      .execute();
}
