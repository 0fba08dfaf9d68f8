import type { PortalClient } from '../hubspot/client.ts';
import type { HubSpotError } from '../hubspot/errors.ts';
import { ASSOCIATION_TYPES } from '../hubspot/paths.ts';
import type { Db } from '../platform/db/database.ts';
import type { FollowUpTask } from './call-follow-up.table.ts';
import { chunks, sendInBatches } from './batches.ts';
import { objectsAnswer } from './hubspot-objects.ts';

/** The token in a task's body that finds it again when HubSpot's answer to the create was lost. */
export const referenceToken = (taskId: string) => `ds${taskId.replace(/-/g, '')}`;

/**
 * Reads the status of open tasks in HubSpot (100 per request): the ids that are completed or
 * gone (deleted in HubSpot). Those episodes are over; the next miss starts a new task.
 */
export async function finishedTasks(client: PortalClient, hubspotTaskIds: string[]): Promise<Set<string>> {
  const finished = new Set<string>();
  for (const chunk of chunks([...new Set(hubspotTaskIds)])) {
    const answer = objectsAnswer.parse(
      await client.send('batchReadTasks', {
        body: { inputs: chunk.map((id) => ({ id })), properties: ['hs_task_status'] },
      }),
    );
    const status = new Map(answer.results.map((r) => [r.id, r.properties.hs_task_status]));
    for (const id of chunk) if (!status.has(id) || status.get(id) === 'COMPLETED') finished.add(id);
  }
  return finished;
}

function taskProperties(task: FollowUpTask) {
  return {
    hs_task_subject: task.subject,
    hs_task_body: `${task.body}\n\nReference: ${referenceToken(task.id)}`,
    hs_task_type: 'CALL',
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: task.kind === 'missed' ? 'HIGH' : 'MEDIUM',
    hs_timestamp: String(new Date(task.due_at).getTime()),
    hubspot_owner_id: task.owner_id ?? '',
  };
}

/**
 * Creates tasks in state `creating` (marked before the request goes out, so a lost answer is
 * found again by its reference token instead of creating the task twice), associated to their
 * contact inline. Returns task id → HubSpot task id.
 */
export async function createTasks(
  client: PortalClient,
  tasks: FollowUpTask[],
  refused: (task: FollowUpTask, error: HubSpotError) => Promise<void>,
): Promise<Map<string, string>> {
  const created = new Map<string, string>();
  await sendInBatches(
    tasks,
    async (chunk) => {
      const answer = objectsAnswer.parse(
        await client.send('batchCreateTasks', {
          body: {
            inputs: chunk.map((task) => ({
              properties: taskProperties(task),
              associations: task.contact_id
                ? [
                    {
                      to: { id: task.contact_id },
                      types: [
                        {
                          associationCategory: 'HUBSPOT_DEFINED',
                          associationTypeId: ASSOCIATION_TYPES.taskToContact,
                        },
                      ],
                    },
                  ]
                : [],
            })),
          },
        }),
      );
      const byToken = new Map(chunk.map((t) => [referenceToken(t.id), t.id]));
      for (const result of answer.results) {
        const token = result.properties.hs_task_body?.match(/Reference: (ds[0-9a-f]+)/)?.[1];
        const id = token ? byToken.get(token) : undefined;
        if (id) created.set(id, result.id);
      }
    },
    refused,
  );
  return created;
}

/** Finds tasks whose create was sent but whose answer we never stored, by their reference token. */
export async function recoverTasks(
  client: PortalClient,
  tasks: FollowUpTask[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < tasks.length; i += 5) {
    const group = tasks.slice(i, i + 5);
    const answer = objectsAnswer.parse(
      await client.send('searchTasks', {
        body: {
          filterGroups: group.map((t) => ({
            filters: [
              { propertyName: 'hs_task_body', operator: 'CONTAINS_TOKEN', value: referenceToken(t.id) },
            ],
          })),
          properties: ['hs_task_body'],
          limit: 100,
        },
      }),
    );
    for (const task of group) {
      const hit = answer.results.find((r) => r.properties.hs_task_body?.includes(referenceToken(task.id)));
      if (hit) found.set(task.id, hit.id);
    }
  }
  return found;
}

/**
 * Rewrites the body (count, last time) of open tasks that got more misses. Returns the HubSpot
 * ids it no longer has; a task HubSpot refuses to change keeps its old body.
 */
export async function updateTaskBodies(client: PortalClient, tasks: FollowUpTask[]): Promise<Set<string>> {
  const gone = new Set<string>();
  await sendInBatches(
    tasks,
    async (chunk) => {
      const answer = objectsAnswer.parse(
        await client.send('batchUpdateTasks', {
          body: {
            inputs: chunk.map((t) => ({
              id: t.hubspot_task_id,
              properties: { hs_task_body: taskProperties(t).hs_task_body, hs_task_subject: t.subject },
            })),
          },
        }),
      );
      const updated = new Set(answer.results.map((r) => r.id));
      for (const t of chunk) if (!updated.has(t.hubspot_task_id!)) gone.add(t.hubspot_task_id!);
    },
    () => undefined,
  );
  return gone;
}

/** Associates each task to the calls of its episode (HubSpot's default association). */
export async function associateTasksToCalls(
  client: PortalClient,
  pairs: { taskId: string; callId: string }[],
) {
  // A call or task deleted in HubSpot meanwhile: that one association is skipped.
  await sendInBatches(
    pairs,
    async (chunk) => {
      await client.send('batchAssociateTasksToCallsDefault', {
        body: { inputs: chunk.map((p) => ({ from: { id: p.taskId }, to: { id: p.callId } })) },
      });
    },
    () => undefined,
  );
}

export async function setTaskState(
  db: Db,
  installationId: string,
  id: string,
  change: Partial<Pick<FollowUpTask, 'state' | 'hubspot_task_id' | 'closed_reason' | 'pending_update'>>,
) {
  await db
    .updateTable('follow_up_tasks')
    .set({ ...change, updated_at: new Date() })
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .execute();
}
