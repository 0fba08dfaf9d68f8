import { sql } from 'kysely';
import { recordActivity } from '../activity/record.ts';
import type { MappingSource } from '../dialer-connection/dialer-connection.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { MappingError } from './errors.ts';
import { ownerBackfillJob } from './job-specs.ts';

export type AgentState = 'mapped' | 'waiting' | 'disabled';

export interface AgentItem {
  agentId: string;
  name: string;
  email: string | null;
  status: string;
  ownerId: string | null;
  ownerName: string | null;
  state: AgentState;
  mappingSource: MappingSource;
  lastCallAt: string | null;
}

export interface OwnerItem {
  id: string;
  email: string | null;
  name: string;
}

/** Disabled in Dialer.io first; otherwise mapped when it has an owner, else waiting for one. */
export function agentState(agent: { status: string; owner_id: string | null }): AgentState {
  if (agent.status === 'disabled') return 'disabled';
  return agent.owner_id ? 'mapped' : 'waiting';
}

export function ownerDisplayName(owner: {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}): string {
  const name = [owner.first_name, owner.last_name].filter((part) => part?.trim()).join(' ');
  return name || owner.email || '';
}

const agentIdOfCall = sql<string>`data->'agent'->>'id'`;

/** The portal's agents, their owners and the time of their last call, by name. */
export async function listAgents(db: Db, installationId: string, agentId?: string): Promise<AgentItem[]> {
  const lastCalls = db
    .selectFrom('calls')
    .select([
      agentIdOfCall.as('agent_id'),
      sql<Date | string | null>`max(coalesce(started_at, created_at))`.as('last_call_at'),
    ])
    .where('installation_id', '=', installationId)
    .groupBy(agentIdOfCall);
  let query = db
    .selectFrom('dialer_agents as a')
    .leftJoin('hubspot_owners as o', (join) =>
      join.onRef('o.installation_id', '=', 'a.installation_id').onRef('o.owner_id', '=', 'a.owner_id'),
    )
    .leftJoin(lastCalls.as('lc'), 'lc.agent_id', 'a.agent_id')
    .select([
      'a.agent_id',
      'a.name',
      'a.email',
      'a.status',
      'a.owner_id',
      'a.mapping_source',
      'o.first_name',
      'o.last_name',
      'o.email as owner_email',
      'lc.last_call_at',
    ])
    .where('a.installation_id', '=', installationId);
  if (agentId !== undefined) query = query.where('a.agent_id', '=', agentId);
  const rows = await query.orderBy('a.name').orderBy('a.agent_id').execute();
  return rows.map((row) => ({
    agentId: row.agent_id,
    name: row.name,
    email: row.email,
    status: row.status,
    ownerId: row.owner_id,
    ownerName: row.owner_id
      ? ownerDisplayName({ first_name: row.first_name, last_name: row.last_name, email: row.owner_email })
      : null,
    state: agentState(row),
    mappingSource: row.mapping_source,
    lastCallAt: row.last_call_at ? new Date(row.last_call_at).toISOString() : null,
  }));
}

/** HubSpot users of the portal who can own calls (archived ones left out), by name. */
export async function listOwners(db: Db, installationId: string): Promise<OwnerItem[]> {
  const rows = await db
    .selectFrom('hubspot_owners')
    .select(['owner_id', 'email', 'first_name', 'last_name'])
    .where('installation_id', '=', installationId)
    .where('archived', '=', false)
    .execute();
  return rows
    .map((row) => ({ id: row.owner_id, email: row.email, name: ownerDisplayName(row) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * An admin's mapping: the agent gets this owner (or none) for good; auto-matching never replaces
 * it. A new owner also reaches the agent's recent calls that were logged without one.
 */
export async function setAgentOwner(
  ctx: AppContext,
  installationId: string,
  agentId: string,
  ownerId: string | null,
  userId: number | null,
): Promise<AgentItem> {
  await ctx.db.transaction().execute(async (trx) => {
    const agent = await trx
      .selectFrom('dialer_agents')
      .select(['name', 'owner_id', 'mapping_source'])
      .where('installation_id', '=', installationId)
      .where('agent_id', '=', agentId)
      .forUpdate()
      .executeTakeFirst();
    if (!agent) throw new MappingError('unknown_agent', `No Dialer.io agent ${agentId} in this portal.`);
    const owner = ownerId ? await findLiveOwner(trx, installationId, ownerId) : null;
    // The same mapping again (a replayed request, a second click): nothing to change or record.
    if (agent.owner_id === ownerId && agent.mapping_source === 'manual') return;
    await trx
      .updateTable('dialer_agents')
      .set({ owner_id: ownerId, mapping_source: 'manual', updated_at: new Date() })
      .where('installation_id', '=', installationId)
      .where('agent_id', '=', agentId)
      .execute();
    await recordActivity(trx, installationId, [
      {
        level: 'info',
        step: 'agent_mapping_changed',
        message: owner
          ? `Agent ${agent.name} mapped to the HubSpot owner ${ownerDisplayName(owner)} by hand: automatic matching will not change it.`
          : `Agent ${agent.name} unmapped by hand: its calls are logged without an owner, and automatic matching will not change it.`,
        details: { agentId, ownerId, userId },
      },
    ]);
    if (owner)
      await ctx.queue.send(ownerBackfillJob, { installationId }, { trx, singletonKey: installationId });
  });
  return (await listAgents(ctx.db, installationId, agentId))[0]!;
}

async function findLiveOwner(db: Db, installationId: string, ownerId: string) {
  const owner = await db
    .selectFrom('hubspot_owners')
    .select(['owner_id', 'email', 'first_name', 'last_name'])
    .where('installation_id', '=', installationId)
    .where('owner_id', '=', ownerId)
    .where('archived', '=', false)
    .executeTakeFirst();
  if (!owner)
    throw new MappingError(
      'unknown_owner',
      `${ownerId} is not a HubSpot owner of this portal. Pick one from the owners list; if the user was added to HubSpot just now, refresh the agents first.`,
    );
  return owner;
}
