import { z } from 'zod';
import { LINE_TYPES } from '../dialer/index.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { ensureContactPropertyGroup } from '../hubspot/api.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { Db } from '../platform/db/database.ts';

export const PROPERTY_GROUP = { name: 'dialer_sync', label: 'Dialer Sync' } as const;

interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  type: 'number' | 'datetime' | 'string' | 'bool' | 'enumeration';
  fieldType: 'number' | 'date' | 'text' | 'booleancheckbox' | 'select';
  options?: { label: string; value: string; displayOrder: number }[];
}

const number = (name: string, label: string, description: string): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'number',
  fieldType: 'number',
});
const datetime = (name: string, label: string, description: string): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'datetime',
  fieldType: 'date',
});
const text = (name: string, label: string, description: string): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'string',
  fieldType: 'text',
});
const options = (values: [string, string][]) =>
  values.map(([value, label], displayOrder) => ({ label, value, displayOrder }));

const LINE_TYPE_LABELS: Record<(typeof LINE_TYPES)[number], string> = {
  landline: 'Landline',
  wireless: 'Wireless',
  voip: 'VoIP',
  foreign: 'Foreign',
  unknown: 'Unknown',
};

/**
 * Every contact property of the "Dialer Sync" group, in one list. The internal names are fixed:
 * customers build reports on them. Rollups are computed from our calls table (rollups.ts); the
 * two compliance properties are written by contact sync (Dialer.io → HubSpot only).
 */
export const DIALER_SYNC_PROPERTIES: readonly PropertyDefinition[] = [
  number(
    'dialer_sync_total_inbound_calls',
    'Dialer.io inbound calls',
    'Inbound Dialer.io calls logged on this contact.',
  ),
  number(
    'dialer_sync_total_outbound_calls',
    'Dialer.io outbound calls',
    'Outbound Dialer.io calls logged on this contact.',
  ),
  datetime(
    'dialer_sync_first_inbound_call_at',
    'First Dialer.io inbound call',
    'When the first inbound Dialer.io call started.',
  ),
  datetime(
    'dialer_sync_first_outbound_call_at',
    'First Dialer.io outbound call',
    'When the first outbound Dialer.io call started.',
  ),
  datetime(
    'dialer_sync_last_inbound_call_at',
    'Last Dialer.io inbound call',
    'When the latest inbound Dialer.io call started.',
  ),
  datetime(
    'dialer_sync_last_outbound_call_at',
    'Last Dialer.io outbound call',
    'When the latest outbound Dialer.io call started.',
  ),
  datetime(
    'dialer_sync_last_call_at',
    'Last Dialer.io call',
    'When the latest Dialer.io call (either direction) started.',
  ),
  text(
    'dialer_sync_last_call_disposition',
    'Last Dialer.io call disposition',
    "The latest call's Dialer.io disposition (else its status).",
  ),
  text(
    'dialer_sync_last_inbound_call_disposition',
    'Last Dialer.io inbound call disposition',
    "The latest inbound call's disposition (else its status).",
  ),
  text(
    'dialer_sync_last_outbound_call_disposition',
    'Last Dialer.io outbound call disposition',
    "The latest outbound call's disposition (else its status).",
  ),
  text('dialer_sync_last_agent', 'Last Dialer.io agent', 'The Dialer.io agent of the latest call.'),
  {
    name: 'dialer_sync_do_not_call',
    label: 'Dialer.io Do Not Call',
    description: 'Set by Dialer.io (compliance): do not call this contact.',
    type: 'bool',
    fieldType: 'booleancheckbox',
    options: options([
      ['true', 'Yes'],
      ['false', 'No'],
    ]),
  },
  {
    name: 'dialer_sync_line_type',
    label: 'Dialer.io line type',
    description: "The phone line's type as Dialer.io knows it (compliance).",
    type: 'enumeration',
    fieldType: 'select',
    options: options(LINE_TYPES.map((value) => [value, LINE_TYPE_LABELS[value]])),
  },
];

/** Bump when the list above changes: portals below it get the missing properties on the next sweep. */
export const PROPERTIES_VERSION = 1;

const batchAnswer = z.object({
  errors: z
    .array(z.object({ category: z.string().optional(), message: z.string().optional() }).loose())
    .optional(),
});

/**
 * Creates the "Dialer Sync" group and its properties in one batch request. Safe to repeat: an
 * existing group or property (a CONFLICT per input) is left as it is. Should HubSpot refuse the
 * whole batch because some already exist (409), they are created one by one instead.
 */
export async function ensureDialerSyncProperties(client: PortalClient): Promise<void> {
  await ensureContactPropertyGroup(client, PROPERTY_GROUP.name, PROPERTY_GROUP.label);
  const inputs = DIALER_SYNC_PROPERTIES.map((p) => ({ ...p, groupName: PROPERTY_GROUP.name }));
  let answer: z.infer<typeof batchAnswer>;
  try {
    answer = batchAnswer.parse(
      (await client.send('batchCreateContactProperties', { body: { inputs } })) ?? {},
    );
  } catch (error) {
    if (!(error instanceof HubSpotError && error.code === 'conflict')) throw error;
    for (const input of inputs) await createUnlessExists(client, input);
    return;
  }
  const refused = (answer.errors ?? []).filter((e) => e.category !== 'CONFLICT');
  if (refused.length > 0)
    throw new HubSpotError(
      'bad_request',
      `HubSpot refused Dialer Sync contact properties: ${refused.map((e) => e.message ?? e.category).join('; ')}`,
      false,
    );
}

async function createUnlessExists(client: PortalClient, input: PropertyDefinition & { groupName: string }) {
  try {
    await client.send('createContactProperty', { body: input });
  } catch (error) {
    if (!(error instanceof HubSpotError && error.code === 'conflict')) throw error;
  }
}

/**
 * Ensures the properties unless this portal already has the current version (`force`: always, as
 * at install); records the version. Portals installed before a change get it from the sweep.
 */
export async function ensurePropertiesOnce(
  db: Db,
  installationId: string,
  client: PortalClient,
  { force = false } = {},
): Promise<boolean> {
  const row = await db
    .selectFrom('follow_up_portals')
    .select('properties_version')
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  if (!force && (row?.properties_version ?? 0) >= PROPERTIES_VERSION) return false;
  await ensureDialerSyncProperties(client);
  await db
    .insertInto('follow_up_portals')
    .values({
      installation_id: installationId,
      properties_version: PROPERTIES_VERSION,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc
        .column('installation_id')
        .doUpdateSet({ properties_version: PROPERTIES_VERSION, updated_at: new Date() }),
    )
    .execute();
  return true;
}
