import { z } from 'zod';
import { ensurePropertiesOnce } from '../call-follow-up/properties.ts';
import { autoMap } from '../mappings/auto-map.ts';
import { refreshOutcomes, refreshOwners } from '../mappings/hubspot-directory.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobSpec } from '../platform/queue.ts';
import { activeInstallationForJob } from './active-installation.ts';

export const bootstrapJob: JobSpec<{ installationId: string }> = {
  name: 'installation.bootstrap',
  schema: z.object({ installationId: z.string().uuid() }).strict(),
};

/** After an install: the "Dialer Sync" contact properties, the portal's owners and call outcomes, then auto-mapping. */
export function createBootstrapJob(ctx: AppContext) {
  return defineJob({
    ...bootstrapJob,
    queue: { policy: 'stately', retryLimit: 6 },
    // New installs are bootstrapped side by side, whatever else the workers are doing.
    work: { localConcurrency: 4 },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      const client = ctx.hubspot.forInstallation(installation);
      const properties = await ensurePropertiesOnce(ctx.db, installationId, client, { force: true });
      const owners = await refreshOwners(ctx.db, installationId, client);
      const outcomes = await refreshOutcomes(ctx.db, installationId, client);
      // Dialer.io may have been connected before owners and outcomes were here: map now, not in an hour.
      await autoMap(ctx.db, installationId);
      job.logger.info({ installationId, properties, owners, outcomes }, 'installation bootstrapped');
    },
  });
}
