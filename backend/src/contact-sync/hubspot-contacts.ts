import { z } from 'zod';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import { CONTACT_PHONE_PROPERTIES, contactHasNumber, normalisePhone } from '../phone/index.ts';

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

/**
 * The HubSpot contact with this email, else with this phone: HubSpot searches by the national
 * number only, so each hit is a candidate that matches only when one of its numbers is this
 * number in E.164 (as calls are matched; +44 20 7946 0958 is not +1 207-946-0958).
 */
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
    if (byEmail[0]) return byEmail[0].id;
  }
  const number = normalisePhone(phone, country);
  if (!number) return null;
  const candidates = await search(
    client,
    ['hs_searchable_calculated_phone_number', 'hs_searchable_calculated_mobile_number'].map((p) => [
      { propertyName: p, operator: 'EQ', value: number.national },
    ]),
    20,
  );
  return candidates.find((c) => contactHasNumber(c.properties, number.e164, country))?.id ?? null;
}

async function search(
  client: PortalClient,
  groups: { propertyName: string; operator: string; value: string }[][],
  limit = 1,
) {
  const answer = await client.send('searchContacts', {
    body: {
      filterGroups: groups.map((filters) => ({ filters })),
      properties: ['email', ...CONTACT_PHONE_PROPERTIES],
      limit,
    },
  });
  return parsePage(answer, 'contacts search').results;
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

/**
 * Creates one HubSpot contact (non-marketing) and returns its id. The input carries our own key
 * as `objectWriteTraceId`, and the answer is read by it.
 */
export async function createContact(
  client: PortalClient,
  properties: Record<string, string>,
  key: string,
): Promise<string> {
  const answer = await client.send('batchCreateContacts', {
    body: {
      inputs: [{ objectWriteTraceId: key, properties: { ...properties, hs_marketable_status: 'false' } }],
    },
  });
  const page = pageSchema.safeParse(answer ?? {});
  const results = page.success ? page.data.results : [];
  const ours = results.find((r) => (r as { objectWriteTraceId?: unknown })?.objectWriteTraceId === key);
  const id = contactSchema.safeParse(ours ?? results[0]);
  if (id.success) return id.data.id;
  const refused = page.success ? page.data.errors?.[0]?.message : undefined;
  throw new HubSpotError('bad_request', refused ?? 'HubSpot created no contact', false);
}
