import type { DialerAgent, DialerDisposition, DialerList } from '../dialer/index.ts';
import type { Db } from '../platform/db/database.ts';

/** Stores Dialer.io's agents as they are now; their mapping columns are left alone. */
export async function upsertAgents(db: Db, installationId: string, agents: DialerAgent[]): Promise<void> {
  for (const agent of agents) {
    const row = {
      name: agent.name,
      email: agent.email?.trim().toLowerCase() ?? null,
      status: agent.status,
      updated_at: new Date(),
    };
    await db
      .insertInto('dialer_agents')
      .values({ installation_id: installationId, agent_id: agent.id, ...row })
      .onConflict((oc) => oc.columns(['installation_id', 'agent_id']).doUpdateSet(row))
      .execute();
  }
}

export async function upsertDispositions(
  db: Db,
  installationId: string,
  dispositions: DialerDisposition[],
): Promise<void> {
  for (const disposition of dispositions) {
    const row = { name: disposition.name, category: disposition.category, updated_at: new Date() };
    await db
      .insertInto('dialer_dispositions')
      .values({ installation_id: installationId, disposition_id: disposition.id, ...row })
      .onConflict((oc) => oc.columns(['installation_id', 'disposition_id']).doUpdateSet(row))
      .execute();
  }
}

/**
 * Mirrors Dialer.io's lists: upserts what exists and deletes what is gone, so two refreshes at
 * once (connect, the call pipeline, the workflow list cache) cannot collide.
 */
export async function replaceLists(
  db: Db,
  installationId: string,
  lists: DialerList[],
  updatedAt = new Date(),
): Promise<void> {
  let gone = db.deleteFrom('dialer_lists').where('installation_id', '=', installationId);
  if (lists.length > 0)
    gone = gone.where(
      'list_id',
      'not in',
      lists.map((list) => list.id),
    );
  await gone.execute();
  if (lists.length === 0) return;
  await db
    .insertInto('dialer_lists')
    .values(
      lists.map((list) => ({
        installation_id: installationId,
        list_id: list.id,
        name: list.name,
        kind: list.kind,
        archived: list.archived,
        contact_count: list.contact_count,
        updated_at: updatedAt,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['installation_id', 'list_id']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        kind: eb.ref('excluded.kind'),
        archived: eb.ref('excluded.archived'),
        contact_count: eb.ref('excluded.contact_count'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
