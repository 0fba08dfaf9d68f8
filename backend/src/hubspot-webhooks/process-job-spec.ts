import { z } from 'zod';
import type { JobSpec } from '../platform/queue.ts';

/** Hands a portal's stored HubSpot webhook events to their handlers (one job in flight per portal). */
export const hubSpotEventsJob: JobSpec<{ installationId: string }> = {
  name: 'hubspot-webhooks.process',
  schema: z.object({ installationId: z.string().uuid() }),
};
