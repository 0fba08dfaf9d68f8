// Shared setup for the HubSpot simulator's own tests (not a test file itself).
import { afterEach } from 'vitest';
import { startHubSpotSimulator, type HubSpotSimulator, type HubSpotSimulatorOptions } from './index.ts';

export const PORTAL = 4242;
export const BUSY = '9d9162e7-6cf3-4944-bf63-4dff82258764';

/** The running simulator, its fake clock (move it freely) and a valid access token for PORTAL. */
export const h = { sim: undefined as unknown as HubSpotSimulator, clock: 0, token: '' };

export async function start(opts: HubSpotSimulatorOptions = {}): Promise<void> {
  h.clock = Date.parse('2026-05-01T10:00:00Z');
  h.sim = await startHubSpotSimulator({ now: () => h.clock, ...opts });
  h.sim.createPortal({ portalId: PORTAL, superAdminUserIds: [501], userIds: [502] });
  h.token = h.sim.issueTokens(PORTAL).access_token;
}

/** Registers the afterEach that closes the simulator. */
export function closeAfterEach(): void {
  afterEach(async () => {
    await h.sim.close();
  });
}

export function api(method: string, path: string, body?: unknown, bearer: string | null = h.token) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  return fetch(h.sim.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function form(path: string, fields: Record<string, string>) {
  return fetch(h.sim.url + path, { method: 'POST', body: new URLSearchParams(fields) });
}

export const call = (extra: Record<string, unknown> = {}) => ({
  properties: { hs_timestamp: h.clock, hs_call_status: 'COMPLETED', hs_call_direction: 'OUTBOUND', ...extra },
});

export const toContact = (id: string) => [
  { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] },
];
