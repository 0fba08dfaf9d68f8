import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface OutcomelessCall {
  callId: string;
  hubspotCallId: string;
  outcomeId: string;
  outcomeLabel: string;
  dispositionName: string;
}

/**
 * Calls since `since` that were written without an outcome because their disposition had none,
 * and whose disposition is mapped to a live HubSpot outcome now. What we sent is in
 * `calls.properties`: a call we already gave an outcome is never picked again.
 */
export async function findOutcomelessCalls(
  db: Db,
  installationId: string,
  since: Date,
): Promise<OutcomelessCall[]> {
  const rows = await db
    .selectFrom('calls as c')
    .innerJoin('dialer_dispositions as d', (join) =>
      join
        .onRef('d.installation_id', '=', 'c.installation_id')
        .on('d.disposition_id', '=', sql<string>`c.data->'disposition'->>'id'`),
    )
    .innerJoin('hubspot_outcomes as o', (join) =>
      join
        .onRef('o.installation_id', '=', 'd.installation_id')
        .onRef('o.outcome_id', '=', 'd.outcome_id')
        .on('o.deleted', '=', false),
    )
    .select(['c.call_id', 'c.hubspot_call_id', 'o.outcome_id', 'o.label', 'd.name'])
    .where('c.installation_id', '=', installationId)
    .where('c.sync_state', '=', 'synced')
    .where('c.hubspot_call_id', 'is not', null)
    .where(sql<boolean>`coalesce(c.properties->>'hs_call_disposition', '') = ''`)
    .where(sql<Date>`coalesce(c.started_at, c.created_at)`, '>=', since)
    .orderBy('c.call_id')
    .execute();
  return rows.map((row) => ({
    callId: row.call_id,
    hubspotCallId: row.hubspot_call_id!,
    outcomeId: row.outcome_id,
    outcomeLabel: row.label,
    dispositionName: row.name,
  }));
}
