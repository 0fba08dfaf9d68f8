import type { ActivityEntry } from '../activity/record.ts';
import type { DialerCall } from '../dialer/index.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Db } from '../platform/db/database.ts';
import type { CallRow } from './call-logging.table.ts';
import { resolveContacts, type ContactQuery } from './contacts.ts';
import type { OutgoingCall } from './hubspot-calls.ts';
import { loadMappings } from './mappings.ts';
import { normalisePhone } from './phone.ts';
import { buildCallProperties, otherPartyNumber } from './properties.ts';

/**
 * Turns call rows into HubSpot calls: contact (resolved once, when the call is first written),
 * owner and outcome from the mappings, properties. In debug mode it records what would be
 * written, marks the calls `debug` (never written later) and returns nothing to write.
 */
export async function prepareCalls(
  db: Db,
  installationId: string,
  client: PortalClient,
  rows: CallRow[],
  options: { country: string; debug: boolean; refreshLists?: () => Promise<void> },
  activity: ActivityEntry[],
): Promise<OutgoingCall[]> {
  const calls = new Map(rows.map((row) => [row.call_id, row.data as DialerCall]));
  const phones = new Map(
    [...calls].map(([id, call]) => [id, normalisePhone(otherPartyNumber(call), options.country)]),
  );
  const queries: ContactQuery[] = rows
    .filter((row) => !row.hubspot_call_id)
    .map((row) => ({
      callId: row.call_id,
      externalId: calls.get(row.call_id)!.contact?.external_id ?? null,
      phone: phones.get(row.call_id) ?? null,
    }));
  const contacts = await resolveContacts(db, installationId, client, queries, activity);
  const mappings = await loadMappings(db, installationId, [...calls.values()], options.refreshLists);

  const outgoing = rows.map((row): OutgoingCall => {
    const call = calls.get(row.call_id)!;
    const contact = contacts.get(row.call_id);
    const previousTitle = (row.properties as Record<string, string> | null)?.hs_call_title;
    const properties = buildCallProperties(call, {
      contactName: contact?.name ?? null,
      ownerId: mappings.ownerFor(call, activity),
      outcomeId: mappings.outcomeFor(call, activity),
      listName: mappings.listName(call.list_id),
      country: options.country,
    });
    if (row.hubspot_call_id && previousTitle) properties.hs_call_title = previousTitle;
    return {
      callId: row.call_id,
      version: row.version,
      hubspotCallId: row.hubspot_call_id,
      contactId: contact ? contact.contactId : row.contact_id,
      phoneE164: phones.get(row.call_id)?.e164 ?? null,
      properties,
    };
  });
  if (!options.debug) return outgoing;

  for (const call of outgoing) {
    await db
      .updateTable('calls')
      .set({
        sync_state: 'debug',
        contact_id: call.contactId,
        phone_e164: call.phoneE164,
        properties: JSON.stringify(call.properties),
        synced_version: call.version,
        updated_at: new Date(),
      })
      .where('installation_id', '=', installationId)
      .where('call_id', '=', call.callId)
      .execute();
    activity.push({
      callId: call.callId,
      contactId: call.contactId,
      level: 'info',
      step: 'debug_skipped',
      message: `Debug mode: would have ${call.hubspotCallId ? `updated HubSpot call ${call.hubspotCallId}` : 'created a HubSpot call'}: ${call.properties.hs_call_title}. Nothing was written.`,
      details: { properties: call.properties, associatedContactId: call.contactId },
    });
  }
  return [];
}
