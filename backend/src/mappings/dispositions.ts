import { recordActivity } from '../activity/record.ts';
import type { MappingSource } from '../dialer-connection/dialer-connection.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { ownerBackfillJob } from './job-specs.ts';
import { MappingError } from './errors.ts';

export interface DispositionItem {
  dispositionId: string;
  name: string;
  category: string;
  outcomeId: string | null;
  outcomeLabel: string | null;
  state: 'mapped' | 'unmapped';
  mappingSource: MappingSource;
}

export interface OutcomeItem {
  id: string;
  label: string;
}

/** The portal's Dialer.io dispositions and the HubSpot call outcome each one becomes, by name. */
export async function listDispositions(
  db: Db,
  installationId: string,
  dispositionId?: string,
): Promise<DispositionItem[]> {
  let query = db
    .selectFrom('dialer_dispositions as d')
    .leftJoin('hubspot_outcomes as o', (join) =>
      join.onRef('o.installation_id', '=', 'd.installation_id').onRef('o.outcome_id', '=', 'd.outcome_id'),
    )
    .select(['d.disposition_id', 'd.name', 'd.category', 'd.outcome_id', 'd.mapping_source', 'o.label'])
    .where('d.installation_id', '=', installationId);
  if (dispositionId !== undefined) query = query.where('d.disposition_id', '=', dispositionId);
  const rows = await query.orderBy('d.name').orderBy('d.disposition_id').execute();
  return rows.map((row) => ({
    dispositionId: row.disposition_id,
    name: row.name,
    category: row.category,
    outcomeId: row.outcome_id,
    outcomeLabel: row.outcome_id ? row.label : null,
    state: row.outcome_id ? 'mapped' : 'unmapped',
    mappingSource: row.mapping_source,
  }));
}

/** The portal's call outcomes that can be set on a call (deleted ones left out), by label. */
export async function listOutcomes(db: Db, installationId: string): Promise<OutcomeItem[]> {
  const rows = await db
    .selectFrom('hubspot_outcomes')
    .select(['outcome_id', 'label'])
    .where('installation_id', '=', installationId)
    .where('deleted', '=', false)
    .orderBy('label')
    .orderBy('outcome_id')
    .execute();
  return rows.map((row) => ({ id: row.outcome_id, label: row.label }));
}

/**
 * An admin's mapping: the disposition gets this outcome (or none) for good. A new outcome also
 * reaches the disposition's recent calls that were logged without one.
 */
export async function setDispositionOutcome(
  ctx: AppContext,
  installationId: string,
  dispositionId: string,
  outcomeId: string | null,
  userId: number | null,
): Promise<DispositionItem> {
  await ctx.db.transaction().execute(async (trx) => {
    const disposition = await trx
      .selectFrom('dialer_dispositions')
      .select(['name', 'outcome_id', 'mapping_source'])
      .where('installation_id', '=', installationId)
      .where('disposition_id', '=', dispositionId)
      .forUpdate()
      .executeTakeFirst();
    if (!disposition)
      throw new MappingError(
        'unknown_disposition',
        `No Dialer.io disposition ${dispositionId} in this portal.`,
      );
    const outcome = outcomeId ? await findLiveOutcome(trx, installationId, outcomeId) : null;
    // The same mapping again (a replayed request, a second click): nothing to change or record.
    if (disposition.outcome_id === outcomeId && disposition.mapping_source === 'manual') return;
    await trx
      .updateTable('dialer_dispositions')
      .set({ outcome_id: outcomeId, mapping_source: 'manual', updated_at: new Date() })
      .where('installation_id', '=', installationId)
      .where('disposition_id', '=', dispositionId)
      .execute();
    await recordActivity(trx, installationId, [
      {
        level: 'info',
        step: 'disposition_mapping_changed',
        message: outcome
          ? `Disposition "${disposition.name}" mapped to the HubSpot call outcome "${outcome.label}" by hand: automatic matching will not change it.`
          : `Disposition "${disposition.name}" unmapped by hand: its calls are logged without an outcome, and automatic matching will not change it.`,
        details: { dispositionId, outcomeId, userId },
      },
    ]);
    if (outcome)
      await ctx.queue.send(ownerBackfillJob, { installationId }, { trx, singletonKey: installationId });
  });
  return (await listDispositions(ctx.db, installationId, dispositionId))[0]!;
}

async function findLiveOutcome(db: Db, installationId: string, outcomeId: string) {
  const outcome = await db
    .selectFrom('hubspot_outcomes')
    .select(['outcome_id', 'label'])
    .where('installation_id', '=', installationId)
    .where('outcome_id', '=', outcomeId)
    .where('deleted', '=', false)
    .executeTakeFirst();
  if (!outcome)
    throw new MappingError(
      'unknown_outcome',
      `${outcomeId} is not a call outcome of this portal. Pick one from the outcomes list; if it was created in HubSpot just now, refresh the dispositions first.`,
    );
  return outcome;
}
