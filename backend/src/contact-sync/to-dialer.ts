import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import type { DialerClient, DialerContactInput } from '../dialer/index.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { movesToDialer, type Mapping } from './catalog.ts';
import { findLinks, type Link } from './links.ts';
import { loadMappings } from './mapping-repository.ts';
import { getContactSyncSettings } from './settings.ts';
import { judge, loadSyncedValues, valueKey, type SyncedRow, type SyncedValue } from './sync-values.ts';
import { writeToDialer } from './dialer-write.ts';
import { loadOwnerDirectory, setDialerField, toDialerValue, type OwnerDirectory } from './values.ts';
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

interface Plan {
  contactId: string;
  link: Link;
  body: Partial<DialerContactInput>;
  written: SyncedRow[];
}

/**
 * HubSpot → Dialer.io: the changes of mapped properties whose direction allows it, on contacts
 * linked to a Dialer.io contact, become one `PUT /v1/contacts/{external id}` per contact (paced).
 * Unlinked contacts get a Dialer.io contact only when `creation` allows it for every contact with
 * a phone. A Dialer.io refusal fails that contact only; an outage throws (the job retries).
 */
export async function applyHubSpotChanges(
  ctx: AppContext,
  installation: Installation,
  changes: HubSpotChange[],
  options: { mayCreate: boolean } = { mayCreate: true },
): Promise<{ written: number }> {
  const installationId = installation.id;
  const mappings = (await loadMappings(ctx.db, installationId)).filter(movesToDialer);
  const byProperty = new Map(mappings.map((m) => [m.hubspotProperty, m]));
  const relevant = changes.filter((c) => byProperty.has(c.property)).sort((a, b) => a.at - b.at);
  if (relevant.length === 0) return { written: 0 };
  const connection = await findConnection(ctx.db, installationId);
  if (!connection) return { written: 0 };
  const settings = await getContactSyncSettings(ctx.db, installationId);
  const contactIds = [...new Set(relevant.map((c) => c.contactId))];
  const links = await findLinks(ctx.db, installationId, contactIds);
  const hubspot = ctx.hubspot.forInstallation(installation);
  const owners = await loadOwnerDirectory(ctx.db, installationId);
  const dialer = dialerClientFor(ctx, connection);
  const activity: ActivityEntry[] = [];
  let written = 0;

  const stored = await loadSyncedValues(ctx.db, installationId, [...links.keys()]);
  const previous = new Map(stored);
  const plans = planChanges(relevant, links, byProperty, stored, (mapping, value) =>
    toDialerValue(mapping, value, owners, connection.country),
  );
  const phones = await phonesFor(hubspot, [...plans.values()], connection.country, stored);
  for (const plan of plans.values()) {
    const phone = plan.body.phone ?? phones.get(plan.contactId);
    if (!phone) continue;
    const write = { ...plan, previous, createdBy: 'link' as const };
    if (await sendToDialer(ctx, dialer, installationId, write, { ...plan.body, phone }, activity)) written++;
  }

  const unlinked = contactIds.filter((id) => !links.has(id));
  if (
    options.mayCreate &&
    settings.creation !== 'off' &&
    settings.createFromHubSpot === 'with_phone' &&
    unlinked.length > 0
  )
    written += await createInDialer(
      ctx,
      installationId,
      { hubspot, dialer, mappings, owners, country: connection.country },
      unlinked,
      activity,
    );
  await recordActivity(ctx.db, installationId, activity);
  return { written };
}

