import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { FAST_RECOVERY_ENV } from '../call-logging/test-recovery-setup.ts';
import { installAndConnect } from '../call-logging/test-setup.ts';
import type { DialerCall } from '../dialer/index.ts';
import { installationId } from '../mappings/test-helpers.ts';

export const APP_ID = '424242';

export const startRecordingsApp = () =>
  startTestApp({ env: { ...FAST_RECOVERY_ENV, HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });

/** A connected portal, its Dialer.io account and the connection's recording key. */
export async function connectedPortal(app: TestApp, portalId: number) {
  const connected = await installAndConnect(app, portalId);
  const id = await installationId(app, portalId);
  const { recording_account_key: key } = await app.runtime.ctx.db
    .selectFrom('dialer_connections')
    .select('recording_account_key')
    .where('installation_id', '=', id)
    .executeTakeFirstOrThrow();
  return { ...connected, installationId: id, key };
}

/** The events of an answered call, and the call as it is at its end. */
export function answeredCall(app: TestApp, accountId: string, seed: Partial<DialerCall>) {
  const events = app.dialer.callLifecycle(accountId, seed, { answered: true });
  return { events, final: events[events.length - 1]![1].call };
}

export const hubspotCall = (app: TestApp, portalId: number, callId: string) =>
  app.hubspot.portal(portalId).calls.find((c) => c.properties.hs_call_external_id === callId);

export const waitForHubSpotCall = (app: TestApp, portalId: number, callId: string) =>
  eventually(() => hubspotCall(app, portalId, callId));

/** Asks our recording endpoint as HubSpot does (or as a stranger might). */
export function askForRecording(
  app: TestApp,
  externalId: string,
  query: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const params = new URLSearchParams(query);
  return fetch(`${app.url}/hubspot/recordings/${encodeURIComponent(externalId)}?${params}`, { headers });
}

export async function mediaRow(app: TestApp, installation: string, callId: string) {
  return app.runtime.ctx.db
    .selectFrom('call_media')
    .selectAll()
    .where('installation_id', '=', installation)
    .where('call_id', '=', callId)
    .executeTakeFirst();
}
