import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { AppContext } from '../platform/context.ts';
import { recordingUrlTemplate } from './recording-path.ts';

export type RegistrationAction = 'created' | 'updated' | 'unchanged';

/**
 * Sets the app's recording URL in HubSpot to `url`, sending only what is needed: a `GET` first,
 * then `POST` when there are no settings, `PATCH` when they name another URL, nothing when they
 * name this one. A `POST` that meets settings made meanwhile (409 or 400) becomes a `PATCH`.
 * The settings are the app's; HubSpot's 2026-03 reference takes an installed portal's OAuth token.
 */
export async function setRecordingUrl(
  client: PortalClient,
  appId: string,
  url: string,
): Promise<RegistrationAction> {
  const current = await currentRecordingUrl(client, appId);
  if (current === url) return 'unchanged';
  const body = { urlToRetrieveAuthedRecording: url };
  if (current !== undefined) {
    await client.send('updateRecordingUrl', { params: { appId }, body });
    return 'updated';
  }
  try {
    await client.send('registerRecordingUrl', { params: { appId }, body });
    return 'created';
  } catch (error) {
    const exists =
      error instanceof HubSpotError && (error.code === 'conflict' || error.code === 'bad_request');
    if (!exists) throw error;
    await client.send('updateRecordingUrl', { params: { appId }, body });
    return 'updated';
  }
}

async function currentRecordingUrl(client: PortalClient, appId: string): Promise<string | undefined> {
  try {
    const settings = await client.send<{ urlToRetrieveAuthedRecording?: unknown }>('getRecordingSettings', {
      params: { appId },
    });
    const url = settings?.urlToRetrieveAuthedRecording;
    return typeof url === 'string' ? url : '';
  } catch (error) {
    if (error instanceof HubSpotError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/**
 * `npm run hubspot:register-recordings`: the app's recording URL for `origin`, set with the
 * token of an active installation (the given portal's, or the most recently installed one), and
 * remembered in `recording_registrations`. Throws when there is no app id or no installation.
 */
export async function registerRecordingUrl(
  ctx: AppContext,
  origin: string,
  options: { portalId?: number } = {},
): Promise<{ url: string; action: RegistrationAction; portalId: number }> {
  const appId = ctx.config.hubspot.appId;
  if (!appId) throw new Error('HUBSPOT_APP_ID is not set: the recording settings are per app id');
  let query = ctx.db.selectFrom('installations').select(['id', 'portal_id']).where('status', '=', 'active');
  if (options.portalId !== undefined) query = query.where('portal_id', '=', options.portalId);
  const installation = await query.orderBy('installed_at', 'desc').limit(1).executeTakeFirst();
  if (!installation)
    throw new Error(
      options.portalId !== undefined
        ? `portal ${options.portalId} has no active installation`
        : 'no active installation: install the app in a portal (e.g. the test portal) first; its token sets the URL',
    );
  const url = recordingUrlTemplate(origin);
  const action = await setRecordingUrl(ctx.hubspot.forInstallation(installation), appId, url);
  const now = new Date(ctx.now());
  await ctx.db
    .insertInto('recording_registrations')
    .values({ app_id: appId, url, registered_at: now })
    .onConflict((oc) => oc.column('app_id').doUpdateSet({ url, registered_at: now }))
    .execute();
  return { url, action, portalId: installation.portal_id };
}
