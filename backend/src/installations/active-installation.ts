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
  return activeOrStop(await findInstallation(ctx.db, installationId), installationId, job);
}

/** The same check on an installation the job read itself (with more in one statement). */
export function activeOrStop<T extends { status: Installation['status'] }>(
  installation: T | undefined,
  installationId: string,
  job: JobContext,
): T | undefined {
  if (installation?.status === 'active') return installation;
  job.logger.info({ installationId }, 'installation is not active: job stopped');
  return undefined;
}
