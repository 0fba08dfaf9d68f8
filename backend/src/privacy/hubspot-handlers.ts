import { recordActivity } from '../activity/record.ts';
import {
  CONTACT_OBJECT_TYPE_ID,
  type HubSpotEventHandler,
  type HubSpotWebhookEvent,
} from '../hubspot-webhooks/events.ts';
import { moveContact, unlinkContact } from './contact-lifecycle.ts';
import { erasePerson } from './erase.ts';

/**
 * `contact.privacyDeletion`: the same erasure as the settings page, with no human. One audit
 * row per HubSpot eventId: a redelivered or re-handed event erases nothing twice. The Dialer.io
 * contact this app created for the HubSpot contact (external_id = contact id) is deleted too.
 */
export const privacyDeletionHandler: HubSpotEventHandler = {
  subscriptionType: 'contact.privacyDeletion',
  name: 'privacy-erasure',
  async handle(ctx, installationId, events) {
    for (const event of events) {
      if (event.objectId == null) continue;
      await erasePerson(
        ctx,
        { installationId, source: 'hubspot_privacy_deletion', userId: null, hubspotEventId: event.eventId },
        { hubspotContactId: String(event.objectId), deleteInDialer: true },
      );
    }
  },
};

/** `object.deletion` of a contact: unlink it, so nothing is matched or synced to it any more. */
export const contactDeletionHandler: HubSpotEventHandler = {
  subscriptionType: 'object.deletion',
  objectTypeId: CONTACT_OBJECT_TYPE_ID,
  name: 'contact-unlink',
  async handle(ctx, installationId, events) {
    for (const event of events) {
      if (event.objectId == null) continue;
      const contactId = String(event.objectId);
      if ((await unlinkContact(ctx.db, installationId, contactId)) === 0) continue;
      await recordActivity(ctx.db, installationId, [
        {
          contactId,
          level: 'info',
          step: 'contact_deleted',
          message: `HubSpot contact ${contactId} was deleted: Dialer Sync no longer links or syncs it.`,
        },
      ]);
    }
  },
};

/** `object.merge` of contacts: our links, calls and lookups move to the surviving contact. */
export const contactMergeHandler: HubSpotEventHandler = {
  subscriptionType: 'object.merge',
  objectTypeId: CONTACT_OBJECT_TYPE_ID,
  name: 'contact-merge',
  async handle(ctx, installationId, events) {
    for (const event of events) {
      const merge = mergeOf(event);
      if (!merge) continue;
      const moved = await ctx.db
        .transaction()
        .execute((trx) => moveContact(trx, installationId, merge.from, merge.into));
      if (moved === 0) continue;
      await recordActivity(ctx.db, installationId, [
        {
          contactId: merge.into,
          level: 'info',
          step: 'contact_merged',
          message: `HubSpot merged contact(s) ${merge.from.join(', ')} into ${merge.into}: their calls and Dialer.io link moved with them.`,
        },
      ]);
    }
  },
};

/** The surviving contact (`newObjectId`, else `primaryObjectId`) and the ids merged into it. */
export function mergeOf(event: HubSpotWebhookEvent): { from: string[]; into: string } | null {
  const into = event.newObjectId ?? event.primaryObjectId ?? event.objectId;
  if (into == null) return null;
  const ids = [...(event.mergedObjectIds ?? []), event.primaryObjectId, event.objectId]
    .filter((id): id is number => id != null && id !== into)
    .map(String);
  return { from: [...new Set(ids)], into: String(into) };
}

export const privacyEventHandlers = [privacyDeletionHandler, contactDeletionHandler, contactMergeHandler];
