import type { PortalClient } from '../hubspot/client.ts';
import { listAllOwners, listCallOutcomes } from '../hubspot/api.ts';
import type { Db } from '../platform/db/database.ts';

/** Reads every owner of the portal and stores them; owners gone from HubSpot become archived. */
export async function refreshOwners(db: Db, installationId: string, client: PortalClient): Promise<number> {
  const owners = await listAllOwners(client);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('hubspot_owners')
      .set({ archived: true })
      .where('installation_id', '=', installationId)
      .execute();
    for (const owner of owners) {
      const row = {
        email: owner.email?.trim().toLowerCase() ?? null,
        first_name: owner.firstName ?? null,
        last_name: owner.lastName ?? null,
        user_id: owner.userId ?? null,
        archived: owner.archived ?? false,
        updated_at: new Date(),
      };
      await trx
        .insertInto('hubspot_owners')
        .values({ installation_id: installationId, owner_id: owner.id, ...row })
        .onConflict((oc) => oc.columns(['installation_id', 'owner_id']).doUpdateSet(row))
        .execute();
    }
  });
  return owners.length;
}

/** Reads the portal's call outcomes and stores them; deleted ones are kept but flagged. */
export async function refreshOutcomes(db: Db, installationId: string, client: PortalClient): Promise<number> {
  const outcomes = await listCallOutcomes(client);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('hubspot_outcomes')
      .set({ deleted: true })
      .where('installation_id', '=', installationId)
      .execute();
    for (const outcome of outcomes) {
      const row = { label: outcome.label, deleted: outcome.deleted ?? false, updated_at: new Date() };
      await trx
        .insertInto('hubspot_outcomes')
        .values({ installation_id: installationId, outcome_id: outcome.id, ...row })
        .onConflict((oc) => oc.columns(['installation_id', 'outcome_id']).doUpdateSet(row))
        .execute();
    }
  });
  return outcomes.length;
}