/** Per linked contact, the fields to write: changes judged newer than what was synced last. */
function planChanges(
  changes: HubSpotChange[],
  links: Map<string, Link>,
  byProperty: Map<string, Mapping>,
  stored: Map<string, SyncedValue>,
  convert: (mapping: Mapping, hubspotValue: string) => string | null,
): Map<string, Plan> {
  const plans = new Map<string, Plan>();
  for (const change of changes) {
    const link = links.get(change.contactId);
    if (!link) continue;
    const mapping = byProperty.get(change.property)!;
    const key = valueKey(change.contactId, mapping.dialerField);
    if (judge({ side: 'hubspot', value: change.value, at: change.at }, stored.get(key)) !== 'apply') continue;
    const dialerValue = convert(mapping, change.value);
    if (dialerValue === null) continue;
    const plan = plans.get(change.contactId) ?? { contactId: change.contactId, link, body: {}, written: [] };
    setDialerField(plan.body as DialerContactInput, mapping.dialerField, dialerValue);
    const row = {
      contactId: change.contactId,
      dialerField: mapping.dialerField,
      hubspotValue: change.value,
      dialerValue,
      changedAt: change.at,
      source: 'hubspot' as const,
    };
    plan.written.push(row);
    stored.set(key, row);
    plans.set(change.contactId, plan);
  }
  return plans;
}

async function sendToDialer(
  ctx: AppContext,
  dialer: DialerClient,
  installationId: string,
  plan: Plan & { previous: Map<string, SyncedValue>; createdBy: 'hubspot' | 'link' },
  body: DialerContactInput,
  activity: ActivityEntry[],
): Promise<boolean> {
  const result = await writeToDialer(ctx.db, installationId, dialer, {
    contactId: plan.contactId,
    dialerExternalId: plan.link.dialerExternalId,
    body,
    written: plan.written,
    previous: plan.previous,
    createdBy: plan.createdBy,
  });
  if ('contact' in result) return true;
  activity.push({
    contactId: plan.contactId,
    level: 'warning',
    step: 'contact_sync_failed',
    message: `Dialer.io refused the contact's changes: ${result.refused}`,
  });
  return false;
}

/** The Dialer.io phone of each planned contact: the one synced last, else HubSpot's (one read per 100). */
async function phonesFor(
  hubspot: PortalClient,
  plans: Plan[],
  country: string,
  stored: Map<string, { dialerValue: string | null }>,
): Promise<Map<string, string>> {
  const phones = new Map<string, string>();
  const missing: string[] = [];
  for (const plan of plans) {
    const known = stored.get(valueKey(plan.contactId, 'phone'))?.dialerValue;
    if (known) phones.set(plan.contactId, known);
    else if (!plan.body.phone) missing.push(plan.contactId);
  }
  for (const contact of await readContacts(hubspot, missing, ['phone', 'mobilephone'])) {
    const e164 = toDialerPhone(contact.properties, country);
    if (e164) phones.set(contact.id, e164);
  }
  return phones;
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
  let created = 0;
  for (const contact of await readContacts(deps.hubspot, contactIds, properties)) {
    const full = buildDialerContact(contact, deps, ctx.now());
    if (!full) continue;
    const plan = {
      contactId: contact.id,
      link: { contactId: contact.id, dialerExternalId: contact.id },
      body: full.body,
      written: full.written,
      previous: new Map<string, SyncedValue>(),
      createdBy: 'hubspot' as const,
    };
    if (await sendToDialer(ctx, deps.dialer, installationId, plan, full.body, activity)) created++;
  }
  return created;
}

/** The whole Dialer.io contact for a HubSpot contact (every field mapped towards Dialer.io). */
export function buildDialerContact(
  contact: { id: string; properties: Record<string, string | null | undefined> },
  deps: Pick<CreateDeps, 'mappings' | 'owners' | 'country'>,
  at: number,
): { body: DialerContactInput; written: SyncedRow[] } | null {
  const phone = toDialerPhone(contact.properties, deps.country);
  if (!phone) return null;
  const body: DialerContactInput = { phone };
  const written: SyncedRow[] = [];
  for (const mapping of deps.mappings) {
    if (!movesToDialer(mapping)) continue;
    const value = contact.properties[mapping.hubspotProperty] ?? '';
    const dialerValue =
      mapping.dialerField === 'phone' ? phone : toDialerValue(mapping, value, deps.owners, deps.country);
    if (dialerValue === null || (dialerValue === '' && mapping.dialerField.startsWith('fields.'))) continue;
    setDialerField(body, mapping.dialerField, dialerValue);
    written.push({
      contactId: contact.id,
      dialerField: mapping.dialerField,
      hubspotValue: value,
      dialerValue,
      changedAt: at,
      source: 'hubspot',
    });
  }
  return { body, written };
}
