import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import type { DialerClient, DialerContact } from '../dialer/index.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { movesToHubSpot, type Mapping } from './catalog.ts';
import { loadMappings } from './mapping-repository.ts';
import { getContactSyncSettings, type ContactSyncSettingsView } from './settings.ts';
import type { FieldObservation } from './reconcile.ts';
import { hubspotContactFor } from './dialer-contact-link.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { syncObservations } from './sync-run.ts';
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

/** A Dialer.io value of one mapped field, in both forms (for a HubSpot contact created from it). */
export interface DialerFieldValue {
  contactId: string;
  dialerField: string;
  hubspotValue: string;
  dialerValue: string;
}

export function valueRow(
  c: Pick<Context, 'owners'>,
  mapping: Mapping,
  contactId: string,
  contact: DialerContact,
): DialerFieldValue | null {
  const dialerValue = dialerValueOf(contact, mapping.dialerField);
  if (dialerValue === '') return null; // never blank a HubSpot field
  const hubspotValue = toHubSpotValue(mapping, dialerValue, c.owners);
  if (hubspotValue === null) return null;
  return { contactId, dialerField: mapping.dialerField, hubspotValue, dialerValue };
}
