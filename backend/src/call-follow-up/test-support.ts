import { sql } from 'kysely';
import { eventually, jobRunningFor, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';

export { ADMIN, installAndConnect } from '../call-logging/test-setup.ts';

export async function installationId(app: TestApp, portalId: number): Promise<string> {
  return (await findInstallationByPortal(app.runtime.ctx.db, portalId))!.id;
}

/**
 * Waits until calls are written and the follow-up job has seen every written call at its current
 * version and contact, written every rollup and created every task.
 */
export async function waitForFollowUpIdle(app: TestApp, portalId: number, timeoutMs = 60_000) {
  await app.dialer.waitForDeliveries(timeoutMs * 2);
  const id = await installationId(app, portalId);
  const db = app.runtime.ctx.db;
  await eventually(
    async () => {
      const inbox = await db
        .selectFrom('webhook_inbox')
        .select('id')
        .where('installation_id', '=', id)
        .where('processed_at', 'is', null)
        .limit(1)
        .execute();
      const open = await db
        .selectFrom('calls')
        .select('call_id')
        .where('installation_id', '=', id)
        .where('sync_state', 'in', ['pending', 'sending'])
        .limit(1)
        .execute();
      if (inbox.length || open.length) return false;
      const unseen = await db
        .selectFrom('calls as c')
        .leftJoin('call_follow_ups as f', (j) =>
          j.onRef('f.installation_id', '=', 'c.installation_id').onRef('f.call_id', '=', 'c.call_id'),
        )
        .select('c.call_id')
        .where('c.installation_id', '=', id)
        .where('c.hubspot_call_id', 'is not', null)
        .where((eb) =>
          eb.or([
            eb('f.call_id', 'is', null),
            eb('f.seen_version', '<', eb.ref('c.synced_version')),
            sql<boolean>`f.contact_id is distinct from c.contact_id`,
          ]),
        )
        .execute();
      const dirty = await db
        .selectFrom('contact_rollups')
        .select('contact_id')
        .where('installation_id', '=', id)
        .where('dirty', '=', true)
        .execute();
      const creating = await db
        .selectFrom('follow_up_tasks')
        .select('id')
        .where('installation_id', '=', id)
        .where((eb) => eb.or([eb('state', '=', 'creating'), eb('pending_update', '=', true)]))
        .execute();
      const quiet = unseen.length === 0 && dirty.length === 0 && creating.length === 0;
      return quiet && !jobRunningFor(app, id);
    },
    timeoutMs,
    200,
  );
}

/** PATCH /api/settings as the portal's super admin; throws unless 200. */
export async function setMissedCalls(app: TestApp, portalId: number, missedCalls: Record<string, unknown>) {
  const response = await app.api('PATCH', '/api/settings', { portalId, userId: 41, body: { missedCalls } });
  if (response.status !== 200) throw new Error(`settings: ${response.status} ${await response.text()}`);
}
