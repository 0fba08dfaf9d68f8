import { z } from 'zod';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import { chunks } from './hubspot-contacts.ts';

// The HubSpot reads of the custom-property sweep (sweep.ts), through the owned client.

export const SWEEP_PAGE = 100;
/** HubSpot answers property history for fewer records per batch read than plain properties. */
const HISTORY_BATCH = 50;

const searchPage = z.object({
  results: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) }).loose()),
});
const version = z.object({ value: z.string().nullish(), timestamp: z.string() }).loose();
const readPage = z.object({
  results: z.array(
    z
      .object({
        id: z.union([z.string(), z.number()]).transform(String),
        properties: z.record(z.string(), z.string().nullish()).catch({}),
        propertiesWithHistory: z.record(z.string(), z.array(version).catch([])).nullish(),
      })
      .loose(),
  ),
});

/**
 * Ids of contacts modified at or after `since` with an id above `afterId`, in id order: a cursor
 * that equal modification times cannot stall.
 */
export async function contactIdsModifiedSince(
  client: PortalClient,
  since: number,
  afterId: string,
): Promise<string[]> {
  const answer = await client.send('searchContacts', {
    body: {
      filterGroups: [
        {
          filters: [
            { propertyName: 'lastmodifieddate', operator: 'GTE', value: String(since) },
            { propertyName: 'hs_object_id', operator: 'GT', value: afterId },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: ['hs_object_id'],
      limit: SWEEP_PAGE,
    },
  });
  const page = searchPage.safeParse(answer ?? { results: [] });
  if (!page.success)
    throw new HubSpotError('bad_request', 'HubSpot contacts search answered an unexpected shape', false);
  return page.data.results.map((r) => r.id);
}

export interface SweptContact {
  id: string;
  /** Per property: its value ('' when empty) and when it got it (ms), from its history. */
  values: Map<string, { value: string; at: number | null }>;
  lastModified: number | null;
}

/** The contacts' values of `properties`, each with the time of its last change (property history). */
export async function readWithHistory(
  client: PortalClient,
  ids: string[],
  properties: string[],
): Promise<SweptContact[]> {
  const contacts: SweptContact[] = [];
  for (const chunk of chunks(ids, HISTORY_BATCH)) {
    const answer = await client.send('batchReadContacts', {
      body: {
        inputs: chunk.map((id) => ({ id })),
        properties: [...properties, 'lastmodifieddate'],
        propertiesWithHistory: properties,
      },
    });
    const page = readPage.safeParse(answer ?? { results: [] });
    if (!page.success)
      throw new HubSpotError(
        'bad_request',
        'HubSpot contacts batch read answered an unexpected shape',
        false,
      );
    for (const result of page.data.results) contacts.push(toSwept(result, properties));
  }
  return contacts;
}

function toSwept(result: z.infer<typeof readPage>['results'][number], properties: string[]): SweptContact {
  const values = new Map<string, { value: string; at: number | null }>();
  for (const property of properties) {
    const value = result.properties[property] ?? '';
    const history = result.propertiesWithHistory?.[property] ?? [];
    const times = history
      .filter((v) => (v.value ?? '') === value)
      .map((v) => Date.parse(v.timestamp))
      .filter(Number.isFinite);
    values.set(property, { value, at: times.length ? Math.max(...times) : null });
  }
  const modified = Date.parse(result.properties.lastmodifieddate ?? '');
  return { id: result.id, values, lastModified: Number.isFinite(modified) ? modified : null };
}
