import { sql } from 'kysely';
import type { ActivityEntry } from '../activity/record.ts';
import { normalisePhone } from '../phone/index.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Db } from '../platform/db/database.ts';
import type { FollowUpTask } from './call-follow-up.table.ts';
import type { ContactCreation } from './contact-creation.ts';
import { readContacts } from './contacts.ts';
import { createUnknownCallers } from './unknown-callers.ts';
import {
  agentBody,
  callTime,
  episodeKey,
  isAnswered,
  isMiss,
  missKey,
  missedBody,
  newEpisode,
  type Episode,
  type FollowUpCall,
} from './episodes.ts';
import type { MissedCallSettings } from './settings.ts';
import { finishedTasks, setTaskState } from './task-writes.ts';

/** Calls older than this when first seen (a backlog, a new install) get rollups but no task. */
const TASK_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface TaskContext {
  db: Db;
  installationId: string;
  client: PortalClient;
  settings: MissedCallSettings;
  creation: ContactCreation;
  country: string;
  activity: ActivityEntry[];
  now: number;
  /** How long HubSpot's search takes to show a new object. */
  searchIndexDelayMs: number;
}

/**
 * Plans the follow-up tasks of calls that now have their final status, in call order: a miss
 * opens an episode for its number or adds to the open one; an answered call with the number ends
 * it; a call of an agent with no HubSpot owner opens (or counts in) that agent's episode. Open
 * tasks are read back from HubSpot first: one completed there ends its episode. Returns the
 * episodes for `storeEpisodes`; the HubSpot writes happen in `flushTasks`.
 */
export async function planTasks(tc: TaskContext, calls: FollowUpCall[]): Promise<Episode[]> {
  const recent = calls
    .filter((c) => tc.now - callTime(c.call).getTime() < TASK_WINDOW_MS)
    .sort((a, b) => callTime(a.call).getTime() - callTime(b.call).getTime());
  const unmapped = await unmappedAgents(tc, recent);
  const episodes = await openEpisodes(tc, recent, unmapped);
  for (const c of recent) {
    const missedKey = episodeKey('missed', missKey(c));
    if (isMiss(c.call)) addMiss(tc, episodes, missedKey, c);
    else if (isAnswered(c.call)) endEpisode(episodes, missedKey, 'answered');
    if (c.call.agent && unmapped.has(c.call.agent.id)) addAgentCall(tc, episodes, c);
  }
  await resolveOwners(
    tc,
    [...episodes.values()].filter((e) => e.isNew && e.task.state !== 'closed'),
  );
  return [...episodes.values()];
}

async function unmappedAgents(tc: TaskContext, calls: FollowUpCall[]): Promise<Set<string>> {
  const ids = [...new Set(calls.flatMap((c) => (c.call.agent ? [c.call.agent.id] : [])))];
  if (ids.length === 0) return new Set();
  const rows = await tc.db
    .selectFrom('dialer_agents')
    .select('agent_id')
    .where('installation_id', '=', tc.installationId)
    .where('agent_id', 'in', ids)
    .where('owner_id', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.agent_id));
}

/** The open episodes these calls touch; those whose task was completed in HubSpot are closed. */
async function openEpisodes(tc: TaskContext, calls: FollowUpCall[], unmapped: Set<string>) {
  const keys = new Set(calls.map((c) => episodeKey('missed', missKey(c))));
  for (const c of calls)
    if (c.call.agent && unmapped.has(c.call.agent.id)) keys.add(episodeKey('agent', c.call.agent.id));
  const episodes = new Map<string, Episode>();
  if (keys.size === 0) return episodes;
  const rows = await tc.db
    .selectFrom('follow_up_tasks')
    .selectAll()
    .where('installation_id', '=', tc.installationId)
    .where('state', '<>', 'closed')
    .where(sql<string>`kind || '|' || episode_key`, 'in', [...keys])
    .execute();
  const touched = rows.filter((r) => r.state === 'open' && r.hubspot_task_id);
  const finished = touched.length
    ? await finishedTasks(
        tc.client,
        touched.map((r) => r.hubspot_task_id!),
      )
    : new Set();
  for (const row of rows) {
    if (row.hubspot_task_id && finished.has(row.hubspot_task_id)) {
      await setTaskState(tc.db, tc.installationId, row.id, {
        state: 'closed',
        closed_reason: 'completed_in_hubspot',
      });
      continue;
    }
    episodes.set(episodeKey(row.kind, row.episode_key), {
      task: row,
      isNew: false,
      changed: false,
      calls: [],
    });
  }
  return episodes;
}

