import type { ActivityEntry } from '../activity/record.ts';
import type { DialerCall } from '../dialer/index.ts';
import { upsertAgents, upsertDispositions } from '../dialer-connection/mirror.ts';
import { autoMap } from '../mappings/auto-map.ts';
import type { Db } from '../platform/db/database.ts';
import { DEFAULT_OUTCOMES, outcomeLabelForStatus } from './properties.ts';

export interface Mappings {
  ownerFor(call: DialerCall, activity: ActivityEntry[]): string | null;
  outcomeFor(call: DialerCall, activity: ActivityEntry[]): string | null;
  listName(listId: string | null): string | null;
  /** Lists the calls name that the mirror does not know yet (filled in later, never awaited). */
  unknownLists: string[];
}

/**
 * Loads the portal's agent, disposition and list mappings once per batch, from our own tables
 * only: a call never waits for a Dialer.io read. Agents and dispositions seen for the first time
 * in a call are stored and auto-mapped before the batch is resolved.
 */
export async function loadMappings(db: Db, installationId: string, calls: DialerCall[]): Promise<Mappings> {
  const agentIds = [...new Set(calls.flatMap((c) => (c.agent ? [c.agent.id] : [])))];
  const knownAgents = agentIds.length
    ? await db
        .selectFrom('dialer_agents')
        .select('agent_id')
        .where('installation_id', '=', installationId)
        .where('agent_id', 'in', agentIds)
        .execute()
    : [];
  const known = new Set(knownAgents.map((a) => a.agent_id));
  const newAgents = new Map(
    calls.flatMap((c) => (c.agent && !known.has(c.agent.id) ? [[c.agent.id, c.agent] as const] : [])),
  );
  const newDispositions = await unknownDispositions(db, installationId, calls);
  if (newAgents.size > 0 || newDispositions.length > 0) {
    await upsertAgents(
      db,
      installationId,
      [...newAgents.values()].map((a) => ({ ...a, status: 'active' as const })),
    );
    // Made in Dialer.io since the last refresh: stored (category unknown until then) and auto-mapped.
    await upsertDispositions(
      db,
      installationId,
      newDispositions.map((d) => ({ ...d, category: 'other' as const })),
    );
    await autoMap(db, installationId);
  }
  const [agents, dispositions, outcomes, lists] = await Promise.all([
    db
      .selectFrom('dialer_agents')
      .select(['agent_id', 'name', 'email', 'owner_id'])
      .where('installation_id', '=', installationId)
      .execute(),
    db
      .selectFrom('dialer_dispositions')
      .select(['disposition_id', 'name', 'outcome_id'])
      .where('installation_id', '=', installationId)
      .execute(),
    db
      .selectFrom('hubspot_outcomes')
      .select(['outcome_id', 'label'])
      .where('installation_id', '=', installationId)
      .where('deleted', '=', false)
      .execute(),
    db
      .selectFrom('dialer_lists')
      .select(['list_id', 'name'])
      .where('installation_id', '=', installationId)
      .execute(),
  ]);
  const agentById = new Map(agents.map((a) => [a.agent_id, a]));
  const dispositionById = new Map(dispositions.map((d) => [d.disposition_id, d]));
  const outcomeByLabel = new Map(outcomes.map((o) => [o.label.toLowerCase(), o.outcome_id]));
  const listById = new Map(lists.map((l) => [l.list_id, l.name]));

  return {
    ownerFor(call, activity) {
      if (!call.agent) return null;
      const ownerId = agentById.get(call.agent.id)?.owner_id ?? null;
      activity.push(
        ownerId
          ? {
              callId: call.id,
              level: 'info',
              step: 'owner_resolved',
              message: `Owner ${ownerId} from agent ${call.agent.name}.`,
            }
          : {
              callId: call.id,
              level: 'warning',
              step: 'owner_unmapped',
              message: `Agent ${call.agent.name} (${call.agent.email}) has no HubSpot owner: the call is logged without an owner. Map the agent in the Dialer Sync settings.`,
              details: { agentId: call.agent.id },
            },
      );
      return ownerId;
    },
    outcomeFor(call, activity) {
      if (call.disposition) {
        const outcomeId = dispositionById.get(call.disposition.id)?.outcome_id ?? null;
        if (outcomeId) {
          activity.push({
            callId: call.id,
            level: 'info',
            step: 'outcome_resolved',
            message: `Outcome ${outcomeId} from disposition "${call.disposition.name}".`,
          });
          return outcomeId;
        }
        activity.push({
          callId: call.id,
          level: 'warning',
          step: 'outcome_unmapped',
          message: `The disposition "${call.disposition.name}" has no HubSpot call outcome: the call keeps the outcome of its status. Create the outcome '${call.disposition.name}' in HubSpot, then refresh the dispositions in Dialer Sync.`,
          details: { dispositionId: call.disposition.id },
        });
      }
      // No (mapped) disposition: the outcome follows the call's status, whenever the events came.
      const label = outcomeLabelForStatus(call.status);
      if (!label) return null;
      const outcomeId = outcomeByLabel.get(label.toLowerCase()) ?? DEFAULT_OUTCOMES[label];
      activity.push({
        callId: call.id,
        level: 'info',
        step: 'outcome_resolved',
        message: `Outcome "${label}" from the call status (${call.status}).`,
      });
      return outcomeId;
    },
    listName: (listId) => (listId ? (listById.get(listId) ?? null) : null),
    unknownLists: [
      ...new Set(calls.flatMap((c) => (c.list_id && !listById.has(c.list_id) ? [c.list_id] : []))),
    ],
  };
}

async function unknownDispositions(db: Db, installationId: string, calls: DialerCall[]) {
  const seen = new Map(
    calls.flatMap((c) => (c.disposition ? [[c.disposition.id, c.disposition] as const] : [])),
  );
  if (seen.size === 0) return [];
  const known = await db
    .selectFrom('dialer_dispositions')
    .select('disposition_id')
    .where('installation_id', '=', installationId)
    .where('disposition_id', 'in', [...seen.keys()])
    .execute();
  for (const row of known) seen.delete(row.disposition_id);
  return [...seen.values()];
}
