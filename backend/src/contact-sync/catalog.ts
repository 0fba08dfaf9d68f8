import type { Direction } from './contact-sync.table.ts';

/** The kinds of values a mapping moves; they decide which HubSpot property types fit. */
export type ValueKind = 'text' | 'phone' | 'email' | 'owner' | 'boolean' | 'enumeration';
export type Category = 'locked' | 'special' | 'default' | 'custom' | 'compliance';

export interface Mapping {
  dialerField: string;
  hubspotProperty: string;
  category: Category;
  direction: Direction;
  editable: boolean;
  removable: boolean;
  kind: ValueKind;
}

type BuiltIn = Pick<Mapping, 'dialerField' | 'hubspotProperty' | 'category' | 'kind'> & {
  direction: Direction;
};

const both = 'both' as const;
const defaultField = (dialerField: string, hubspotProperty: string): BuiltIn => ({
  dialerField,
  hubspotProperty,
  category: 'default',
  direction: both,
  kind: 'text',
});

/** The mapping every portal starts with (issue 12; Aloware's property-mapping guide). */
export const BUILT_IN_MAPPINGS: readonly BuiltIn[] = [
  { dialerField: 'phone', hubspotProperty: 'phone', category: 'locked', direction: both, kind: 'phone' },
  { dialerField: 'email', hubspotProperty: 'email', category: 'locked', direction: both, kind: 'email' },
  {
    dialerField: 'owner_email',
    hubspotProperty: 'hubspot_owner_id',
    category: 'special',
    direction: both,
    kind: 'owner',
  },
  {
    dialerField: 'fields.lead_status',
    hubspotProperty: 'hs_lead_status',
    category: 'special',
    direction: both,
    kind: 'enumeration',
  },
  {
    dialerField: 'fields.lifecycle_stage',
    hubspotProperty: 'lifecyclestage',
    category: 'special',
    direction: both,
    kind: 'enumeration',
  },
  defaultField('first_name', 'firstname'),
  defaultField('last_name', 'lastname'),
  defaultField('company', 'company'),
  defaultField('timezone', 'hs_timezone'),
  ...['address', 'city', 'state', 'country', 'zip', 'website'].map((f) => defaultField(`fields.${f}`, f)),
  {
    dialerField: 'dnc',
    hubspotProperty: 'dialer_sync_do_not_call',
    category: 'compliance',
    direction: 'dialer_to_hubspot',
    kind: 'boolean',
  },
  {
    dialerField: 'line_type',
    hubspotProperty: 'dialer_sync_line_type',
    category: 'compliance',
    direction: 'dialer_to_hubspot',
    kind: 'enumeration',
  },
];

const CUSTOM_FIELD = /^fields\.[a-z0-9_]{1,64}$/;

export function builtIn(dialerField: string): BuiltIn | undefined {
  return BUILT_IN_MAPPINGS.find((m) => m.dialerField === dialerField);
}

export function isKnownDialerField(dialerField: string): boolean {
  return builtIn(dialerField) !== undefined || CUSTOM_FIELD.test(dialerField);
}

export function toMapping(base: BuiltIn | undefined, row: StoredMapping | undefined): Mapping {
  const category = base?.category ?? 'custom';
  return {
    dialerField: base?.dialerField ?? row!.dialer_field,
    hubspotProperty: base?.hubspotProperty ?? row!.hubspot_property,
    category,
    direction: row?.direction ?? base!.direction,
    editable: category !== 'locked',
    removable: category === 'default' || category === 'custom',
    kind: base?.kind ?? 'text',
  };
}

export interface StoredMapping {
  dialer_field: string;
  hubspot_property: string;
  direction: Direction;
  removed: boolean;
}

/** Built-ins (as changed by the portal, minus removed defaults) and then the custom mappings. */
export function effectiveMappings(rows: readonly StoredMapping[]): Mapping[] {
  const byField = new Map(rows.map((row) => [row.dialer_field, row]));
  const builtIns = BUILT_IN_MAPPINGS.filter((m) => !byField.get(m.dialerField)?.removed).map((m) =>
    toMapping(m, byField.get(m.dialerField)),
  );
  const custom = rows
    .filter((row) => !builtIn(row.dialer_field) && !row.removed)
    .sort((a, b) => a.dialer_field.localeCompare(b.dialer_field))
    .map((row) => toMapping(undefined, row));
  return [...builtIns, ...custom];
}

export const movesToDialer = (m: Pick<Mapping, 'direction'>) => m.direction !== 'dialer_to_hubspot';
export const movesToHubSpot = (m: Pick<Mapping, 'direction'>) => m.direction !== 'hubspot_to_dialer';

/** HubSpot property types each kind of value can be written to and read from. */
const FITTING_TYPES: Record<ValueKind, readonly string[]> = {
  text: ['string', 'number', 'enumeration', 'phone_number'],
  phone: ['string', 'phone_number'],
  email: ['string'],
  owner: ['enumeration'],
  boolean: ['bool', 'enumeration'],
  enumeration: ['enumeration', 'string'],
};

export function typeFits(kind: ValueKind, property: { type: string; fieldType?: string }): boolean {
  if (!FITTING_TYPES[kind].includes(property.type)) return false;
  // A yes/no value fits an enumeration only as a checkbox.
  if (kind === 'boolean' && property.type === 'enumeration')
    return property.fieldType === 'booleancheckbox' || property.fieldType === 'checkbox';
  return true;
}
