import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import type { DialerClient } from '../dialer/index.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { movesToDialer, type Mapping } from './catalog.ts';
import { findLinks } from './links.ts';
import { loadMappings } from './mapping-repository.ts';
import { getContactSyncSettings } from './settings.ts';
import { writeContactToDialer, type ReadField } from './dialer-write.ts';
import type { Rules } from './reconcile.ts';
import { syncObservations } from './sync-run.ts';
import { loadOwnerDirectory, toDialerValue, type OwnerDirectory } from './values.ts';
import { readContacts } from './hubspot-contacts.ts';
import { contactPhone } from '../phone/index.ts';

/** One HubSpot property change (from a webhook or the sweep). */
export interface HubSpotChange {
  contactId: string;
  property: string;
  value: string;
  /** HubSpot's occurredAt (ms). */
  at: number;
}

/**
 * HubSpot → Dialer.io: changes of mapped properties on linked contacts are judged by the sync model
 * (decision 0012) and written as the fields that change. Unlinked contacts get a Dialer.io contact
 * only when `creation` allows it for every contact with a phone. A Dialer.io refusal fails that
 * contact only; an outage throws (the job retries).
 */
export async function applyHubSpotChanges(
  ctx: AppContext,
  installation: Installation,
  changes: HubSpotChange[],
  options: { mayCreate: boolean } = { mayCreate: true },
): Promise<{ written: number }> {
  const installationId = installation.id;
  const all = await loadMappings(ctx.db, installationId);
  const byProperty = new Map(all.map((m) => [m.hubspotProperty, m]));
  const relevant = changes.filter((c) => byProperty.has(c.property));
  if (relevant.length === 0) return { written: 0 };
  const connection = await findConnection(ctx.db, installationId);
  if (!connection) return { written: 0 };
  const observations = relevant
    // A contact's creation (and a cleared phone) is no value to move: Dialer.io needs a phone.
    .filter((c) => !(c.property === 'phone' && c.value === ''))
    .map((c) => ({
      contactId: c.contactId,
      dialerField: byProperty.get(c.property)!.dialerField,
      side: 'hubspot' as const,
      value: c.value,
      at: c.at,
    }));
  const { dialerWrites } = await syncObservations(ctx, installation, observations);
  let written = dialerWrites;

  const settings = await getContactSyncSettings(ctx.db, installationId);
  const contactIds = [...new Set(relevant.map((c) => c.contactId))];
  const links = await findLinks(ctx.db, installationId, contactIds);
  const unlinked = contactIds.filter((id) => !links.has(id));
  const mayCreate =
    options.mayCreate && settings.creation !== 'off' && settings.createFromHubSpot === 'with_phone';
  if (!mayCreate || unlinked.length === 0) return { written };
  const activity: ActivityEntry[] = [];
  const owners = await loadOwnerDirectory(ctx.db, installationId);
  const mappings = all.filter(movesToDialer);
  const rules = { mappings: new Map(mappings.map((m) => [m.dialerField, m])), settings, owners };
  const deps = {
    hubspot: ctx.hubspot.forInstallation(installation),
    dialer: dialerClientFor(ctx, connection),
    mappings,
    owners,
    country: connection.country,
    rules: { ...rules, country: connection.country },
  };
  written += await createInDialer(ctx, installationId, deps, unlinked, activity);
  await recordActivity(ctx.db, installationId, activity);
  return { written };
}

function toDialerPhone(
  properties: Record<string, string | null | undefined>,
  country: string,
): string | null {
  const phone = contactPhone(properties, country);
  return phone.ok ? phone.e164 : null;
}

interface CreateDeps {
  hubspot: PortalClient;
  dialer: DialerClient;
  mappings: Mapping[];
  owners: OwnerDirectory;
  country: string;
  rules: Rules;
}

/** `creation` allows every HubSpot contact with a phone: unlinked ones become Dialer.io contacts. */
async function createInDialer(
  ctx: AppContext,
  installationId: string,
  deps: CreateDeps,
  contactIds: string[],
  activity: ActivityEntry[],
): Promise<number> {
  const properties = [...new Set(['phone', 'mobilephone', ...deps.mappings.map((m) => m.hubspotProperty)])];
  const readAt = ctx.now();
  let created = 0;
  for (const contact of await readContacts(deps.hubspot, contactIds, properties)) {
    const full = buildDialerContact(contact, deps);
    if (!full) continue;
    const write = { contactId: contact.id, dialerExternalId: contact.id, ...full, readAt, inFlight: false };
    const result = await writeContactToDialer(ctx, installationId, deps.dialer, deps.rules, {
      ...write,
      createdBy: 'hubspot',
    });
    if ('contact' in result) created++;
    else
      activity.push({
        contactId: contact.id,
        level: 'warning',
        step: 'contact_sync_failed',
        message: `Dialer.io refused the contact's changes: ${result.refused}`,
      });
  }
  return created;
}

/**
 * A HubSpot contact's phone (E.164) and every field mapped towards Dialer.io, in both forms; null
 * when it has no valid phone. A cleared HubSpot `phone` (a mobile phone is used) is no value to move.
 */
export function buildDialerContact(
  contact: { id: string; properties: Record<string, string | null | undefined> },
  deps: Pick<CreateDeps, 'mappings' | 'owners' | 'country'>,
): { phone: string; fields: ReadField[] } | null {
  const phone = toDialerPhone(contact.properties, deps.country);
  if (!phone) return null;
  const fields: ReadField[] = [];
  for (const mapping of deps.mappings) {
    if (!movesToDialer(mapping)) continue;
    const value = contact.properties[mapping.hubspotProperty] ?? '';
    if (mapping.dialerField === 'phone' && value === '') continue;
    const dialerValue =
      mapping.dialerField === 'phone' ? phone : toDialerValue(mapping, value, deps.owners, deps.country);
    if (dialerValue === null || (dialerValue === '' && mapping.dialerField.startsWith('fields.'))) continue;
    fields.push({ dialerField: mapping.dialerField, hubspotValue: value, dialerValue });
  }
  return { phone, fields };
}
