import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/**
 * A HubSpot contact was deleted: forget our link to it and the numbers that led to it, so no
 * later call or sync is matched to a contact that is gone. Its calls stay (HubSpot keeps them).
 */
export async function unlinkContact(db: Db, installationId: string, contactId: string): Promise<number> {
  let changed = 0;
  for (const table of ['contact_links', 'phone_lookups', 'contact_cache'] as const) {
    const result = await db
      .deleteFrom(table)
      .where('installation_id', '=', installationId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    changed += Number(result.numDeletedRows);
  }
  return changed;
}

/**
 * HubSpot merged `from` into `into`: our calls, links and phone lookups of the merged contacts
 * now point at the surviving one. Where the survivor already has a link, its own link wins.
 */
export async function moveContact(
  db: Db,
  installationId: string,
  from: string[],
  into: string,
): Promise<number> {
  if (from.length === 0) return 0;
  const calls = await db
    .updateTable('calls')
    .set({ contact_id: into })
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', from)
    .executeTakeFirst();
  const lookups = await db
    .updateTable('phone_lookups')
    .set({ contact_id: into })
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', from)
    .executeTakeFirst();
  const links = await sql`
    insert into contact_links (installation_id, contact_id, dialer_contact_id, phone_e164, lists, last_synced_at, last_error, updated_at)
    select installation_id, ${into}, dialer_contact_id, phone_e164, lists, last_synced_at, last_error, now()
    from contact_links where installation_id = ${installationId} and contact_id in (${sql.join(from)})
    order by updated_at desc limit 1
    on conflict (installation_id, contact_id) do nothing`.execute(db);
  await db
    .deleteFrom('contact_links')
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', from)
    .execute();
  await db
    .deleteFrom('contact_cache')
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', [...from, into])
    .execute();
  return Number(calls.numUpdatedRows) + Number(lookups.numUpdatedRows) + Number(links.numAffectedRows ?? 0);
}
