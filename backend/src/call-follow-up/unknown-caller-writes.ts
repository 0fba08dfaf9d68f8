import { z } from 'zod';
import type { PortalClient } from '../hubspot/client.ts';
import { contactNumbers, normalisePhone, CONTACT_PHONE_PROPERTIES } from '../phone/index.ts';
import { chunks } from './batches.ts';
import { objectsAnswer } from './hubspot-objects.ts';

// Tolerant: a multi-status answer names each input by its trace id; every other field is optional.
const createAnswer = z.object({
  results: z
    .array(z.object({ id: z.string(), objectWriteTraceId: z.string().nullish().catch(null) }))
    .catch([]),
  errors: z
    .array(
      z.object({
        message: z.string().nullish().catch(null),
        objectWriteTraceId: z.string().nullish().catch(null),
        context: z
          .object({ objectWriteTraceId: z.array(z.string()).catch([]) })
          .partial()
          .nullish()
          .catch(null),
      }),
    )
    .nullish()
    .catch(null),
});

/**
 * Creates a non-marketing contact per number, 100 per multi-status batch; each input carries
 * `objectWriteTraceId` = its number, so each result is matched to its number by the trace id
 * (never by the phone string HubSpot echoes). Returns the numbers created and those refused.
 */
export async function createContacts(
  client: PortalClient,
  phones: string[],
): Promise<{ created: Map<string, string>; refused: Map<string, string> }> {
  const created = new Map<string, string>();
  const refused = new Map<string, string>();
  for (const chunk of chunks(phones)) {
    const answer = createAnswer.safeParse(
      await client.send('batchCreateContacts', {
        body: {
          inputs: chunk.map((phone) => ({
            objectWriteTraceId: phone,
            properties: { phone, hs_marketable_status: 'false' },
          })),
        },
      }),
    );
    const body = answer.success ? answer.data : { results: [], errors: null };
    const ours = new Set(chunk);
    for (const r of body.results)
      if (r.objectWriteTraceId && ours.has(r.objectWriteTraceId)) created.set(r.objectWriteTraceId, r.id);
    for (const e of body.errors ?? [])
      for (const phone of [e.objectWriteTraceId, ...(e.context?.objectWriteTraceId ?? [])])
        if (phone && ours.has(phone) && !created.has(phone))
          refused.set(phone, e.message ?? 'no reason given');
  }
  return { created, refused };
}

/**
 * Finds the contacts an earlier create made for these numbers (its answer was lost): HubSpot's
 * search by national number, a hit only when one of its numbers is the same full number. The
 * oldest one wins. Returns number → contact id.
 */
export async function findCreatedContacts(
  client: PortalClient,
  phones: string[],
  country: string,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const chunk of chunks(phones, 50)) {
    const nationals = [...new Set(chunk.flatMap((p) => normalisePhone(p, country)?.national ?? []))];
    if (nationals.length === 0) continue;
    const answer = objectsAnswer.parse(
      await client.send('searchContacts', {
        body: {
          filterGroups: [
            {
              filters: [
                { propertyName: 'hs_searchable_calculated_phone_number', operator: 'IN', values: nationals },
              ],
            },
          ],
          properties: [...CONTACT_PHONE_PROPERTIES],
          sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
          limit: 100,
        },
      }),
    );
    const wanted = new Set(chunk);
    for (const contact of answer.results)
      for (const e164 of contactNumbers(contact.properties, country))
        if (wanted.has(e164) && !found.has(e164)) found.set(e164, contact.id);
  }
  return found;
}
