import type { ActivityEntry } from '../activity/record.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { CONTACT_PHONE_PROPERTIES } from '../phone/index.ts';
import type { Db } from '../platform/db/database.ts';
import { fullName, objectsAnswer } from './hubspot-objects.ts';
import { linkCallsToContacts } from './linking.ts';

const BATCH = 100;

export interface ContactInfo {
  id: string;
  name: string | null;
  ownerId: string | null;
  /** What `contactNumbers` reads (phone, mobile phone, country). */
  phoneProperties: Record<string, string | null | undefined>;
}

/** Reads contacts (100 per request); ids HubSpot does not have are simply absent from the map. */
export async function readContacts(client: PortalClient, ids: string[]): Promise<Map<string, ContactInfo>> {
  const unique = [...new Set(ids)].filter((id) => /^\d+$/.test(id));
  const found = new Map<string, ContactInfo>();
  for (let i = 0; i < unique.length; i += BATCH) {
    const answer = objectsAnswer.parse(
      await client.send('batchReadContacts', {
        body: {
          inputs: unique.slice(i, i + BATCH).map((id) => ({ id })),
          properties: ['firstname', 'lastname', 'hubspot_owner_id', ...CONTACT_PHONE_PROPERTIES],
        },
      }),
    );
    for (const r of answer.results)
      found.set(r.id, {
        id: r.id,
        name: fullName(r.properties),
        ownerId: r.properties.hubspot_owner_id || null,
        phoneProperties: r.properties,
      });
  }
  return found;
}

/** Links every written call of these numbers that has no contact yet. */
export async function linkNumbers(
  tc: { db: Db; installationId: string; client: PortalClient; activity: ActivityEntry[] },
  contactByPhone: Map<string, string>,
  how: string,
): Promise<number> {
  if (contactByPhone.size === 0) return 0;
  const calls = await tc.db
    .selectFrom('calls')
    .select(['call_id', 'hubspot_call_id', 'phone_e164'])
    .where('installation_id', '=', tc.installationId)
    .where('contact_id', 'is', null)
    .where('hubspot_call_id', 'is not', null)
    .where('phone_e164', 'in', [...contactByPhone.keys()])
    .execute();
  return linkCallsToContacts(
    tc.db,
    tc.installationId,
    tc.client,
    calls.map((c) => ({
      callId: c.call_id,
      hubspotCallId: c.hubspot_call_id!,
      contactId: contactByPhone.get(c.phone_e164!)!,
      phoneE164: c.phone_e164,
    })),
    tc.activity,
    how,
  );
}
