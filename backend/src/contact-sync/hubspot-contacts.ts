import { z } from 'zod';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import { normalisePhone } from '../phone/index.ts';

// The HubSpot contact calls contact sync makes, through the owned client (paced, retried).

export interface HubSpotContact {
  id: string;
  properties: Record<string, string | null | undefined>;
}

const contactSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  properties: z.record(z.string(), z.string().nullish()).catch({}),
});
const pageSchema = z.object({
  results: z.array(z.unknown()),
  total: z.number().optional(),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).nullish(),
  errors: z
    .array(
      z
        .object({
          context: z.record(z.string(), z.array(z.string())).nullish(),
          message: z.string().nullish(),
        })
        .loose(),
    )
    .optional(),
});
export const BATCH = 100;

function parsePage(value: unknown, operation: string) {
  const page = pageSchema.safeParse(value ?? { results: [] });
  if (!page.success)
    throw new HubSpotError('bad_request', `HubSpot ${operation} answered an unexpected shape`, false);
  const results = page.data.results.flatMap((item) => {
    const parsed = contactSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
  return { ...page.data, results };
}

export const chunks = <T>(items: T[], size = BATCH): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Reads contacts by id, 100 per request; ids HubSpot does not know are left out. */
export async function readContacts(
  client: PortalClient,
  ids: string[],
  properties: string[],
): Promise<HubSpotContact[]> {
  const contacts: HubSpotContact[] = [];
  for (const chunk of chunks(ids)) {
    const answer = await client.send('batchReadContacts', {
      body: { inputs: chunk.map((id) => ({ id })), properties },
    });
    contacts.push(...parsePage(answer, 'contacts batch read').results);
  }
  return contacts;
}

export interface SearchPage {
  contacts: HubSpotContact[];
  total: number;
}

/** Contacts with a phone number and an id above `afterId`, in id order (the pull's resumable cursor). */
export async function contactsWithPhoneAfter(
  client: PortalClient,
  afterId: string | null,
  properties: string[],
  signal?: AbortSignal,
): Promise<SearchPage> {
  const after = { propertyName: 'hs_object_id', operator: 'GT', value: afterId ?? '0' };
  const answer = await client.send('searchContacts', {
    body: {
      filterGroups: ['phone', 'mobilephone'].map((p) => ({
        filters: [{ propertyName: p, operator: 'HAS_PROPERTY' }, after],
      })),
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties,
      limit: BATCH,
    },
    signal,
  });
  const page = parsePage(answer, 'contacts search');
  return { contacts: page.results, total: page.total ?? page.results.length };
}

/** Contacts modified at or after `since` (for the custom-property sweep), oldest first. */
export async function contactsModifiedSince(
  client: PortalClient,
  since: number,
  properties: string[],
): Promise<HubSpotContact[]> {
  const answer = await client.send('searchContacts', {
    body: {
      filterGroups: [
        { filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(since) }] },
      ],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: [...properties, 'lastmodifieddate'],
      limit: BATCH,
    },
  });
  return parsePage(answer, 'contacts search').results;
}

/** The HubSpot contact with this email, else with this phone (country-aware, as calls are matched). */
export async function findContactByEmailOrPhone(
  client: PortalClient,
  email: string | null,
  phone: string,
  country: string,
): Promise<string | null> {
  if (email?.trim()) {
    const byEmail = await search(client, [
      [{ propertyName: 'email', operator: 'EQ', value: email.trim().toLowerCase() }],
    ]);
    if (byEmail) return byEmail;
  }
  const national = normalisePhone(phone, country)?.national;
  if (!national) return null;
  return search(
    client,
    ['hs_searchable_calculated_phone_number', 'hs_searchable_calculated_mobile_number'].map((p) => [
      { propertyName: p, operator: 'EQ', value: national },
    ]),
  );
}

async function search(
  client: PortalClient,
  groups: { propertyName: string; operator: string; value: string }[][],
) {
  const answer = await client.send('searchContacts', {
    body: { filterGroups: groups.map((filters) => ({ filters })), properties: ['email'], limit: 1 },
  });
  return parsePage(answer, 'contacts search').results[0]?.id ?? null;
}

export interface ContactUpdate {
  id: string;
  properties: Record<string, string>;
}

/**
 * Writes contact properties, 100 per request. Returns the ids HubSpot refused; a batch refused
 * as a whole (one bad value) is split so that only the bad contact fails.
 */
export async function updateContacts(client: PortalClient, updates: ContactUpdate[]): Promise<Set<string>> {
  const refused = new Set<string>();
  for (const chunk of chunks(updates)) {
    for (const id of await updateBatch(client, chunk)) refused.add(id);
  }
  return refused;
}

async function updateBatch(client: PortalClient, batch: ContactUpdate[]): Promise<string[]> {
  try {
    const answer = parsePage(
      await client.send('batchUpdateContacts', { body: { inputs: batch } }),
      'contacts batch update',
    );
    return (answer.errors ?? []).flatMap((error) => error.context?.ids ?? []);
  } catch (error) {
    if (!(error instanceof HubSpotError) || error.retryable) throw error;
    if (batch.length === 1) return [batch[0]!.id];
    const half = Math.ceil(batch.length / 2);
    return [
      ...(await updateBatch(client, batch.slice(0, half))),
      ...(await updateBatch(client, batch.slice(half))),
    ];
  }
}

/** Creates one HubSpot contact (non-marketing) and returns its id. */
export async function createContact(
  client: PortalClient,
  properties: Record<string, string>,
): Promise<string> {
  const answer = parsePage(
    await client.send('batchCreateContacts', {
      body: { inputs: [{ properties: { ...properties, hs_marketable_status: 'false' } }] },
    }),
    'contacts batch create',
  );
  const id = answer.results[0]?.id;
  if (!id) throw new HubSpotError('bad_request', 'HubSpot created no contact', false);
  return id;
}
