import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { AppContext } from '../platform/context.ts';
import { RECORDING_PATH } from './routes.ts';

/** `urlToRetrieveAuthedRecording`: HubSpot puts the call's external id where `%s` is. */
export const recordingUrlTemplate = (publicBaseUrl: string) => `${publicBaseUrl}${RECORDING_PATH}/%s`;

/**
 * Registers our recording URL for the app with HubSpot, once per app id and URL: the settings are
 * the app's, not a portal's, but HubSpot's 2026-03 reference takes an OAuth token, so the first
 * portal bootstrapped after a deploy (or a change of origin) does it with its own token. `POST`
 * creates the settings; when they exist already (409 or 400), `PATCH` sets the URL. Remembered
 * in `recording_registrations`, so later bootstraps send nothing. Errors go to the caller (the
 * bootstrap job retries); calls are logged either way.
 */
export async function ensureRecordingUrl(
  ctx: AppContext,
  client: PortalClient,
): Promise<'registered' | 'known' | 'no_app_id'> {
  const appId = ctx.config.hubspot.appId;
  if (!appId) return 'no_app_id';
  const url = recordingUrlTemplate(ctx.config.publicBaseUrl);
  const known = await ctx.db
    .selectFrom('recording_registrations')
    .select('url')
    .where('app_id', '=', appId)
    .executeTakeFirst();
  if (known?.url === url) return 'known';
  const body = { urlToRetrieveAuthedRecording: url };
  try {
    await client.send('registerRecordingUrl', { params: { appId }, body });
  } catch (error) {
    const exists =
      error instanceof HubSpotError && (error.code === 'conflict' || error.code === 'bad_request');
    if (!exists) throw error;
    await client.send('updateRecordingUrl', { params: { appId }, body });
  }
  await ctx.db
    .insertInto('recording_registrations')
    .values({ app_id: appId, url, registered_at: new Date() })
    .onConflict((oc) => oc.column('app_id').doUpdateSet({ url, registered_at: new Date() }))
    .execute();
  return 'registered';
}
