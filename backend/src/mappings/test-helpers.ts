import { eventually, type TestApp } from '../../test/support/test-app.ts';
import type { AgentItem, OwnerItem } from './agents.ts';
import type { DispositionItem, OutcomeItem } from './dispositions.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A signed JSON request; returns the status and the parsed body. */
export async function call<T = Record<string, unknown>>(
  app: TestApp,
  method: string,
  path: string,
  portalId: number,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await app.api(method, path, { portalId, userId: 41, body });
  return { status: response.status, body: (await response.json()) as T };
}

export async function agents(app: TestApp, portalId: number): Promise<AgentItem[]> {
  return (await call<{ items: AgentItem[] }>(app, 'GET', '/api/agents', portalId)).body.items;
}

export async function owners(app: TestApp, portalId: number): Promise<OwnerItem[]> {
  return (await call<{ items: OwnerItem[] }>(app, 'GET', '/api/owners', portalId)).body.items;
}

export async function dispositions(app: TestApp, portalId: number): Promise<DispositionItem[]> {
  return (await call<{ items: DispositionItem[] }>(app, 'GET', '/api/dispositions', portalId)).body.items;
}

export async function outcomes(app: TestApp, portalId: number): Promise<OutcomeItem[]> {
  return (await call<{ items: OutcomeItem[] }>(app, 'GET', '/api/outcomes', portalId)).body.items;
}

export interface ActivityItem {
  callId: string | null;
  level: string;
  step: string;
  message: string;
}

/** The portal's activity log, newest first (optionally for one call). */
export async function activity(app: TestApp, portalId: number, callId?: string): Promise<ActivityItem[]> {
  const query = callId ? `?callId=${encodeURIComponent(callId)}&limit=200` : '?limit=200';
  return (await call<{ items: ActivityItem[] }>(app, 'GET', `/api/activity${query}`, portalId)).body.items;
}

export function hubspotCall(app: TestApp, portalId: number, callId: string) {
  const found = app.hubspot.portal(portalId).calls.find((c) => c.properties.hs_call_external_id === callId);
  if (!found) throw new Error(`no HubSpot call for ${callId}`);
  return found;
}

export async function installationId(app: TestApp, portalId: number): Promise<string> {
  const row = await app.runtime.ctx.db
    .selectFrom('installations')
    .select('id')
    .where('portal_id', '=', portalId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Waits until the portal's owner backfill job has nothing queued or running. */
export async function waitForBackfill(app: TestApp, portalId: number): Promise<void> {
  const key = await installationId(app, portalId);
  await eventually(async () => {
    const jobs = await app.runtime.ctx.queue.raw.findJobs('mappings.backfill-owners', { key });
    return jobs.every((job) => !['created', 'retry', 'active'].includes(job.state));
  }, 15_000);
  // The backfill hands the calls to the call pipeline: wait until it wrote them.
  await eventually(async () => {
    const open = await app.runtime.ctx.db
      .selectFrom('calls')
      .select('call_id')
      .where('installation_id', '=', key)
      .where('sync_state', 'in', ['pending', 'sending'])
      .execute();
    return open.length === 0;
  }, 15_000);
}
