// CRM object rules: property validation per object type, inline associations, API serialization.
import { SimHttpError, validationError } from './http.ts';
import {
  ASSOCIATION_TYPES,
  type AssociationType,
  type ObjectType,
  type SimObject,
  type SimPortal,
} from './state.ts';

export const CALL_STATUSES = [
  'BUSY',
  'CALLING_CRM_USER',
  'CANCELED',
  'COMPLETED',
  'CONNECTING',
  'FAILED',
  'IN_PROGRESS',
  'NO_ANSWER',
  'QUEUED',
  'RINGING',
];
export const CALL_DIRECTIONS = ['INBOUND', 'OUTBOUND'];
const TASK_OPTIONS: Record<string, string[]> = {
  hs_task_status: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
  hs_task_priority: ['NONE', 'LOW', 'MEDIUM', 'HIGH'],
  hs_task_type: ['CALL', 'EMAIL', 'TODO', 'LINKED_IN', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE'],
};
const CALL_OPTIONS: Record<string, string[]> = {
  hs_call_status: CALL_STATUSES,
  hs_call_direction: CALL_DIRECTIONS,
};

export const DEFAULT_READ_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  calls: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

interface PropertyProblem {
  isValid: false;
  name: string;
  error: string;
  message: string;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/**
 * Checks property writes the way HubSpot does; throws a 400 VALIDATION_ERROR listing every problem.
 * `existing` is the object being updated (undefined on create).
 */
export function validateProperties(
  portal: SimPortal,
  type: ObjectType,
  props: unknown,
  existing: SimObject | undefined,
): Record<string, unknown> {
  if (props === undefined && existing) throw validationError('properties are required');
  if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) {
    throw validationError('properties must be an object of property name to value');
  }
  const p = (props ?? {}) as Record<string, unknown>;
  const problems: PropertyProblem[] = [];
  const bad = (name: string, error: string, message: string) =>
    problems.push({ isValid: false, name, error, message });

  if (type === 'contacts') {
    for (const name of Object.keys(p)) {
      if (!portal.properties.some((d) => d.name === name)) {
        throw new SimHttpError(400, 'VALIDATION_ERROR', `Property "${name}" does not exist`, {
          errors: [
            {
              message: `Property "${name}" does not exist`,
              code: 'PROPERTY_DOESNT_EXIST',
              context: { propertyName: [name] },
            },
          ],
        });
      }
    }
  }
  if (type === 'calls' || type === 'tasks') {
    const ts = p.hs_timestamp;
    if (!existing && (ts === undefined || str(ts) === ''))
      bad('hs_timestamp', 'REQUIRED', 'hs_timestamp is required');
    if (ts !== undefined && str(ts) !== '' && Number.isNaN(parseTimestamp(ts))) {
      bad(
        'hs_timestamp',
        'INVALID_DATE',
        `${str(ts)} is not a valid datetime (epoch milliseconds or ISO 8601)`,
      );
    }
  }
  const options = type === 'calls' ? CALL_OPTIONS : type === 'tasks' ? TASK_OPTIONS : {};
  for (const [name, allowed] of Object.entries(options)) {
    const v = str(p[name]);
    if (p[name] !== undefined && v !== '' && !allowed.includes(v)) {
      bad(name, 'INVALID_OPTION', `${v} was not one of the allowed options: [${allowed.join(', ')}]`);
    }
  }
  if (type === 'calls') {
    const disp = str(p.hs_call_disposition);
    if (disp !== '' && !portal.hasOutcome(disp)) {
      bad('hs_call_disposition', 'INVALID_OPTION', `${disp} is not a valid call outcome (disposition) id`);
    }
    const dur = str(p.hs_call_duration);
    if (dur !== '' && !Number.isFinite(Number(dur)))
      bad('hs_call_duration', 'INVALID_INTEGER', `${dur} is not a number`);
    const rec = str(p.hs_call_recording_url);
    if (rec !== '' && !/^https:\/\//i.test(rec)) {
      bad('hs_call_recording_url', 'INVALID_URL', `${rec} is not an HTTPS URL`);
    }
  }
  const owner = str(p.hubspot_owner_id);
  if (owner !== '' && !portal.hasOwner(owner)) {
    bad(
      'hubspot_owner_id',
      'INVALID_OWNER_ID',
      `${owner} is not a valid owner id (use the owner's id, not its userId)`,
    );
  }
  if (problems.length) {
    throw validationError(`Property values were not valid: ${JSON.stringify(problems)}`, {
      errors: problems.map((x) => ({
        message: x.message,
        code: x.error,
        context: { propertyName: [x.name] },
      })),
    });
  }
  if (type === 'contacts' && p.email !== undefined && str(p.email) !== '') {
    const email = str(p.email).toLowerCase();
    const dup = [...portal.objects.contacts.values()].find(
      (c) => !c.archived && c.id !== existing?.id && (c.properties.email ?? '').toLowerCase() === email,
    );
    if (dup) throw new SimHttpError(409, 'CONFLICT', `Contact already exists. Existing ID: ${dup.id}`);
  }
  return p;
}

function parseTimestamp(v: unknown): number {
  const s = str(v);
  return /^\d+$/.test(s) ? Number(s) : Date.parse(s);
}

export interface AssociationInput {
  to?: { id?: unknown };
  types?: AssociationType[];
}
export interface ResolvedAssociation {
  target: SimObject;
  types: AssociationType[];
}

/** Resolves `types` between two object types; throws 400 for unknown ids or a wrong pair. */
export function checkTypes(
  from: ObjectType,
  to: ObjectType | undefined,
  types: unknown,
): { to: ObjectType; types: AssociationType[] } {
  if (!Array.isArray(types) || types.length === 0) throw validationError('Association types are required');
  let target = to;
  for (const t of types as AssociationType[]) {
    const known = ASSOCIATION_TYPES.find((a) => a.from === from && a.typeId === Number(t?.associationTypeId));
    if (!known || (t.associationCategory ?? 'HUBSPOT_DEFINED') !== 'HUBSPOT_DEFINED') {
      throw validationError(
        `Unknown association type ${String(t?.associationCategory)}/${String(t?.associationTypeId)} from ${from}`,
      );
    }
    if (target && known.to !== target) {
      throw validationError(
        `Association type ${known.typeId} goes from ${from} to ${known.to}, not to ${target}`,
      );
    }
    target = known.to;
  }
  const out = (types as AssociationType[]).map((t) => ({
    associationCategory: 'HUBSPOT_DEFINED',
    associationTypeId: Number(t.associationTypeId),
  }));
  return { to: target!, types: out };
}

export function resolveAssociations(
  portal: SimPortal,
  from: ObjectType,
  input: unknown,
): ResolvedAssociation[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw validationError('associations must be an array');
  return (input as AssociationInput[]).map((a) => {
    const { to, types } = checkTypes(from, undefined, a?.types);
    const id = str(a?.to?.id);
    const target = portal.objects[to].get(id);
    if (!target || target.archived) {
      throw validationError(
        `One or more associated objects were not found: ${to} ${id || '(no id)'} does not exist`,
      );
    }
    return { target, types };
  });
}

export interface ApiObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  associations?: Record<string, { results: Array<{ id: string; type: string }> }>;
}

