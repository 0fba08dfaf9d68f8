// In-memory state of the HubSpot simulator: portals, CRM objects, owners, outcomes, users, properties.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { DEFAULT_CONTACT_PROPERTIES, DEFAULT_OUTCOMES } from './defaults.ts';

export type ObjectType = 'contacts' | 'calls' | 'tasks';
export const OBJECT_TYPES: readonly ObjectType[] = ['contacts', 'calls', 'tasks'];
export const OBJECT_TYPE_IDS: Record<ObjectType, string> = { contacts: '0-1', calls: '0-48', tasks: '0-27' };

export interface AssociationType {
  associationCategory: string;
  associationTypeId: number;
}
export interface SimAssociation {
  id: string;
  types: AssociationType[];
}
export interface SimObject {
  id: string;
  objectType: ObjectType;
  /** Every value is a string, as HubSpot returns them; datetimes are ISO strings. */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  /** Keyed by the other object type, e.g. `call.associations.contacts[0].id`. Both directions are kept. */
  associations: Partial<Record<ObjectType, SimAssociation[]>>;
  /** Each property's values, newest first, as `propertiesWithHistory` answers them. */
  history?: Record<string, SimPropertyVersion[]>;
  /** Search does not see the object before this time (HubSpot's index reached it late). */
  searchVisibleAt?: number;
}
export interface SimPropertyVersion {
  value: string;
  timestamp: number;
  sourceType: string;
}
export interface SimOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface SimOutcome {
  id: string;
  label: string;
  deleted: boolean;
}
export interface SimUser {
  id: number;
  email: string;
  superAdmin: boolean;
  roleIds: string[];
  primaryTeamId?: string;
}
export interface SimProperty {
  name: string;
  label: string;
  groupName: string;
  type: string;
  fieldType: string;
  description?: string;
  options?: unknown[];
  hubspotDefined?: boolean;
  [key: string]: unknown;
}
export interface SimPropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}
export interface SimPropertyChange {
  objectId: string;
  propertyName: string;
  propertyValue: string;
  occurredAt: number;
  /** INTEGRATION for API writes, CRM_UI for a user's edit (`editContact`). */
  changeSource: string;
}
export interface CallbackCompletion {
  callbackId: string;
  outputFields: Record<string, unknown>;
  typedOutputs?: Record<string, unknown>;
  at: number;
}

/** Shared by every portal of one simulator: the clock, id generation, phone parsing. */
export interface SimContext {
  now: () => number;
  nextId: () => string;
  defaultCountry: CountryCode;
}

export interface PortalInit {
  portalId: number;
  superAdminUserIds?: number[];
  /** Users that exist but are not super admins. */
  userIds?: number[];
  owners?: Array<Omit<SimOwner, 'id' | 'archived' | 'createdAt' | 'updatedAt'> & { id?: string }>;
  /** Extra outcome labels on top of HubSpot's defaults. */
  outcomes?: string[];
  hubDomain?: string;
  /** The user who installs the app (token `user_id`); default: first super admin, else 1000 (created). */
  installingUserId?: number;
}

export class SimPortal {
  readonly portalId: number;
  readonly hubDomain: string;
  readonly installingUserId: number;
  readonly objects: Record<ObjectType, Map<string, SimObject>> = {
    contacts: new Map(),
    calls: new Map(),
    tasks: new Map(),
  };
  readonly owners: SimOwner[] = [];
  readonly outcomes: SimOutcome[] = DEFAULT_OUTCOMES.map((o) => ({ ...o }));
  readonly users = new Map<number, SimUser>();
  readonly properties: SimProperty[] = DEFAULT_CONTACT_PROPERTIES.map(([name, type, fieldType]) => ({
    name,
    label: name,
    groupName: 'contactinformation',
    type,
    fieldType,
    hubspotDefined: true,
  }));
  readonly propertyGroups: SimPropertyGroup[] = [
    { name: 'contactinformation', label: 'Contact information', displayOrder: -1, archived: false },
  ];
  readonly callbackCompletions: CallbackCompletion[] = [];
  /** Every change of a contact property after creation, as HubSpot's property-change webhooks would carry it. */
  readonly propertyChanges: SimPropertyChange[] = [];
  /** Set when the app is uninstalled through the appinstalls API. */
  uninstalled = false;

