import type { FollowUpTask } from './call-follow-up.table.ts';
import {
  associateTasksToCalls,
  createTasks,
  recoverTasks,
  setTaskState,
  updateTaskBodies,
} from './task-writes.ts';
import type { TaskContext } from './tasks.ts';

/**
 * Writes the stored tasks to HubSpot: creates new ones (finding first, by reference token, those
 * an earlier attempt may have sent without storing the answer; `fresh` = planned just now, never
 * sent), updates tasks that got more misses and associates each open task to its stored calls.
 * Returns how long to wait when HubSpot's search cannot see earlier creates yet.
 */
export async function flushTasks(
  tc: TaskContext,
  fresh: Set<string>,
  searchIndexDelayMs: number,
): Promise<{ retryInMs: number | null }> {
  const creating = await tasksIn(tc, 'creating');
  const earlier = creating.filter((t) => !fresh.has(t.id));
  const youngest = Math.max(0, ...earlier.map((t) => new Date(t.updated_at).getTime()));
  if (earlier.length && youngest + searchIndexDelayMs > tc.now)
    return { retryInMs: youngest + searchIndexDelayMs - tc.now };
  const recovered = earlier.length ? await recoverTasks(tc.client, earlier) : new Map<string, string>();
  const created = await createTasks(
    tc.client,
    creating.filter((t) => !recovered.has(t.id)),
    async (task, error) => {
      await setTaskState(tc.db, tc.installationId, task.id, { state: 'closed', closed_reason: 'refused' });
      tc.activity.push({
        callId: task.first_call_id,
        contactId: task.contact_id,
        phoneE164: task.phone_e164,
        level: 'error',
        step: 'task_refused',
        message: `HubSpot refused the follow-up task "${task.subject}": ${error.message}.`,
      });
    },
  );
  const opened = new Map([...recovered, ...created]);
  for (const [id, hubspotTaskId] of opened)
    await setTaskState(tc.db, tc.installationId, id, { state: 'open', hubspot_task_id: hubspotTaskId });
  for (const task of creating.filter((t) => opened.has(t.id)))
    tc.activity.push({
      callId: task.first_call_id,
      contactId: task.contact_id,
      phoneE164: task.phone_e164,
      level: 'info',
      step: 'task_created',
      message: `Created HubSpot task ${opened.get(task.id)}: ${task.subject}.`,
    });

  await updateRepeats(tc);
  await associateStoredCalls(tc);
  return { retryInMs: null };
}

/** Every open task's calls not yet associated in HubSpot (stored when planned): associated, then marked. */
async function associateStoredCalls(tc: TaskContext) {
  const pending = await tc.db
    .selectFrom('follow_up_task_calls as m')
    .innerJoin('follow_up_tasks as t', (join) =>
      join.onRef('t.installation_id', '=', 'm.installation_id').onRef('t.id', '=', 'm.task_id'),
    )
    .select(['m.task_id', 'm.call_id', 'm.hubspot_call_id', 't.hubspot_task_id'])
    .where('m.installation_id', '=', tc.installationId)
    .where('m.associated_at', 'is', null)
    .where('t.state', '=', 'open')
    .where('t.hubspot_task_id', 'is not', null)
    .execute();
  if (pending.length === 0) return;
  await associateTasksToCalls(
    tc.client,
    pending.map((m) => ({ taskId: m.hubspot_task_id!, callId: m.hubspot_call_id })),
  );
  for (const taskId of new Set(pending.map((m) => m.task_id)))
    await tc.db
      .updateTable('follow_up_task_calls')
      .set({ associated_at: new Date() })
      .where('installation_id', '=', tc.installationId)
      .where('task_id', '=', taskId)
      .where(
        'call_id',
        'in',
        pending.filter((m) => m.task_id === taskId).map((m) => m.call_id),
      )
      .execute();
}

async function updateRepeats(tc: TaskContext) {
  const pending = (await tasksIn(tc, 'open')).filter((t) => t.hubspot_task_id);
  if (pending.length === 0) return;
  const goneIds = await updateTaskBodies(tc.client, pending);
  for (const task of pending) {
    const gone = goneIds.has(task.hubspot_task_id!);
    await setTaskState(
      tc.db,
      tc.installationId,
      task.id,
      gone
        ? { state: 'closed', closed_reason: 'deleted_in_hubspot', pending_update: false }
        : { pending_update: false },
    );
    tc.activity.push({
      contactId: task.contact_id,
      phoneE164: task.phone_e164,
      level: 'info',
      step: gone ? 'task_gone' : 'task_updated',
      message: gone
        ? `HubSpot task ${task.hubspot_task_id} no longer exists: the next miss starts a new task.`
        : `Updated HubSpot task ${task.hubspot_task_id}: ${task.miss_count} missed calls.`,
    });
  }
}

/** Tasks in a state: `creating` ones, or open ones with a pending update. */
async function tasksIn(tc: TaskContext, state: FollowUpTask['state']): Promise<FollowUpTask[]> {
  let query = tc.db
    .selectFrom('follow_up_tasks')
    .selectAll()
    .where('installation_id', '=', tc.installationId)
    .where('state', '=', state);
  if (state === 'open') query = query.where('pending_update', '=', true);
  return query.execute();
}
