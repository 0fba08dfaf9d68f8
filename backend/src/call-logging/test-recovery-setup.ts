import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { installationId } from '../mappings/test-helpers.ts';

export { installationId };

/** Short waits so recovery is tested by counts, not by waiting: pauses, retries, searches. */
export const FAST_RECOVERY_ENV = {
  HUBSPOT_SEARCH_INDEX_DELAY_MS: '200',
  HUBSPOT_RETRY_BASE_MS: '5',
  CALL_SYNC_PAUSE_BASE_MS: '100',
  CALL_SYNC_PAUSE_MAX_MS: '400',
  CALL_LOST_CREATE_WINDOW_MS: '8000',
};

export const startRecoveryApp = (options: { env?: Record<string, string>; workers?: boolean } = {}) =>
  startTestApp({ env: { ...FAST_RECOVERY_ENV, ...options.env }, workers: options.workers });

interface ActivityItem {
  step: string;
  level: string;
  message: string;
  callId: string | null;
}

/** The portal's whole activity log, oldest first. */
export async function activitySteps(app: TestApp, portalId: number): Promise<ActivityItem[]> {
  const items: ActivityItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const page = (await (
      await app.api('GET', `/api/activity?limit=200${query}`, { portalId, userId: 1 })
    ).json()) as { items: ActivityItem[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items.reverse();
}

export async function callStates(app: TestApp, portalId: number): Promise<Record<string, string>> {
  const rows = await app.runtime.ctx.db
    .selectFrom('calls')
    .select(['call_id', 'sync_state'])
    .where('installation_id', '=', await installationId(app, portalId))
    .execute();
  return Object.fromEntries(rows.map((r) => [r.call_id, r.sync_state]));
}

/** How many HubSpot calls carry each Dialer.io call id. */
export function hubspotCallCounts(app: TestApp, portalId: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of app.hubspot.portal(portalId).calls) {
    const id = call.properties.hs_call_external_id ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
