import { z } from 'zod';
import { deleteOldRequestStats } from '../api-health/request-stats.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobSpec } from '../platform/queue.ts';
import {
  findInstallationsToPurge,
  findUninstalledWithDialerConnection,
  purgeInstallation,
} from './repository.ts';
import { finishUninstall } from './uninstall.ts';

const EVERY_SECONDS = 60 * 60;

export const lifecycleJob: JobSpec<Record<string, never>> = {
  name: 'installations.lifecycle',
  schema: z.object({}).strict(),
};

/**
 * Hourly: finishes any uninstall a crash interrupted (a Dialer.io connection left behind) and
 * purges the portals whose retention after uninstall has passed. It schedules its own next run.
 */
export function createLifecycleJob(ctx: AppContext) {
  return defineJob({
    ...lifecycleJob,
    queue: { policy: 'stately', retryLimit: 3 },
    async handle(_data, job) {
      await runLifecycle(ctx, job.logger);
      await scheduleLifecycle(ctx, EVERY_SECONDS);
    },
  });
}

export async function runLifecycle(ctx: AppContext, logger = ctx.logger): Promise<{ purged: number }> {
  for (const installationId of await findUninstalledWithDialerConnection(ctx.db))
    await finishUninstall(ctx, installationId);
  const now = new Date(ctx.now());
  let purged = 0;
  for (const installation of await findInstallationsToPurge(ctx.db, now)) {
    if (await purgeInstallation(ctx.db, installation.id, now)) {
      purged++;
      logger.info({ installationId: installation.id }, "uninstalled portal's data purged");
    }
  }
  await deleteOldRequestStats(ctx.db, ctx.now());
  return { purged };
}

export async function scheduleLifecycle(ctx: AppContext, afterSeconds = 0): Promise<void> {
  await ctx.queue.send(lifecycleJob, {}, { singletonKey: 'lifecycle', startAfterSeconds: afterSeconds });
}
