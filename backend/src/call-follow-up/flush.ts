import type { FollowUpTask } from './call-follow-up.table.ts';
import type { FollowUpCall } from './episodes.ts';
import {
  associateTasksToCalls,
  createTasks,
  recoverTasks,
  setTaskState,
  updateTaskBodies,
} from './task-writes.ts';
import type { TaskContext } from './tasks.ts';

/**
 * Writes the planned tasks to HubSpot: creates new ones (finding first, by reference token, those
 * an earlier attempt sent without storing the answer), updates tasks that got more misses and
 * associates each task to its calls. Returns how long to wait when HubSpot's search cannot see
 * earlier creates yet.
 */
export async function flushTasks(
  tc: TaskContext,
  callsByTask: Map<string, FollowUpCall[]>,
  searchIndexDelayMs: number,
): Promise<{ retryInMs: number | null }> {
  const creating = await tasksIn(tc, 'creating');
  const earlier = creating.filter((t) => !callsByTask.has(t.id));
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
  const planned = [...callsByTask.keys()];
  const open = planned.length ? (await tasksIn(tc, 'open', planned)).filter((t) => t.hubspot_task_id) : [];
  const pairs = open.flatMap((t) =>
    (callsByTask.get(t.id) ?? []).map((c) => ({ taskId: t.hubspot_task_id!, callId: c.hubspotCallId })),
  );
  await associateTasksToCalls(tc.client, pairs);
  return { retryInMs: null };
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

/** Tasks in a state: `creating` ones, open ones with a pending update, or the open ones of `ids`. */
async function tasksIn(
  tc: TaskContext,
  state: FollowUpTask['state'],
  ids?: string[],
): Promise<FollowUpTask[]> {
  let query = tc.db
    .selectFrom('follow_up_tasks')
    .selectAll()
    .where('installation_id', '=', tc.installationId)
    .where('state', '=', state);
  if (ids) query = query.where('id', 'in', ids);
  else if (state === 'open') query = query.where('pending_update', '=', true);
  return query.execute();
}
