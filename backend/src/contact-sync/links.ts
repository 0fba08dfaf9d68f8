import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/** A HubSpot contact and the Dialer.io contact it is linked to (by Dialer.io's external id). */
export interface Link {
  contactId: string;
  dialerExternalId: string;
}

/**
 * Links of these HubSpot contacts: ours, and those workflow actions made (their Dialer.io
 * contact's external id is the HubSpot contact id).
 */
export async function findLinks(
  db: Db,
  installationId: string,
  contactIds: string[],
): Promise<Map<string, Link>> {
  const links = new Map<string, Link>();
  if (contactIds.length === 0) return links;
  const fromActions = await db
    .selectFrom('contact_links')
    .select('contact_id')
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', contactIds)
    .where('dialer_contact_id', 'is not', null)
    .execute();
  for (const { contact_id } of fromActions)
    links.set(contact_id, { contactId: contact_id, dialerExternalId: contact_id });
  const ours = await db
    .selectFrom('contact_sync_links')
    .select(['contact_id', 'dialer_external_id'])
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', contactIds)
    .execute();
  for (const row of ours)
    links.set(row.contact_id, { contactId: row.contact_id, dialerExternalId: row.dialer_external_id });
  return links;
}

/** The HubSpot contact linked to a Dialer.io contact, if any. */
export async function findLinkByDialer(
  db: Db,
  installationId: string,
  externalId: string,
): Promise<Link | undefined> {
  const ours = await db
    .selectFrom('contact_sync_links')
    .select(['contact_id', 'dialer_external_id'])
    .where('installation_id', '=', installationId)
    .where('dialer_external_id', '=', externalId)
    .executeTakeFirst();
  if (ours) return { contactId: ours.contact_id, dialerExternalId: ours.dialer_external_id };
  const fromActions = await db
    .selectFrom('contact_links')
    .select('contact_id')
    .where('installation_id', '=', installationId)
    .where('contact_id', '=', externalId)
    .where('dialer_contact_id', 'is not', null)
    .executeTakeFirst();
  return fromActions ? { contactId: externalId, dialerExternalId: externalId } : undefined;
}

export async function saveLink(
  db: Db,
  installationId: string,
  link: Link & { dialerContactId: string | null; createdBy: 'hubspot' | 'dialer' | 'link' },
): Promise<void> {
  await db
    .insertInto('contact_sync_links')
    .values({
      installation_id: installationId,
      contact_id: link.contactId,
      dialer_external_id: link.dialerExternalId,
      dialer_contact_id: link.dialerContactId,
      created_by: link.createdBy,
    })
    .onConflict((oc) =>
      oc.columns(['installation_id', 'contact_id']).doUpdateSet({
        dialer_external_id: link.dialerExternalId,
        dialer_contact_id: link.dialerContactId,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

/** Every linked HubSpot contact after `after` (by id, as text), `limit` at a time. */
export async function linkedContactsPage(
  db: Db,
  installationId: string,
  after: string | null,
  limit: number,
): Promise<Link[]> {
  const { rows } = await sql<{ contact_id: string; dialer_external_id: string }>`
    select contact_id, max(dialer_external_id) as dialer_external_id from (
      select contact_id, dialer_external_id from contact_sync_links where installation_id = ${installationId}
      union all
      select contact_id, contact_id from contact_links
       where installation_id = ${installationId} and dialer_contact_id is not null
    ) linked
    where contact_id > ${after ?? ''}
    group by contact_id order by contact_id limit ${limit}
  `.execute(db);
  return rows.map((row) => ({ contactId: row.contact_id, dialerExternalId: row.dialer_external_id }));
}

export async function countLinkedContacts(db: Db, installationId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(distinct contact_id)::int as n from (
      select contact_id from contact_sync_links where installation_id = ${installationId}
      union all
      select contact_id from contact_links where installation_id = ${installationId} and dialer_contact_id is not null
    ) linked
  `.execute(db);
  return Number(rows[0]?.n ?? 0);
}
