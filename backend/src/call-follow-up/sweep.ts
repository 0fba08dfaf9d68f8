import type { ActivityEntry } from '../activity/record.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { sweepUnmatchedCalls } from './late-matching.ts';
import { ensurePropertiesOnce } from './properties.ts';
import { taskContext } from './run.ts';
import { finishedTasks } from './task-writes.ts';
import type { TaskContext } from './tasks.ts';

/**
 * The hourly work of one portal: the "Dialer Sync" properties if this portal predates them,
 * unknown callers of the last 7 days searched again, and open tasks read back from HubSpot
 * (completed there, or an agent mapped meanwhile: the episode ends). Returns calls linked.
 */
export async function sweepPortal(ctx: AppContext, installation: Installation, activity: ActivityEntry[]) {
  const tc = await taskContext(ctx, installation, activity);
  await ensurePropertiesOnce(ctx.db, installation.id, tc.client);
  const linked = await sweepUnmatchedCalls(tc);
  await closeFinishedEpisodes(tc);
  await ctx.db
    .insertInto('follow_up_portals')
    .values({ installation_id: installation.id, swept_at: new Date(), updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('installation_id').doUpdateSet({ swept_at: new Date(), updated_at: new Date() }),
    )
    .execute();
  return linked;
}

async function closeFinishedEpisodes(tc: TaskContext) {
  await tc.db
    .updateTable('follow_up_tasks')
    .set({ state: 'closed', closed_reason: 'agent_mapped', updated_at: new Date() })
    .where('installation_id', '=', tc.installationId)
    .where('kind', '=', 'agent')
    .where('state', '=', 'open')
    .where('episode_key', 'in', (eb) =>
      eb
        .selectFrom('dialer_agents')
        .select('agent_id')
        .where('installation_id', '=', tc.installationId)
        .where('owner_id', 'is not', null),
    )
    .execute();
  const open = await tc.db
    .selectFrom('follow_up_tasks')
    .select(['id', 'hubspot_task_id'])
    .where('installation_id', '=', tc.installationId)
    .where('state', '=', 'open')
    .where('hubspot_task_id', 'is not', null)
    .execute();
  if (open.length === 0) return;
  const finished = await finishedTasks(
    tc.client,
    open.map((t) => t.hubspot_task_id!),
  );
  const ids = open.filter((t) => finished.has(t.hubspot_task_id!)).map((t) => t.id);
  if (ids.length === 0) return;
  await tc.db
    .updateTable('follow_up_tasks')
    .set({ state: 'closed', closed_reason: 'completed_in_hubspot', updated_at: new Date() })
    .where('installation_id', '=', tc.installationId)
    .where('id', 'in', ids)
    .execute();
}
