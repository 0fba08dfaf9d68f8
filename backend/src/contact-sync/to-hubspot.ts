import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import type { DialerClient, DialerContact } from '../dialer/index.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { movesToHubSpot, type Mapping } from './catalog.ts';
import { readContacts, updateContacts, type ContactUpdate } from './hubspot-contacts.ts';
import { loadMappings } from './mapping-repository.ts';
import { getContactSyncSettings, type ContactSyncSettingsView } from './settings.ts';
import type { FieldObservation } from './reconcile.ts';
import { hubspotContactFor } from './dialer-contact-link.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { syncObservations } from './sync-run.ts';
import {
  loadSyncedValues,
  reserveTargetValues,
  restoreTargetValues,
  saveSyncedValues,
  valueKey,
  type SyncedRow,
} from './sync-values.ts';
import {
  dialerChangedAt,
  dialerValueOf,
  loadOwnerDirectory,
  toHubSpotValue,
  type OwnerDirectory,
} from './values.ts';

/** A Dialer.io `contact.updated` event: the contact as it is now and the fields that changed. */
export interface DialerChange {
  contact: DialerContact;
  changed: string[];
}

export interface Context {
  installationId: string;
  hubspot: PortalClient;
  mappings: Mapping[];
  owners: OwnerDirectory;
  settings: ContactSyncSettingsView;
  country: string;
  activity: ActivityEntry[];
}

/**
 * Dialer.io → HubSpot: the changed fields of each `contact.updated` event are observations of
 * Dialer.io judged by the sync model (decision 0012); HubSpot is written the fields that change,
 * 100 contacts per batch. A Dialer.io contact with no HubSpot contact is linked (email, then
 * phone) or, when `creation` is "both", created. Compliance fields move even when `updates` is
 * "hubspot_to_dialer".
 */
export async function applyDialerChanges(
  ctx: AppContext,
  installation: Installation,
  changes: DialerChange[],
): Promise<void> {
  const installationId = installation.id;
  const settings = await getContactSyncSettings(ctx.db, installationId);
  const connection = await findConnection(ctx.db, installationId);
  if (!connection) return;
  const all = await loadMappings(ctx.db, installationId);
  const c: Context & { dialer: DialerClient } = {
    dialer: dialerClientFor(ctx, connection),
    installationId,
    hubspot: ctx.hubspot.forInstallation(installation),
    mappings: all.filter(movesToHubSpot),
    owners: await loadOwnerDirectory(ctx.db, installationId),
    settings,
    country: connection.country,
    activity: [],
  };
  const observations: FieldObservation[] = [];
  for (const change of changes) {
    const contactId = await hubspotContactFor(ctx, c, change, valueRow);
    if (!contactId) continue;
    const at = dialerChangedAt(change.contact, ctx.now());
    for (const mapping of all)
      if (
        change.changed.includes(mapping.dialerField) ||
        change.changed.includes(mapping.dialerField.replace(/^fields\./, ''))
      )
        observations.push({
          contactId,
          dialerField: mapping.dialerField,
          side: 'dialer',
          value: dialerValueOf(change.contact, mapping.dialerField),
          at,
        });
  }
  await syncObservations(ctx, installation, observations);
  await recordActivity(ctx.db, installationId, c.activity);
}

export function valueRow(
  c: Pick<Context, 'owners'>,
  mapping: Mapping,
  contactId: string,
  contact: DialerContact,
  at: number,
): SyncedRow | null {
  const dialerValue = dialerValueOf(contact, mapping.dialerField);
  if (dialerValue === '') return null; // never blank a HubSpot field
  const hubspotValue = toHubSpotValue(mapping, dialerValue, c.owners);
  if (hubspotValue === null) return null;
  return {
    contactId,
    dialerField: mapping.dialerField,
    hubspotValue,
    dialerValue,
    changedAt: at,
    source: 'dialer',
  };
}

/**
 * One batch update per 100 contacts, after one batch read: a value HubSpot already holds is not
 * written again (it is only remembered). Values are reserved on the HubSpot side before the write
 * (their property-change echo may come first) and confirmed after; refused contacts are undone.
 */
export async function writeRows(
  ctx: AppContext,
  c: Pick<Context, 'installationId' | 'hubspot' | 'mappings' | 'activity'>,
  pending: Map<string, SyncedRow[]>,
): Promise<{ ok: number; failed: number }> {
  if (pending.size === 0) return { ok: 0, failed: 0 };
  const propertyOf = (row: SyncedRow) =>
    c.mappings.find((m) => m.dialerField === row.dialerField)!.hubspotProperty;
  const current = await readContacts(
    c.hubspot,
    [...pending.keys()],
    [...new Set(c.mappings.map((m) => m.hubspotProperty))],
  );
  const holds = new Map(current.map((contact) => [contact.id, contact.properties]));
  const updates: ContactUpdate[] = [];
  for (const [id, rows] of pending) {
    const changed = rows.filter((row) => (holds.get(id)?.[propertyOf(row)] ?? '') !== row.hubspotValue);
    if (changed.length > 0)
      updates.push({
        id,
        properties: Object.fromEntries(changed.map((row) => [propertyOf(row), row.hubspotValue!])),
      });
  }
  const all = [...pending.values()].flat();
  const previous = await loadSyncedValues(ctx.db, c.installationId, [...pending.keys()]);
  await reserveTargetValues(ctx.db, c.installationId, all, 'hubspot');
  const refused = await updateContacts(c.hubspot, updates);
  await saveSyncedValues(
    ctx.db,
    c.installationId,
    all.filter((row) => !refused.has(row.contactId)),
  );
  const undo = all.filter((row) => refused.has(row.contactId));
  await restoreTargetValues(
    ctx.db,
    c.installationId,
    undo.map((row) => ({ ...row, previous: previous.get(valueKey(row.contactId, row.dialerField)) })),
    'hubspot',
  );
  for (const id of refused)
    c.activity.push({
      contactId: id,
      level: 'warning',
      step: 'contact_sync_failed',
      message: 'HubSpot refused the Dialer.io values of this contact.',
    });
  return { ok: pending.size - refused.size, failed: refused.size };
}