/** Serializes an object; `properties` undefined = every stored property (create/update answers). */
export function toApi(obj: SimObject, properties?: string[], associations?: string[]): ApiObject {
  let props: Record<string, string | null>;
  if (properties === undefined) props = { ...obj.properties };
  else {
    props = {};
    for (const name of [...DEFAULT_READ_PROPERTIES[obj.objectType], ...properties]) {
      const v = obj.properties[name];
      props[name] = v === undefined || v === '' ? null : v;
    }
  }
  const out: ApiObject = {
    id: obj.id,
    properties: props,
    createdAt: new Date(obj.createdAt).toISOString(),
    updatedAt: new Date(obj.updatedAt).toISOString(),
    archived: obj.archived,
  };
  const assoc: NonNullable<ApiObject['associations']> = {};
  for (const t of associations ?? []) {
    const list = obj.associations[t as ObjectType] ?? [];
    if (!list.length) continue;
    const label =
      ASSOCIATION_TYPES.find((a) => a.from === obj.objectType && a.to === t)?.label ?? 'association';
    assoc[t] = { results: list.map((a) => ({ id: a.id, type: label })) };
  }
  if (Object.keys(assoc).length) out.associations = assoc;
  return out;
}

export function listParam(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr
    .flatMap((x) => String(x).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Adds `propertiesWithHistory` (each asked property's versions, newest first) when asked for. */
export function withHistory(out: ApiObject, obj: SimObject, names: string[] | undefined) {
  if (!names?.length) return out;
  const history = Object.fromEntries(
    names.map((name) => [
      name,
      (obj.history?.[name] ?? []).map((v) => ({
        value: v.value,
        timestamp: new Date(v.timestamp).toISOString(),
        sourceType: v.sourceType,
      })),
    ]),
  );
  return { ...out, propertiesWithHistory: history };
}
