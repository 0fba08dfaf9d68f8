import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { effectiveMappings, type Mapping } from './catalog.ts';
import type { Direction } from './contact-sync.table.ts';

export async function loadMappings(db: Db, installationId: string): Promise<Mapping[]> {
  const rows = await db
    .selectFrom('property_mappings')
    .select(['dialer_field', 'hubspot_property', 'direction', 'removed'])
    .where('installation_id', '=', installationId)
    .execute();
  return effectiveMappings(rows);
}

export async function saveMapping(
  db: Db,
  installationId: string,
  mapping: { dialerField: string; hubspotProperty: string; direction: Direction; removed?: boolean },
): Promise<void> {
  const row = {
    hubspot_property: mapping.hubspotProperty,
    direction: mapping.direction,
    removed: mapping.removed ?? false,
    updated_at: sql<Date>`now()`,
  };
  await db
    .insertInto('property_mappings')
    .values({ installation_id: installationId, dialer_field: mapping.dialerField, ...row })
    .onConflict((oc) => oc.columns(['installation_id', 'dialer_field']).doUpdateSet(row))
    .execute();
}

export async function deleteMappingRow(db: Db, installationId: string, dialerField: string): Promise<void> {
  await db
    .deleteFrom('property_mappings')
    .where('installation_id', '=', installationId)
    .where('dialer_field', '=', dialerField)
    .execute();
}
