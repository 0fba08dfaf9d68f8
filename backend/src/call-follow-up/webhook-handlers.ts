import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import {
  CONTACT_OBJECT_TYPE_ID,
  type HubSpotEventHandler,
  type HubSpotWebhookEvent,
} from '../hubspot-webhooks/events.ts';
import { findInstallation } from '../installations/repository.ts';
import type { AppContext } from '../platform/context.ts';
import { enqueueFollowUp } from './enqueue.ts';
import { matchNewContacts } from './late-matching.ts';
import { taskContext } from './run.ts';

const PHONE_PROPERTIES = new Set(['phone', 'mobilephone']);

/** Our subscriptions are contact-only: an event without `objectTypeId` is read as a contact's. */
const isContact = (e: HubSpotWebhookEvent) =>
  (e.objectTypeId ?? CONTACT_OBJECT_TYPE_ID) === CONTACT_OBJECT_TYPE_ID;

async function matchLate(ctx: AppContext, installationId: string, events: HubSpotWebhookEvent[]) {
  const ids = [...new Set(events.flatMap((e) => (e.objectId && isContact(e) ? [String(e.objectId)] : [])))];
  const installation = await findInstallation(ctx.db, installationId);
  if (ids.length === 0 || installation?.status !== 'active') return;
  const activity: ActivityEntry[] = [];
  try {
    const linked = await matchNewContacts(await taskContext(ctx, installation, activity), ids);
    if (linked > 0) await enqueueFollowUp(ctx, installationId);
  } finally {
    await recordActivity(ctx.db, installationId, activity);
  }
}

/** Unknown callers matched late: a contact created in HubSpot, or one whose phone changed. */
export const lateMatchHandlers: HubSpotEventHandler[] = [
  {
    subscriptionType: 'object.creation',
    name: 'call-follow-up',
    handle: matchLate,
  },
  {
    subscriptionType: 'object.propertyChange',
    name: 'call-follow-up',
    handle: (ctx, installationId, events) =>
      matchLate(
        ctx,
        installationId,
        events.filter((e) => PHONE_PROPERTIES.has(e.propertyName ?? '') && e.propertyValue),
      ),
  },
];
