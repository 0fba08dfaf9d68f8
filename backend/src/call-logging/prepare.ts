import type { DialerCall } from '../dialer/index.ts';
import { deletedRecordings, loadAttribution } from '../recordings/attribution.ts';
import { normalisePhone } from '../phone/index.ts';
import type { CallRow } from './call-logging.table.ts';
import { resolveContacts, type ContactQuery } from './contacts.ts';
import type { OutgoingCall } from './hubspot-calls.ts';
import { mappingsLoader, type MappingsLoader } from './mappings.ts';
import { buildCallProperties, otherPartyNumber } from './properties.ts';
import { markDebug } from './state-machine.ts';
import { clearStatusOutcomes } from './status-outcome.ts';
import type { Pipeline } from './write.ts';

export interface Prepared {
  outgoing: OutgoingCall[];
  /** List ids the mirror did not know: the job refreshes the mirror afterwards, best effort. */
  unknownLists: string[];
}

/**
 * Turns call rows into HubSpot calls: contact (resolved once, when the call is first written),
 * owner and outcome from the mappings, properties. In debug mode it records what would be
 * written, marks the calls `debug` (never written later) and returns nothing to write.
 */
export async function prepareCalls(
  p: Pipeline,
  rows: CallRow[],
  options: { country: string; debug: boolean; mappings?: MappingsLoader; appId?: string },
): Promise<Prepared> {
  const installationId = p.claim.installationId;
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
  const contacts = await resolveContacts(
    p.db,
    installationId,
    p.client,
    queries,
    p.activity,
    options.country,
  );
  const loadMappings = options.mappings ?? mappingsLoader(p.db, installationId);
  const mappings = await loadMappings([...calls.values()]);
  const attribution = await loadAttribution(p.db, installationId, options.appId);
  const deleted = await deletedRecordings(p.db, installationId, [...calls.keys()]);

  const outgoing = rows.map((row): OutgoingCall => {
    const call = calls.get(row.call_id)!;
    const contact = contacts.get(row.call_id);
    const sent = row.hubspot_call_id ? ((row.properties as Record<string, string> | null) ?? {}) : null;
    const properties = buildCallProperties(call, {
      contactName: contact?.name ?? null,
      ownerId: mappings.ownerFor(call, p.activity),
      outcomeId: mappings.outcomeFor(call, p.activity),
      listName: mappings.listName(call.list_id),
      country: options.country,
      incomplete: row.incomplete,
      attribution,
      recordingDeleted: deleted.has(row.call_id),
    });
    if (sent?.hs_call_title) properties.hs_call_title = sent.hs_call_title;
    return {
      callId: row.call_id,
      version: row.version,
      hubspotCallId: row.hubspot_call_id,
      contactId: contact ? contact.contactId : row.contact_id,
      phoneE164: phones.get(row.call_id)?.e164 ?? null,
      properties,
      sent,
      associate: true,
    };
  });
  if (!options.debug) {
    await clearStatusOutcomes(p, outgoing, calls);
    return { outgoing, unknownLists: mappings.unknownLists };
  }

  for (const call of outgoing) {
    await markDebug(p.db, p.claim, call, call.properties);
    p.activity.push({
      callId: call.callId,
      contactId: call.contactId,
      level: 'info',
      step: 'debug_skipped',
      message: `Debug mode: would have ${call.hubspotCallId ? `updated HubSpot call ${call.hubspotCallId}` : 'created a HubSpot call'}: ${call.properties.hs_call_title}. Nothing was written.`,
      details: { properties: call.properties, associatedContactId: call.contactId },
    });
  }
  return { outgoing: [], unknownLists: [] };
}