function addMiss(tc: TaskContext, episodes: Map<string, Episode>, key: string, c: FollowUpCall) {
  const open = episodes.get(key);
  if (open && open.task.state !== 'closed') {
    open.task.miss_count += 1;
    open.task.last_call_at = callTime(c.call);
    open.task.body = missedBody(
      displayNumber(tc, c),
      open.task.created_at,
      line(tc, c),
      open.task.miss_count,
      callTime(c.call),
    );
    open.task.pending_update = !open.isNew;
    open.changed = true;
    open.calls.push(c);
    return;
  }
  const at = callTime(c.call);
  const episode = newEpisode(tc.installationId, 'missed', missKey(c), c, {
    subject: `Call back ${displayNumber(tc, c)}`,
    body: missedBody(displayNumber(tc, c), at, line(tc, c), 1, at),
    dueAt: new Date(at.getTime() + tc.settings.dueMinutes * 60_000),
  });
  episode.task.created_at = at;
  episodes.set(key, episode);
}

function endEpisode(episodes: Map<string, Episode>, key: string, reason: string) {
  const open = episodes.get(key);
  if (!open || open.task.state === 'closed') return;
  open.task.state = 'closed';
  open.task.closed_reason = reason;
  open.changed = true;
}

function addAgentCall(tc: TaskContext, episodes: Map<string, Episode>, c: FollowUpCall) {
  const agent = c.call.agent!;
  const key = episodeKey('agent', agent.id);
  const open = episodes.get(key);
  if (open && open.task.state !== 'closed') {
    open.task.miss_count += 1;
    open.task.last_call_at = callTime(c.call);
    open.changed = true;
    return;
  }
  const episode = newEpisode(tc.installationId, 'agent', agent.id, c, {
    subject: `Map Dialer.io agent ${agent.name}`,
    body: agentBody(agent, 1),
    dueAt: new Date(tc.now + tc.settings.dueMinutes * 60_000),
  });
  episode.task.owner_id = tc.settings.fallbackOwnerId;
  episodes.set(key, episode);
}

const displayNumber = (tc: TaskContext, c: FollowUpCall) =>
  c.phoneE164 ?? normalisePhone(c.call.from_number, tc.country)?.e164 ?? c.call.from_number;
const line = (tc: TaskContext, c: FollowUpCall) =>
  normalisePhone(c.call.to_number, tc.country)?.e164 ?? c.call.to_number;

/**
 * Owner and subject of new missed-call episodes: a known contact's owner, else the agent's owner,
 * else the fallback owner. An unknown number's task goes to the fallback owner (the "top
 * manager"), else the agent's owner; it becomes a contact when contact sync's `creation` is
 * "both", otherwise the task carries the number.
 */
async function resolveOwners(tc: TaskContext, fresh: Episode[]) {
  const missed = fresh.filter((e) => e.task.kind === 'missed');
  const unknown = missed.filter((e) => !e.task.contact_id);
  const unknownWithNumber = unknown.filter((e) => e.task.phone_e164);
  if (tc.creation === 'both' && unknownWithNumber.length > 0) {
    const created = await createUnknownCallers(
      tc,
      unknownWithNumber.map((e) => e.calls[0]!),
    );
    for (const e of unknownWithNumber) e.task.contact_id = created.get(e.task.phone_e164!) ?? null;
  }
  const known = missed.filter((e) => e.task.contact_id);
  const contacts = await readContacts(
    tc.client,
    known.map((e) => e.task.contact_id!),
  );
  for (const e of missed) {
    const contact = e.task.contact_id ? contacts.get(e.task.contact_id) : undefined;
    if (contact?.name) e.task.subject = `Call back ${contact.name}`;
    const agentOwner = e.calls[0]!.agentOwnerId;
    e.task.owner_id = unknown.includes(e)
      ? tc.settings.fallbackOwnerId || agentOwner
      : contact?.ownerId || agentOwner || tc.settings.fallbackOwnerId;
  }
}

/**
 * Stores planned episodes: new tasks (state `creating`), changes to open ones, and which calls
 * belong to each task (associated in HubSpot by `flushTasks`, however many attempts that takes).
 */
export async function storeEpisodes(db: Db, installationId: string, episodes: Episode[]) {
  for (const { task, isNew, changed } of episodes) {
    if (isNew && task.state !== 'closed') await db.insertInto('follow_up_tasks').values(task).execute();
    if (isNew || !changed) continue;
    await db
      .updateTable('follow_up_tasks')
      .set({
        state: task.state,
        closed_reason: task.closed_reason,
        miss_count: task.miss_count,
        last_call_at: task.last_call_at,
        body: task.body,
        pending_update: task.pending_update,
        updated_at: new Date(),
      })
      .where('installation_id', '=', installationId)
      .where('id', '=', task.id)
      .execute();
  }
  const members = episodes
    .filter((e) => !e.isNew || e.task.state !== 'closed')
    .flatMap((e) =>
      e.calls.map((c) => ({
        installation_id: installationId,
        task_id: e.task.id,
        call_id: c.callId,
        hubspot_call_id: c.hubspotCallId,
      })),
    );
  if (members.length)
    await db
      .insertInto('follow_up_task_calls')
      .values(members)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export type { FollowUpTask };
