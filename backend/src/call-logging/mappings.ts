import { sql } from 'kysely';
import type { ActivityEntry } from '../activity/record.ts';
import type { DialerCall } from '../dialer/index.ts';
import { upsertAgents, upsertDispositions } from '../dialer-connection/mirror.ts';
import { autoMap } from '../mappings/auto-map.ts';
import type { Db } from '../platform/db/database.ts';
import { jsonColumn } from '../platform/db/json-column.ts';
import { DEFAULT_OUTCOMES, outcomeLabelForStatus } from './properties.ts';

export interface Mappings {
  ownerFor(call: DialerCall, activity: ActivityEntry[]): string | null;
  outcomeFor(call: DialerCall, activity: ActivityEntry[]): string | null;
  listName(listId: string | null): string | null;
  /** Lists the calls name that the mirror does not know yet (filled in later, never awaited). */
  unknownLists: string[];
}

/** The portal's mapping tables as the pipeline reads them (ids only). */
interface Snapshot {
  ownerByAgent: Map<string, string | null>;
  outcomeByDisposition: Map<string, string | null>;
  outcomeByLabel: Map<string, string>;
  listById: Map<string, string>;
}

/** Resolves calls against the portal's mappings, read once per job (one statement) and reused. */
export type MappingsLoader = (calls: DialerCall[]) => Promise<Mappings>;

/**
 * The portal's agent, disposition and list mappings from our own tables only: a call never waits
 * for a Dialer.io read. They are read in one statement when the job first needs them; agents and
 * dispositions seen for the first time in a call are stored and auto-mapped, then read again.
 */
export function mappingsLoader(db: Db, installationId: string): MappingsLoader {
  let snapshot: Snapshot | undefined;
  return async (calls) => {
    snapshot ??= await readSnapshot(db, installationId);
    const newAgents = new Map(
      calls.flatMap((c) =>
        c.agent && !snapshot!.ownerByAgent.has(c.agent.id) ? [[c.agent.id, c.agent] as const] : [],
      ),
    );
    const newDispositions = new Map(
      calls.flatMap((c) =>
        c.disposition && !snapshot!.outcomeByDisposition.has(c.disposition.id)
          ? [[c.disposition.id, c.disposition] as const]
          : [],
      ),
    );
    if (newAgents.size > 0 || newDispositions.size > 0) {
      await storeAndAutoMap(db, installationId, [...newAgents.values()], [...newDispositions.values()]);
      snapshot = await readSnapshot(db, installationId);
    }
    return resolver(snapshot, calls);
  };
}

async function readSnapshot(db: Db, installationId: string): Promise<Snapshot> {
  const { rows } = await sql<{
    agents: { id: string; owner: string | null }[];
    dispositions: { id: string; outcome: string | null }[];
    outcomes: { id: string; label: string }[];
    lists: { id: string; name: string }[];
  }>`
    select
      (select coalesce(json_agg(json_build_object('id', agent_id, 'owner', owner_id)), '[]')
         from dialer_agents where installation_id = ${installationId}) as agents,
      (select coalesce(json_agg(json_build_object('id', disposition_id, 'outcome', outcome_id)), '[]')
         from dialer_dispositions where installation_id = ${installationId}) as dispositions,
      (select coalesce(json_agg(json_build_object('id', outcome_id, 'label', label)), '[]')
         from hubspot_outcomes where installation_id = ${installationId} and not deleted) as outcomes,
      (select coalesce(json_agg(json_build_object('id', list_id, 'name', name)), '[]')
         from dialer_lists where installation_id = ${installationId}) as lists
  `.execute(db);
  const row = rows[0]!;
  const agents = jsonColumn<typeof row.agents>(row.agents);
  const dispositions = jsonColumn<typeof row.dispositions>(row.dispositions);
  const outcomes = jsonColumn<typeof row.outcomes>(row.outcomes);
  const lists = jsonColumn<typeof row.lists>(row.lists);
  return {
    ownerByAgent: new Map(agents.map((a) => [a.id, a.owner])),
    outcomeByDisposition: new Map(dispositions.map((d) => [d.id, d.outcome])),
    outcomeByLabel: new Map(outcomes.map((o) => [o.label.toLowerCase(), o.id])),
    listById: new Map(lists.map((l) => [l.id, l.name])),
  };
}

/** Agents and dispositions made in Dialer.io since the last refresh (category unknown until then). */
async function storeAndAutoMap(
  db: Db,
  installationId: string,
  agents: NonNullable<DialerCall['agent']>[],
  dispositions: NonNullable<DialerCall['disposition']>[],
): Promise<void> {
  await upsertAgents(
    db,
    installationId,
    agents.map((a) => ({ ...a, status: 'active' as const })),
  );
  await upsertDispositions(
    db,
    installationId,
    dispositions.map((d) => ({ ...d, category: 'other' as const })),
  );
  await autoMap(db, installationId);
}

function resolver(snapshot: Snapshot, calls: DialerCall[]): Mappings {
  const { ownerByAgent, outcomeByDisposition, outcomeByLabel, listById } = snapshot;
  return {
    ownerFor(call, activity) {
      if (!call.agent) return null;
      const ownerId = ownerByAgent.get(call.agent.id) ?? null;
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
        const outcomeId = outcomeByDisposition.get(call.disposition.id) ?? null;
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
          message: `The disposition "${call.disposition.name}" has no HubSpot call outcome: the call is logged without one until it has. Create the outcome '${call.disposition.name}' in HubSpot, then refresh the dispositions in Dialer Sync: recent calls then get it.`,
          details: { dispositionId: call.disposition.id },
        });
        return null;
      }
      // No disposition at all: the outcome follows the call's status, whenever the events came.
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
