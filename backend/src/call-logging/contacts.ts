import { z } from 'zod';
import type { ActivityEntry } from '../activity/record.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { CONTACT_PHONE_PROPERTIES, contactNumbers } from '../phone/index.ts';
import type { Db } from '../platform/db/database.ts';

const FOUND_TTL_MS = 24 * 60 * 60 * 1000;
/** Short: a contact created after a miss shows up in HubSpot search within seconds. */
const MISSING_TTL_MS = 2 * 60 * 1000;
const SEARCH_CHUNK = 50;

export interface ContactQuery {
  callId: string;
  /** The Dialer contact's external_id: a HubSpot contact id we pushed. */
  externalId: string | null;
  phone: { e164: string; national: string } | null;
}

export interface ResolvedContact {
  contactId: string | null;
  name: string | null;
}

const searchPage = z.object({
  results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullish()) })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});
const batchRead = z.object({
  results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullish()) })),
});

const fullName = (p: Record<string, string | null | undefined>) =>
  [p.firstname, p.lastname].filter((part) => part && part.trim()).join(' ') || null;

/**
 * Finds the HubSpot contact of each call with as few HubSpot requests as possible: the Dialer
 * contact's external_id first (names from our cache, else one batch read), then the per-portal
 * phone cache, then one search for all remaining numbers (IN on the searchable phone and mobile,
 * which hold national numbers only: a hit counts only when its number, read in the contact's
 * country or else `accountCountry`, is the same E.164 number). Call logging never creates contacts.
 */
export async function resolveContacts(
  db: Db,
  installationId: string,
  client: PortalClient,
  queries: ContactQuery[],
  activity: ActivityEntry[],
  accountCountry: string,
): Promise<Map<string, ResolvedContact>> {
  const now = new Date();
  const resolved = new Map<string, ResolvedContact>();
  const names = await cachedNames(
    db,
    installationId,
    queries.flatMap((q) => (q.externalId ? [q.externalId] : [])),
    now,
  );

  const byId = queries.filter((q) => q.externalId && /^\d+$/.test(q.externalId));
  const unnamed = [...new Set(byId.map((q) => q.externalId!).filter((id) => !names.has(id)))];
  if (unnamed.length > 0) {
    const read = batchRead.parse(
      await client.send('batchReadContacts', {
        body: { inputs: unnamed.map((id) => ({ id })), properties: ['firstname', 'lastname'] },
      }),
    );
    for (const contact of read.results) names.set(contact.id, fullName(contact.properties));
    await cacheNames(
      db,
      installationId,
      read.results.map((c) => ({ id: c.id, props: c.properties })),
    );
  }
  for (const q of byId) {
    if (!names.has(q.externalId!)) continue; // unknown in HubSpot (deleted): fall back to the phone
    resolved.set(q.callId, { contactId: q.externalId, name: names.get(q.externalId!) ?? null });
    activity.push({
      callId: q.callId,
      contactId: q.externalId,
      level: 'info',
      step: 'contact_matched',
      message: `Matched HubSpot contact ${q.externalId} through the Dialer.io contact's external id.`,
    });
  }

  const byPhone = queries.filter((q) => !resolved.has(q.callId) && q.phone);
  const phones = [...new Set(byPhone.map((q) => q.phone!.e164))];
  const lookups = phones.length
    ? await db
        .selectFrom('phone_lookups')
        .select(['phone_e164', 'contact_id'])
        .where('installation_id', '=', installationId)
        .where('phone_e164', 'in', phones)
        .where('expires_at', '>', now)
        .execute()
    : [];
  const known = new Map(lookups.map((row) => [row.phone_e164, row.contact_id]));
  const toSearch = byPhone.filter((q) => !known.has(q.phone!.e164)).map((q) => q.phone!);
  const found = await searchByPhone(db, installationId, client, toSearch, accountCountry);
  for (const [e164, match] of found) known.set(e164, match.contactId);
  const cachedNameIds = [...known.values()].filter((id): id is string => id !== null);
  const phoneNames = await cachedNames(db, installationId, cachedNameIds, now);

  for (const q of queries) {
    if (resolved.has(q.callId)) continue;
    const contactId = q.phone ? (known.get(q.phone.e164) ?? null) : null;
    const match = q.phone ? found.get(q.phone.e164) : undefined;
    resolved.set(q.callId, { contactId, name: contactId ? (phoneNames.get(contactId) ?? null) : null });
    if (contactId) {
      activity.push({
        callId: q.callId,
        contactId,
        phoneE164: q.phone!.e164,
        level: 'info',
        step: 'contact_matched',
        message:
          match && match.count > 1
            ? `${match.count} HubSpot contacts have this number; chose the most recently modified, ${contactId}.`
            : `Matched HubSpot contact ${contactId} by phone number.`,
      });
    } else {
      activity.push({
        callId: q.callId,
        phoneE164: q.phone?.e164 ?? null,
        level: 'warning',
        step: 'contact_not_found',
        message: q.phone
          ? 'No HubSpot contact has this phone number: the call is logged without a contact.'
          : 'The call has no usable phone number: the call is logged without a contact.',
      });
    }
  }
  return resolved;
}

