import type { Db } from '../platform/db/database.ts';

/**
 * "No-Answer", "no answer" and " No  answer! " are the same name: case, accents, spacing and
 * punctuation are ignored; letters of any script count. A name of punctuation only becomes "".
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Maps agents to HubSpot owners by email (trimmed, any case) and dispositions to call outcomes
 * by name. Manual mappings are never touched; an auto mapping follows the data.
 */
export async function autoMap(db: Db, installationId: string): Promise<void> {
  const owners = await db
    .selectFrom('hubspot_owners')
    .select(['owner_id', 'email'])
    .where('installation_id', '=', installationId)
    .where('archived', '=', false)
    .execute();
  const ownerByEmail = new Map(
    owners.filter((o) => o.email).map((o) => [o.email!.trim().toLowerCase(), o.owner_id]),
  );
  const agents = await db
    .selectFrom('dialer_agents')
    .select(['agent_id', 'email', 'owner_id', 'mapping_source'])
    .where('installation_id', '=', installationId)
    .where('mapping_source', '!=', 'manual')
    .execute();
  for (const agent of agents) {
    const ownerId = agent.email ? (ownerByEmail.get(agent.email.trim().toLowerCase()) ?? null) : null;
    const source = ownerId ? 'auto' : 'none';
    if (ownerId === agent.owner_id && source === agent.mapping_source) continue;
    await db
      .updateTable('dialer_agents')
      .set({ owner_id: ownerId, mapping_source: source, updated_at: new Date() })
      .where('installation_id', '=', installationId)
      .where('agent_id', '=', agent.agent_id)
      .execute();
  }

  const outcomes = await db
    .selectFrom('hubspot_outcomes')
    .select(['outcome_id', 'label'])
    .where('installation_id', '=', installationId)
    .where('deleted', '=', false)
    .orderBy('outcome_id')
    .execute();
  const outcomeByName = new Map<string, string>();
  for (const outcome of outcomes) {
    const key = normaliseName(outcome.label);
    if (key && !outcomeByName.has(key)) outcomeByName.set(key, outcome.outcome_id);
  }
  const dispositions = await db
    .selectFrom('dialer_dispositions')
    .select(['disposition_id', 'name', 'outcome_id', 'mapping_source'])
    .where('installation_id', '=', installationId)
    .where('mapping_source', '!=', 'manual')
    .execute();
  for (const disposition of dispositions) {
    const key = normaliseName(disposition.name);
    const outcomeId = (key && outcomeByName.get(key)) || null;
    const source = outcomeId ? 'auto' : 'none';
    if (outcomeId === disposition.outcome_id && source === disposition.mapping_source) continue;
    await db
      .updateTable('dialer_dispositions')
      .set({ outcome_id: outcomeId, mapping_source: source, updated_at: new Date() })
      .where('installation_id', '=', installationId)
      .where('disposition_id', '=', disposition.disposition_id)
      .execute();
  }
}