  constructor(
    readonly ctx: SimContext,
    init: PortalInit,
  ) {
    this.portalId = init.portalId;
    this.hubDomain = init.hubDomain ?? `sim-portal-${init.portalId}.com`;
    for (const id of init.superAdminUserIds ?? []) this.setUser(id, { superAdmin: true });
    for (const id of init.userIds ?? []) this.setUser(id, { superAdmin: false });
    this.installingUserId = init.installingUserId ?? init.superAdminUserIds?.[0] ?? 1000;
    if (!this.users.has(this.installingUserId)) this.setUser(this.installingUserId, { superAdmin: true });
    for (const o of init.owners ?? []) this.addOwner(o);
    for (const label of init.outcomes ?? []) this.addOutcome(label);
  }

  get contacts(): SimObject[] {
    return [...this.objects.contacts.values()];
  }
  get calls(): SimObject[] {
    return [...this.objects.calls.values()];
  }
  get tasks(): SimObject[] {
    return [...this.objects.tasks.values()];
  }
  contact(id: string): SimObject | undefined {
    return this.objects.contacts.get(id);
  }
  call(id: string): SimObject | undefined {
    return this.objects.calls.get(id);
  }
  task(id: string): SimObject | undefined {
    return this.objects.tasks.get(id);
  }
  callsByExternalId(externalId: string): SimObject[] {
    return this.calls.filter((c) => c.properties.hs_call_external_id === externalId);
  }

  /** Seeds a contact directly (no request, no validation, visible to search at once unless indexDelay). */
  private ownerSeq = 101;

  addContact(properties: Record<string, string | number | null>): string {
    return insertObject(this, 'contacts', properties).id;
  }

  addOwner(o: {
    email: string;
    firstName?: string;
    lastName?: string;
    userId: number;
    id?: string;
  }): SimOwner {
    const iso = new Date(this.ctx.now()).toISOString();
    const owner: SimOwner = {
      id: o.id ?? String(7_000_000 + this.ownerSeq++),
      email: o.email,
      firstName: o.firstName ?? '',
      lastName: o.lastName ?? '',
      userId: o.userId,
      archived: false,
      createdAt: iso,
      updatedAt: iso,
    };
    this.owners.push(owner);
    const user = this.users.get(o.userId);
    if (user) user.email = o.email;
    else this.setUser(o.userId, { superAdmin: false, email: o.email });
    return owner;
  }

  addOutcome(label: string): string {
    const id = crypto.randomUUID();
    this.outcomes.push({ id, label, deleted: false });
    return id;
  }

  setUser(userId: number, opts: { superAdmin: boolean; email?: string }): SimUser {
    const existing = this.users.get(userId);
    if (existing) {
      existing.superAdmin = opts.superAdmin;
      if (opts.email) existing.email = opts.email;
      return existing;
    }
    const user: SimUser = {
      id: userId,
      email: opts.email ?? `user${userId}@${this.hubDomain}`,
      superAdmin: opts.superAdmin,
      roleIds: [],
    };
    this.users.set(userId, user);
    return user;
  }

  hasOwner(id: string): boolean {
    return this.owners.some((o) => o.id === id && !o.archived);
  }
  hasOutcome(id: string): boolean {
    return this.outcomes.some((o) => o.id === id && !o.deleted);
  }
}

/** HubSpot's `hs_searchable_calculated_*`: national significant number, digits only. */
export function searchablePhone(value: string, defaultCountry: CountryCode): string {
  const parsed = parsePhoneNumberFromString(value, defaultCountry);
  if (parsed) return String(parsed.nationalNumber);
  return value.replace(/\D/g, '');
}

export function toPropertyString(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (name === 'hs_timestamp' && value !== '') {
    const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
    const date = Number.isFinite(n) ? new Date(n) : new Date(String(value));
    return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
  }
  return String(value);
}

const CREATED_PROP: Record<ObjectType, string[]> = {
  contacts: ['createdate'],
  calls: ['hs_createdate'],
  tasks: ['hs_createdate'],
};
const MODIFIED_PROP: Record<ObjectType, string[]> = {
  contacts: ['lastmodifieddate', 'hs_lastmodifieddate'],
  calls: ['hs_lastmodifieddate'],
  tasks: ['hs_lastmodifieddate'],
};

