import { z } from 'zod';
import type { JobSpec } from '../platform/queue.ts';

const portal = z.object({ installationId: z.string().uuid() });

/** Dialer.io contact.updated events of one portal → HubSpot (one in flight per portal). */
export const dialerChangesJob: JobSpec<z.infer<typeof portal>> = {
  name: 'contact-sync.dialer-changes',
  schema: portal,
};
/** A one-time pull or push (one in flight per operation). */
export const operationJob: JobSpec<{ installationId: string; operationId: string }> = {
  name: 'contact-sync.operation',
  schema: portal.extend({ operationId: z.string().uuid() }),
};
/** Every few minutes: queue the custom-property sweep of every portal that has custom mappings. */
export const sweepScheduleJob: JobSpec<Record<string, never>> = {
  name: 'contact-sync.sweep-schedule',
  schema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
};
export const portalSweepJob: JobSpec<z.infer<typeof portal>> = { name: 'contact-sync.sweep', schema: portal };
export const SWEEP_EVERY_SECONDS = 300;
