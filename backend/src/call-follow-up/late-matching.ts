import { normalisePhone } from '../phone/index.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { linkNumbers, readContacts } from './contacts.ts';
import { objectsAnswer } from './hubspot-objects.ts';
import type { TaskContext } from './tasks.ts';

const SWEEP_DAYS = 7;
const SEARCH_CHUNK = 50;

/**
 * HubSpot contacts were created or got a phone number: the written calls of their numbers that
 * have no contact yet are associated to them (rollups and the open task follow).
 */
export async function matchNewContacts(tc: TaskContext, contactIds: string[]): Promise<number> {
  const contacts = await readContacts(tc.client, contactIds);
  const byPhone = new Map<string, string>();
  for (const contact of contacts.values())
    for (const raw of contact.phones) {
      const phone = normalisePhone(raw, tc.country);
      if (phone && !byPhone.has(phone.e164)) byPhone.set(phone.e164, contact.id);
    }
  return linkNumbers(tc, byPhone, 'the contact appeared in HubSpot later');
}

/**
 * The hourly sweep: the numbers of the last 7 days' calls logged without a contact are searched
 * again, 50 numbers per search request (the client keeps to the search budget).
 */
export async function sweepUnmatchedCalls(tc: TaskContext): Promise<number> {
  const since = new Date(tc.now - SWEEP_DAYS * 24 * 60 * 60 * 1000);
  const rows = await tc.db
    .selectFrom('calls')
    .select('phone_e164')
    .distinct()
    .where('installation_id', '=', tc.installationId)
    .where('contact_id', 'is', null)
    .where('hubspot_call_id', 'is not', null)
    .where('phone_e164', 'is not', null)
    .where('started_at', '>=', since)
    .execute();
  const phones = rows.flatMap((r) => {
    const phone = normalisePhone(r.phone_e164, tc.country);
    return phone ? [phone] : [];
  });
  const byPhone = new Map<string, string>();
  for (let i = 0; i < phones.length; i += SEARCH_CHUNK) {
    const chunk = phones.slice(i, i + SEARCH_CHUNK);
    const hits = await searchNationals(
      tc.client,
      chunk.map((p) => p.national),
    );
    for (const p of chunk) {
      const contactId = hits.get(p.national);
      if (contactId) byPhone.set(p.e164, contactId);
    }
  }
  return linkNumbers(tc, byPhone, 'found by the hourly search for unknown callers');
}

/** National number → the most recently modified contact that has it (phone or mobile). */
async function searchNationals(client: PortalClient, nationals: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const fields = ['hs_searchable_calculated_phone_number', 'hs_searchable_calculated_mobile_number'];
  let after: string | undefined;
  do {
    const page = objectsAnswer.parse(
      await client.send('searchContacts', {
        body: {
          filterGroups: fields.map((propertyName) => ({
            filters: [{ propertyName, operator: 'IN', values: nationals }],
          })),
          properties: fields,
          sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
          limit: 100,
          after,
        },
      }),
    );
    for (const contact of page.results)
      for (const field of fields) {
        const national = contact.properties[field];
        if (national && !found.has(national)) found.set(national, contact.id);
      }
    after = page.paging?.next?.after;
  } while (after);
  return found;
}
