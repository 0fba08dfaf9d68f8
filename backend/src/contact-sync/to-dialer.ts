import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import type { DialerClient, DialerContactInput } from '../dialer/index.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { movesToDialer, type Mapping } from './catalog.ts';
import { findLinks } from './links.ts';
import { loadMappings } from './mapping-repository.ts';
import { getContactSyncSettings } from './settings.ts';
import type { SyncedRow, SyncedValue } from './sync-values.ts';
import { writeToDialer, type DialerWrite } from './dialer-write.ts';
import { syncObservations } from './sync-run.ts';
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
  const deps = {
    hubspot: ctx.hubspot.forInstallation(installation),
    dialer: dialerClientFor(ctx, connection),
    mappings: all.filter(movesToDialer),
    owners: await loadOwnerDirectory(ctx.db, installationId),
    country: connection.country,
  };
  written += await createInDialer(ctx, installationId, deps, unlinked, activity);
  await recordActivity(ctx.db, installationId, activity);
  return { written };
}

async function sendToDialer(
  ctx: AppContext,
  dialer: DialerClient,
  installationId: string,
  plan: DialerWrite,
  activity: ActivityEntry[],
): Promise<boolean> {
  const result = await writeToDialer(ctx.db, installationId, dialer, plan);
  if ('contact' in result) return true;
  activity.push({
    contactId: plan.contactId,
    level: 'warning',
    step: 'contact_sync_failed',
    message: `Dialer.io refused the contact's changes: ${result.refused}`,
  });
  return false;
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
      dialerExternalId: contact.id,
      body: full.body,
      written: full.written,
      previous: new Map<string, SyncedValue>(),
      createdBy: 'hubspot' as const,
    };
    if (await sendToDialer(ctx, deps.dialer, installationId, plan, activity)) created++;
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