/** Applies property writes as HubSpot would (strings, calculated phone fields, modified dates). */
export function applyProperties(
  portal: SimPortal,
  obj: SimObject,
  props: Record<string, unknown>,
  changeSource = 'INTEGRATION',
): void {
  const existing = portal.objects[obj.objectType].has(obj.id);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'hs_object_id' || name.startsWith('hs_searchable_calculated_')) continue;
    const text = toPropertyString(name, value);
    if (existing && obj.objectType === 'contacts' && obj.properties[name] !== text)
      portal.propertyChanges.push({
        objectId: obj.id,
        propertyName: name,
        propertyValue: text,
        occurredAt: portal.ctx.now(),
        changeSource,
      });
    if (obj.properties[name] !== text)
      (obj.history ??= {})[name] = [
        {
          value: text,
          timestamp: portal.ctx.now(),
          sourceType: changeSource === 'CRM_UI' ? 'CRM_UI' : 'INTEGRATION',
        },
        ...(obj.history?.[name] ?? []),
      ];
    obj.properties[name] = text;
  }
  if (obj.objectType === 'contacts') {
    const { phone, mobilephone } = obj.properties;
    const c = portal.ctx.defaultCountry;
    obj.properties.hs_searchable_calculated_phone_number = phone ? searchablePhone(phone, c) : '';
    obj.properties.hs_searchable_calculated_mobile_number = mobilephone
      ? searchablePhone(mobilephone, c)
      : '';
  }
  obj.updatedAt = portal.ctx.now();
  for (const p of MODIFIED_PROP[obj.objectType]) obj.properties[p] = new Date(obj.updatedAt).toISOString();
}

export function insertObject(portal: SimPortal, type: ObjectType, props: Record<string, unknown>): SimObject {
  const now = portal.ctx.now();
  const id = portal.ctx.nextId();
  const obj: SimObject = {
    id,
    objectType: type,
    properties: { hs_object_id: id },
    createdAt: now,
    updatedAt: now,
    archived: false,
    associations: {},
  };
  for (const p of CREATED_PROP[type]) obj.properties[p] = new Date(now).toISOString();
  applyProperties(portal, obj, props);
  portal.objects[type].set(id, obj);
  return obj;
}

/** Association type ids this simulator knows, by from → to. */
export const ASSOCIATION_TYPES: Array<{ from: ObjectType; to: ObjectType; typeId: number; label: string }> = [
  { from: 'calls', to: 'contacts', typeId: 194, label: 'call_to_contact' },
  { from: 'contacts', to: 'calls', typeId: 193, label: 'contact_to_call' },
  { from: 'tasks', to: 'contacts', typeId: 204, label: 'task_to_contact' },
  { from: 'contacts', to: 'tasks', typeId: 203, label: 'contact_to_task' },
  // Task <-> call: the app uses HubSpot's default association (no type id); these ids are the simulator's own.
  { from: 'tasks', to: 'calls', typeId: 9216, label: 'task_to_call' },
  { from: 'calls', to: 'tasks', typeId: 9215, label: 'call_to_task' },
];

export function defaultAssociationType(from: ObjectType, to: ObjectType): number | undefined {
  return ASSOCIATION_TYPES.find((a) => a.from === from && a.to === to)?.typeId;
}

function addOne(obj: SimObject, toType: ObjectType, toId: string, types: AssociationType[]): void {
  const list = (obj.associations[toType] ??= []);
  const existing = list.find((a) => a.id === toId);
  if (!existing) {
    list.push({ id: toId, types: types.map((t) => ({ ...t })) });
    return;
  }
  for (const t of types) {
    if (!existing.types.some((e) => e.associationTypeId === t.associationTypeId))
      existing.types.push({ ...t });
  }
}

/** Stores an association in both directions (the reverse gets the paired HUBSPOT_DEFINED type). */
export function associate(from: SimObject, to: SimObject, types: AssociationType[]): void {
  addOne(from, to.objectType, to.id, types);
  const reverseId = defaultAssociationType(to.objectType, from.objectType);
  const reverse = reverseId
    ? [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: reverseId }]
    : types;
  addOne(to, from.objectType, from.id, reverse);
}
