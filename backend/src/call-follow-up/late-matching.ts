import {
  CONTACT_PHONE_PROPERTIES,
  contactHasNumber,
  contactNumbers,
  normalisePhone,
} from '../phone/index.ts';
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
    for (const e164 of contactNumbers(contact.phoneProperties, tc.country))
      if (!byPhone.has(e164)) byPhone.set(e164, contact.id);
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
    const candidates = await searchNationals(
      tc.client,
      chunk.map((p) => p.national),
    );
    // A national number alone is no match (+44 20… vs +1 20…): the number must be the contact's.
    for (const p of chunk) {
      const contact = candidates.find((c) => contactHasNumber(c.properties, p.e164, tc.country));
      if (contact) byPhone.set(p.e164, contact.id);
    }
  }
  return linkNumbers(tc, byPhone, 'found by the hourly search for unknown callers');
}

/** Contacts whose phone or mobile has one of these national numbers, most recently modified first. */
async function searchNationals(client: PortalClient, nationals: string[]) {
  const found: { id: string; properties: Record<string, string | null | undefined> }[] = [];
  const fields = ['hs_searchable_calculated_phone_number', 'hs_searchable_calculated_mobile_number'];
  let after: string | undefined;
  do {
    const page = objectsAnswer.parse(
      await client.send('searchContacts', {
        body: {
          filterGroups: fields.map((propertyName) => ({
            filters: [{ propertyName, operator: 'IN', values: nationals }],
          })),
          properties: [...CONTACT_PHONE_PROPERTIES],
          sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
          limit: 100,
          after,
        },
      }),
    );
    found.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return found;
}
