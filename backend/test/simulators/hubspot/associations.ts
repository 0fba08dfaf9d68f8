// Association routes: v3/v4/dated single PUTs, batch create, default associations, reads.
import { Router, type Request, type Response } from 'express';
import type { SimCore } from './core.ts';
import { bodyOf, isoNow, notFound, param, portalOf, validationError } from './http.ts';
import { checkTypes } from './objects.ts';
import {
  ASSOCIATION_TYPES,
  OBJECT_TYPES,
  OBJECT_TYPE_IDS,
  associate,
  defaultAssociationType,
  type AssociationType,
  type ObjectType,
  type SimObject,
  type SimPortal,
} from './state.ts';

function typeParam(req: Request, name: string): ObjectType {
  const t = param(req, name);
  if (!(OBJECT_TYPES as readonly string[]).includes(t))
    throw notFound(`Unknown object type '${t}' in simulator`);
  return t as ObjectType;
}

function object(portal: SimPortal, type: ObjectType, id: string): SimObject {
  const o = portal.objects[type].get(id);
  if (!o || o.archived) throw validationError(`No ${type} object with ID ${id} exists`);
  return o;
}

function live(portal: SimPortal, type: ObjectType, id: string): SimObject | undefined {
  const o = portal.objects[type].get(id);
  return o && !o.archived ? o : undefined;
}

function defaultTypes(from: ObjectType, to: ObjectType): AssociationType[] {
  const id = defaultAssociationType(from, to);
  if (!id) throw validationError(`No default association from ${from} to ${to}`);
  return [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: id }];
}

function labelled(from: SimObject, to: SimObject) {
  return {
    fromObjectTypeId: OBJECT_TYPE_IDS[from.objectType],
    fromObjectId: Number(from.id),
    toObjectTypeId: OBJECT_TYPE_IDS[to.objectType],
    toObjectId: Number(to.id),
    labels: [] as string[],
  };
}

export function associationsRouter(core: SimCore): Router {
  const r = Router();

  const pair = (req: Request, res: Response) => {
    const portal = portalOf(res);
    const fromType = typeParam(req, 'from');
    const toType = typeParam(req, 'to');
    return {
      fromType,
      toType,
      from: object(portal, fromType, param(req, 'id')),
      to: object(portal, toType, param(req, 'toId')),
    };
  };

  r.put(
    [
      '/crm/v4/objects/:from/:id/associations/default/:to/:toId',
      '/crm/objects/2026-03/:from/:id/associations/default/:to/:toId',
    ],
    (req, res) => {
      const { fromType, toType, from, to } = pair(req, res);
      const types = defaultTypes(fromType, toType);
      associate(from, to, types);
      const started = isoNow(core.now);
      res.json({
        status: 'COMPLETE',
        results: [{ from: { id: from.id }, to: { id: to.id }, associationSpec: types[0] }],
        startedAt: started,
        completedAt: isoNow(core.now),
      });
    },
  );

  r.put(
    [
      '/crm/v4/objects/:from/:id/associations/:to/:toId',
      '/crm/objects/2026-03/:from/:id/associations/:to/:toId',
    ],
    (req, res) => {
      const { fromType, toType, from, to } = pair(req, res);
      const types = checkTypes(fromType, toType, req.body as unknown).types;
      associate(from, to, types);
      res.status(201).json(labelled(from, to));
    },
  );

  r.put('/crm/v3/objects/:from/:id/associations/:to/:toId/:typeId', (req, res) => {
    const { fromType, toType, from, to } = pair(req, res);
    const types = checkTypes(fromType, toType, [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: Number(param(req, 'typeId')) },
    ]).types;
    associate(from, to, types);
    res.json({ id: from.id, properties: from.properties, createdAt: new Date(from.createdAt).toISOString() });
  });

  /**
   * Batch associations, as HubSpot answers them: each input on its own. An input whose object is
   * gone (deleted, merged away) is a per-input error naming both ids; the answer is 207 when some
   * inputs failed, 400 when every one did, and 200/201 otherwise.
   */
  const batch = (isDefault: boolean) => (req: Request, res: Response) => {
    const portal = portalOf(res);
    const fromType = typeParam(req, 'from');
    const toType = typeParam(req, 'to');
    const inputs = bodyOf(req).inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
    if (inputs.length > 100)
      throw validationError(`Batch input has ${inputs.length} inputs; the limit is 100.`);
    const started = isoNow(core.now);
    const results: unknown[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const i of inputs as Array<Record<string, { id?: unknown } | unknown>>) {
      const fromId = String((i.from as { id?: unknown } | undefined)?.id ?? '');
      const toId = String((i.to as { id?: unknown } | undefined)?.id ?? '');
      const types = isDefault ? defaultTypes(fromType, toType) : checkTypes(fromType, toType, i.types).types;
      const from = live(portal, fromType, fromId);
      const to = live(portal, toType, toId);
      if (!from || !to) {
        const [type, id] = from ? [toType, toId] : [fromType, fromId];
        errors.push({
          status: 'error',
          category: 'VALIDATION_ERROR',
          message: `No ${type} object with ID ${id} exists`,
          context: { fromObjectId: [fromId], toObjectId: [toId] },
        });
        continue;
      }
      associate(from, to, types);
      results.push(
        isDefault
          ? { from: { id: from.id }, to: { id: to.id }, associationSpec: types[0] }
          : labelled(from, to),
      );
    }
    if (results.length === 0 && errors.length > 0) throw validationError(String(errors[0]!.message));
    const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: started };
    if (errors.length) Object.assign(body, { numErrors: errors.length, errors });
    res.status(errors.length ? 207 : isDefault ? 200 : 201).json({ ...body, completedAt: isoNow(core.now) });
  };
  r.post(
    ['/crm/v4/associations/:from/:to/batch/create', '/crm/associations/2026-03/:from/:to/batch/create'],
    batch(false),
  );
  r.post(
    [
      '/crm/v4/associations/:from/:to/batch/associate/default',
      '/crm/associations/2026-03/:from/:to/batch/associate/default',
    ],
    batch(true),
  );

  r.get(
    ['/crm/v4/objects/:from/:id/associations/:to', '/crm/objects/2026-03/:from/:id/associations/:to'],
    (req, res) => {
      const portal = portalOf(res);
      const fromType = typeParam(req, 'from');
      const toType = typeParam(req, 'to');
      const from = portal.objects[fromType].get(param(req, 'id'));
      if (!from || from.archived) throw notFound(`No ${fromType} object with ID ${param(req, 'id')}`);
      const results = (from.associations[toType] ?? []).map((a) => ({
        toObjectId: Number(a.id),
        associationTypes: a.types.map((t) => ({
          category: t.associationCategory,
          typeId: t.associationTypeId,
          label: ASSOCIATION_TYPES.find((x) => x.typeId === t.associationTypeId)?.label ?? null,
        })),
      }));
      res.json({ results });
    },
  );

  return r;
}
