import type { AppContext } from '../platform/context.ts';
import { followUpJob } from './job-specs.ts';

/**
 * Called by call logging after it wrote calls: queues the portal's follow-up (one queued and one
 * running per portal, so a burst of writes costs one run). The short delay coalesces batches.
 */
export async function enqueueFollowUp(ctx: AppContext, installationId: string): Promise<void> {
  await ctx.queue.send(
    followUpJob,
    { installationId },
    { singletonKey: installationId, startAfterSeconds: 1 },
  );
}
