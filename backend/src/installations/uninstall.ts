import { disconnectDialer } from '../dialer-connection/connect.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { AppContext } from '../platform/context.ts';
import type { Installation } from './installation.table.ts';
import { findInstallation, markUninstalled } from './repository.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export type UninstallCause = 'settings_page' | 'refresh_refused';
const REASONS: Record<UninstallCause, string> = {
  settings_page: 'Uninstalled from the settings page by a HubSpot super admin',
  refresh_refused: 'HubSpot refused the refresh token (the app was uninstalled)',
};

/**
 * The one uninstall, whichever way it comes (a super admin on the settings page, or HubSpot
 * refusing the refresh token): HubSpot is told first when we are the ones uninstalling, then the
 * Dialer.io webhook and credentials are deleted, the HubSpot tokens are deleted, and the portal's
 * data is scheduled for purge. Reinstalling before the purge keeps everything else.
 */
export async function uninstall(
  ctx: AppContext,
  installation: Installation,
  cause: UninstallCause,
): Promise<{ purgeAfter: Date }> {
  if (cause === 'settings_page') await uninstallInHubSpot(ctx, installation);
  await disconnectDialer(ctx, installation);
  const purgeAfter = new Date(ctx.now() + ctx.config.uninstalledRetentionDays * DAY_MS);
  await markUninstalled(ctx.db, installation.id, REASONS[cause], purgeAfter);
  ctx.tokens.forget(installation.id);
  const stored = await findInstallation(ctx.db, installation.id);
  ctx.logger.info({ installationId: installation.id, cause }, 'installation uninstalled');
  return { purgeAfter: stored?.purge_after ? new Date(stored.purge_after) : purgeAfter };
}

/** HubSpot's `DELETE /appinstalls/2026-03/external-install`; already uninstalled there is fine. */
async function uninstallInHubSpot(ctx: AppContext, installation: Installation): Promise<void> {
  try {
    await ctx.hubspot.forInstallation(installation).send('uninstallApp');
  } catch (error) {
    const gone =
      error instanceof HubSpotError && ['installation_uninstalled', 'invalid_grant'].includes(error.code);
    if (!gone) throw error;
  }
}

/** After HubSpot refused the refresh token (the token provider already marked it uninstalled). */
export async function finishUninstall(ctx: AppContext, installationId: string): Promise<void> {
  const installation = await findInstallation(ctx.db, installationId);
  if (installation) await uninstall(ctx, installation, 'refresh_refused');
}
