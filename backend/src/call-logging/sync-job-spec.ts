import { z } from 'zod';
import type { JobSpec } from '../platform/queue.ts';

/** One job per portal drains its inbox and writes its calls to HubSpot in batches. */
export const callSyncJob: JobSpec<{ installationId: string }> = {
  name: 'calls.sync',
  schema: z.object({ installationId: z.string().uuid() }).strict(),
};
