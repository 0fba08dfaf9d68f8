import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';

/**
 * One event of a HubSpot app-webhook delivery (a signed JSON array of up to 100 of these).
 * Read tolerantly: only what we use is required; everything else may be missing or null.
 */
export const hubSpotWebhookEventSchema = z.object({
  eventId: z.union([z.number(), z.string()]).transform(String),
  portalId: z.number().int().positive(),
  subscriptionType: z.string().min(1).max(100),
  /** Milliseconds since 1970; a value no date can hold is refused, not stored. */
  occurredAt: z.number().int().min(0).max(8_640_000_000_000_000),
  objectId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
  objectTypeId: z.string().nullish(),
  propertyName: z.string().nullish(),
  propertyValue: z.string().nullish(),
  changeSource: z.string().nullish(),
  sourceId: z.string().nullish(),
  subscriptionId: z.number().nullish(),
  appId: z.number().nullish(),
  attemptNumber: z.number().nullish(),
  mergedObjectIds: z.array(z.number()).nullish(),
  primaryObjectId: z.number().nullish(),
  newObjectId: z.number().nullish(),
});

export type HubSpotWebhookEvent = z.infer<typeof hubSpotWebhookEventSchema>;

/** HubSpot's object type id of contacts (`objectTypeId` of `object.*` events). */
export const CONTACT_OBJECT_TYPE_ID = '0-1';

/**
 * A capability's handler for one subscription type. It receives the stored events of one
 * installation (oldest `occurredAt` first), must be idempotent (events can be handed over
 * again after a crash) and throws only for causes that can clear (the job retries them).
 */
export interface HubSpotEventHandler {
  /** e.g. `object.propertyChange`, `object.creation`, `contact.privacyDeletion`. */
  subscriptionType: string;
  /** Limits `object.*` handlers to one object type, e.g. CONTACT_OBJECT_TYPE_ID. */
  objectTypeId?: string;
  /** A short name for logs and metrics, e.g. `contact-sync`. */
  name: string;
  handle(ctx: AppContext, installationId: string, events: HubSpotWebhookEvent[]): Promise<void>;
}
