import type { PortalClient } from '../hubspot/client.ts';
import type { Db } from '../platform/db/database.ts';
import { builtIn, isKnownDialerField, typeFits, type Mapping } from './catalog.ts';
import type { Direction } from './contact-sync.table.ts';
import { contactSyncError } from './errors.ts';
import { findContactProperty } from './hubspot-properties.ts';
import { deleteMappingRow, loadMappings, saveMapping } from './mapping-repository.ts';

// The property-mapping use-cases: every rule is checked before anything is stored.

export interface MappingChange {
  dialerField: string;
  hubspotProperty: string;
  direction: Direction;
}

export async function changeMapping(
  db: Db,
  installationId: string,
  hubspot: PortalClient,
  change: MappingChange,
): Promise<Mapping> {
  const base = checkField(change.dialerField);
  if (base?.category === 'locked')
    throw contactSyncError(
      'mapping_locked',
      `${change.dialerField} always maps to ${base.hubspotProperty}, both ways.`,
    );
  if (base && change.hubspotProperty !== base.hubspotProperty)
    throw contactSyncError(
      'mapping_locked',
      `${change.dialerField} always maps to ${base.hubspotProperty}; only its direction can change.`,
    );
  if (base?.category === 'compliance' && change.direction !== 'dialer_to_hubspot')
    throw contactSyncError(
      'direction_not_allowed',
      `${change.dialerField} is set by Dialer.io alone: it only moves to HubSpot.`,
    );

  const property = await findContactProperty(hubspot, change.hubspotProperty);
  if (!property)
    throw contactSyncError(
      'property_not_found',
      `This HubSpot portal has no contact property "${change.hubspotProperty}".`,
    );
  const kind = base?.kind ?? 'text';
  if (!typeFits(kind, property))
    throw contactSyncError(
      'property_type_mismatch',
      `${change.dialerField} holds ${kind} values; "${property.name}" is a ${property.type} property.`,
    );
  if (property.readOnly && change.direction !== 'hubspot_to_dialer')
    throw contactSyncError(
      'direction_not_allowed',
      `HubSpot calculates "${property.name}": it can only move from HubSpot to Dialer.io.`,
    );
  const current = await loadMappings(db, installationId);
  const taken = current.find(
    (m) => m.hubspotProperty === property.name && m.dialerField !== change.dialerField,
  );
  if (taken)
    throw contactSyncError(
      'property_already_mapped',
      `"${property.name}" is already mapped to ${taken.dialerField}.`,
    );

  await saveMapping(db, installationId, change);
  return (await loadMappings(db, installationId)).find((m) => m.dialerField === change.dialerField)!;
}

export async function removeMapping(db: Db, installationId: string, dialerField: string): Promise<void> {
  const base = checkField(dialerField);
  if (base && base.category !== 'default')
    throw contactSyncError(
      'mapping_locked',
      `The ${base.category} mapping of ${dialerField} cannot be removed.`,
    );
  const current = (await loadMappings(db, installationId)).find((m) => m.dialerField === dialerField);
  // Already not mapped: a repeated DELETE (HubSpot replays a 5xx, a second click) succeeds too.
  if (!current) return;
  if (base) await saveMapping(db, installationId, { ...current, removed: true });
  else await deleteMappingRow(db, installationId, dialerField);
}

function checkField(dialerField: string) {
  if (!isKnownDialerField(dialerField))
    throw contactSyncError(
      'unknown_dialer_field',
      `"${dialerField}" is not a Dialer.io contact field. Custom fields are written fields.<key> (lowercase letters, digits, _).`,
    );
  return builtIn(dialerField);
}
