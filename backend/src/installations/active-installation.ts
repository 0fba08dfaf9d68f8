import type { AppContext } from '../platform/context.ts';
import type { JobContext } from '../platform/queue.ts';
import type { Installation } from './installation.table.ts';
import { findInstallation } from './repository.ts';

/**
 * Jobs of an uninstalled portal stop: they complete without touching HubSpot or Dialer.io.
 * Returns the installation when it is active, undefined (and a log line) otherwise.
 */
export async function activeInstallationForJob(
  ctx: AppContext,
  installationId: string,
  job: JobContext,
): Promise<Installation | undefined> {
  const installation = await findInstallation(ctx.db, installationId);
  if (installation?.status === 'active') return installation;
  job.logger.info({ installationId }, 'installation is not active: job stopped');
  return undefined;
}
