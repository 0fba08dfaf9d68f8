import { lateMatchHandlers } from '../call-follow-up/webhook-handlers.ts';
import { privacyEventHandlers } from '../privacy/hubspot-handlers.ts';
import { contactCreationHandler, contactPropertyChangeHandler } from '../contact-sync/hubspot-handler.ts';
import type { HubSpotEventHandler } from './events.ts';

/**
 * Every capability that acts on HubSpot's app webhooks lists its handlers here; the dispatcher
 * hands each stored event to every handler of its subscription type (and object type). A type
 * with no handler is stored and ignored.
 */
export const hubSpotEventHandlers: HubSpotEventHandler[] = [
  ...privacyEventHandlers,
  ...lateMatchHandlers,
  contactPropertyChangeHandler,
  contactCreationHandler,
];
