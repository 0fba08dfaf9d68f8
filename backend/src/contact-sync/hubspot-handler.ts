import {
  CONTACT_OBJECT_TYPE_ID,
  type HubSpotEventHandler,
  type HubSpotWebhookEvent,
} from '../hubspot-webhooks/events.ts';
import { findInstallation } from '../installations/repository.ts';
import { handOverHubSpotChanges } from './dialer-events.ts';
import type { HubSpotChange } from './to-dialer.ts';

function contactHandler(
  subscriptionType: string,
  toChange: (event: HubSpotWebhookEvent & { objectId: number }) => HubSpotChange | null,
): HubSpotEventHandler {
  return {
    subscriptionType,
    objectTypeId: CONTACT_OBJECT_TYPE_ID,
    name: 'contact-sync',
    async handle(ctx, installationId, events) {
      const installation = await findInstallation(ctx.db, installationId);
      if (!installation || installation.status !== 'active') return;
      const changes = events.flatMap((event) => {
        const change = event.objectId ? toChange({ ...event, objectId: event.objectId }) : null;
        return change ? [{ eventId: String(event.eventId), change }] : [];
      });
      await handOverHubSpotChanges(ctx, installationId, changes);
    },
  };
}

/** HubSpot → Dialer.io from `object.propertyChange` deliveries of the subscribed contact properties. */
export const contactPropertyChangeHandler = contactHandler('object.propertyChange', (event) =>
  event.propertyName
    ? {
        contactId: String(event.objectId),
        property: event.propertyName,
        value: event.propertyValue ?? '',
        at: event.occurredAt,
      }
    : null,
);

/** A new HubSpot contact becomes a Dialer.io contact when `creation` allows it for every contact with a phone. */
export const contactCreationHandler = contactHandler('object.creation', (event) => ({
  contactId: String(event.objectId),
  property: 'phone',
  value: '',
  at: event.occurredAt,
}));