async function searchByPhone(
  db: Db,
  installationId: string,
  client: PortalClient,
  phones: { e164: string; national: string }[],
  accountCountry: string,
): Promise<Map<string, { contactId: string | null; count: number }>> {
  const result = new Map<string, { contactId: string | null; count: number }>();
  const unique = [...new Map(phones.map((p) => [p.e164, p])).values()];
  for (let i = 0; i < unique.length; i += SEARCH_CHUNK) {
    const chunk = unique.slice(i, i + SEARCH_CHUNK);
    const wanted = new Set(chunk.map((p) => p.e164));
    const nationals = [...new Set(chunk.map((p) => p.national))];
    const hits = new Map<string, string[]>();
    const named: { id: string; props: Record<string, string | null | undefined> }[] = [];
    let after: string | undefined;
    do {
      const page = searchPage.parse(
        await client.send('searchContacts', {
          body: {
            filterGroups: [
              {
                filters: [
                  {
                    propertyName: 'hs_searchable_calculated_phone_number',
                    operator: 'IN',
                    values: nationals,
                  },
                ],
              },
              {
                filters: [
                  {
                    propertyName: 'hs_searchable_calculated_mobile_number',
                    operator: 'IN',
                    values: nationals,
                  },
                ],
              },
            ],
            properties: [
              'firstname',
              'lastname',
              'hs_searchable_calculated_phone_number',
              'hs_searchable_calculated_mobile_number',
              ...CONTACT_PHONE_PROPERTIES,
              'lastmodifieddate',
            ],
            sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
            limit: 100,
            after,
          },
        }),
      );
      for (const contact of page.results) {
        named.push({ id: contact.id, props: contact.properties });
        // Same national digits are only a candidate: +44 20 7946 0958 is not +1 207-946-0958.
        for (const e164 of new Set(contactNumbers(contact.properties, accountCountry))) {
          if (wanted.has(e164)) hits.set(e164, [...(hits.get(e164) ?? []), contact.id]);
        }
      }
      after = page.paging?.next?.after;
    } while (after);
    for (const phone of chunk) {
      const ids = hits.get(phone.e164) ?? [];
      result.set(phone.e164, { contactId: ids[0] ?? null, count: ids.length });
    }
    await cacheNames(db, installationId, named);
  }
  await cacheLookups(db, installationId, result);
  return result;
}

async function cachedNames(
  db: Db,
  installationId: string,
  ids: string[],
  now: Date,
): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('contact_cache')
    .select(['contact_id', 'first_name', 'last_name'])
    .where('installation_id', '=', installationId)
    .where('contact_id', 'in', [...new Set(ids)])
    .where('expires_at', '>', now)
    .execute();
  return new Map(
    rows.map((r) => [r.contact_id, fullName({ firstname: r.first_name, lastname: r.last_name })]),
  );
}

async function cacheNames(
  db: Db,
  installationId: string,
  contacts: { id: string; props: Record<string, string | null | undefined> }[],
) {
  const unique = [...new Map(contacts.map((c) => [c.id, c])).values()];
  if (unique.length === 0) return;
  const expires_at = new Date(Date.now() + FOUND_TTL_MS);
  await db
    .insertInto('contact_cache')
    .values(
      unique.map((c) => ({
        installation_id: installationId,
        contact_id: c.id,
        first_name: c.props.firstname ?? null,
        last_name: c.props.lastname ?? null,
        expires_at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['installation_id', 'contact_id']).doUpdateSet((eb) => ({
        first_name: eb.ref('excluded.first_name'),
        last_name: eb.ref('excluded.last_name'),
        expires_at: eb.ref('excluded.expires_at'),
      })),
    )
    .execute();
}

async function cacheLookups(
  db: Db,
  installationId: string,
  found: Map<string, { contactId: string | null }>,
) {
  if (found.size === 0) return;
  const now = Date.now();
  await db
    .insertInto('phone_lookups')
    .values(
      [...found].map(([e164, match]) => ({
        installation_id: installationId,
        phone_e164: e164,
        contact_id: match.contactId,
        expires_at: new Date(now + (match.contactId ? FOUND_TTL_MS : MISSING_TTL_MS)),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['installation_id', 'phone_e164']).doUpdateSet((eb) => ({
        contact_id: eb.ref('excluded.contact_id'),
        expires_at: eb.ref('excluded.expires_at'),
      })),
    )
    .execute();
}
