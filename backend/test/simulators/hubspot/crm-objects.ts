// CRM object routes (contacts, calls, tasks): create, read, update, archive, batch, search.
import { Router, type Request, type Response } from 'express';
import type { SimCore } from './core.ts';
import { bodyOf, isoNow, notFound, param, portalOf, queryString, validationError } from './http.ts';
import { listParam, resolveAssociations, toApi, validateProperties, withHistory } from './objects.ts';
import { runSearch, validateSearch, type SearchRequest } from './search.ts';
import {
  OBJECT_TYPES,
  applyProperties,
  associate,
  insertObject,
  type ObjectType,
  type SimObject,
  type SimPortal,
} from './state.ts';

const BASES = ['/crm/v3/objects/:type', '/crm/objects/2026-03/:type'];
const at = (suffix: string) => BASES.map((b) => b + suffix);
const BATCH_MAX = 100;

function objectType(req: Request): ObjectType {
  const t = param(req, 'type');
  if (!(OBJECT_TYPES as readonly string[]).includes(t))
    throw notFound(`Unknown object type '${t}' in simulator`);
  return t as ObjectType;
}

function batchInputs(req: Request): Array<Record<string, unknown>> {
  const inputs = bodyOf(req).inputs;
  if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
  if (inputs.length > BATCH_MAX) {
    throw validationError(`Batch input has ${inputs.length} inputs; the limit is ${BATCH_MAX}.`, {
      context: { limit: [String(BATCH_MAX)] },
    });
  }
  return inputs.map((i) => (i && typeof i === 'object' ? (i as Record<string, unknown>) : {}));
}

function live(portal: SimPortal, type: ObjectType, id: string): SimObject | undefined {
  const o = portal.objects[type].get(id);
  return o && !o.archived ? o : undefined;
}

function createOne(portal: SimPortal, type: ObjectType, input: Record<string, unknown>): SimObject {
  const props = validateProperties(portal, type, input.properties, undefined);
  const assocs = resolveAssociations(portal, type, input.associations);
  const obj = insertObject(portal, type, props);
  for (const a of assocs) associate(obj, a.target, a.types);
  return obj;
}

function missingError(type: ObjectType, verb: string, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not ${verb} some ${type} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
  };
}

export function batchAnswer(
  res: Response,
  core: SimCore,
  started: string,
  results: unknown[],
  errors: unknown[],
  ok = 200,
) {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: started,
    completedAt: isoNow(core.now),
  };
  if (errors.length) Object.assign(body, { numErrors: errors.length, errors });
  res.status(errors.length ? 207 : ok).json(body);
}

export function crmObjectsRouter(core: SimCore): Router {
  const r = Router();

  r.post(at('/batch/create'), (req, res) => {
    const type = objectType(req);
    const portal = portalOf(res);
    const started = isoNow(core.now);
    const inputs = batchInputs(req);
    // All-or-nothing like HubSpot: validate everything before writing anything.
    inputs.forEach((i) => {
      validateProperties(portal, type, i.properties, undefined);
      resolveAssociations(portal, type, i.associations);
    });
    const created = inputs.map((i) => createOne(portal, type, i));
    batchAnswer(
      res,
      core,
      started,
      created.map((o) => toApi(o)),
      [],
      201,
    );
  });

  r.post(at('/batch/update'), (req, res) => {
    const type = objectType(req);
    const portal = portalOf(res);
    const started = isoNow(core.now);
    const inputs = batchInputs(req);
    const ids = inputs.map((i) => String(i.id ?? ''));
    if (new Set(ids).size !== ids.length) throw validationError('Duplicate IDs found in batch input');
    const missing = ids.filter((id) => !live(portal, type, id));
    const found = inputs.filter((i) => live(portal, type, String(i.id)));
    found.forEach((i) => validateProperties(portal, type, i.properties, live(portal, type, String(i.id))));
    const results = found.map((i) => {
      const obj = live(portal, type, String(i.id))!;
      applyProperties(portal, obj, i.properties as Record<string, unknown>);
      return toApi(obj);
    });
    batchAnswer(res, core, started, results, missing.length ? [missingError(type, 'update', missing)] : []);
  });

  r.post(at('/batch/read'), (req, res) => {
    const type = objectType(req);
    const portal = portalOf(res);
    const started = isoNow(core.now);
    const body = bodyOf(req);
    const inputs = batchInputs(req);
    const props = listParam(body.properties) ?? [];
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const i of inputs) {
      const key = String(i.id ?? '');
      const obj = idProperty
        ? [...portal.objects[type].values()].find((o) => !o.archived && o.properties[idProperty] === key)
        : live(portal, type, key);
      if (obj) results.push(withHistory(toApi(obj, props), obj, listParam(body.propertiesWithHistory)));
      else missing.push(key);
    }
    batchAnswer(res, core, started, results, missing.length ? [missingError(type, 'get', missing)] : []);
  });

  r.post(at('/batch/archive'), (req, res) => {
    const type = objectType(req);
    const portal = portalOf(res);
    for (const i of batchInputs(req)) {
      const obj = live(portal, type, String(i.id ?? ''));
      if (obj) obj.archived = true;
    }
    res.status(204).end();
  });

  r.post(at('/search'), (req, res) => {
    const type = objectType(req);
    const portal = portalOf(res);
    const body = bodyOf(req) as SearchRequest;
    validateSearch(body);
    const cutoff = core.now() - core.opts.searchIndexDelayMs;
    const indexed = [...portal.objects[type].values()].filter(
      (o) => !o.archived && o.createdAt <= cutoff && (o.searchVisibleAt ?? 0) <= core.now(),
    );
    const page = runSearch(indexed, body);
    const props = listParam(body.properties) ?? [];
    const out: Record<string, unknown> = {
      total: page.total,
      results: page.results.map((o) => toApi(o, props)),
    };
    if (page.nextAfter) {
      out.paging = {
        next: { after: page.nextAfter, link: `${req.baseUrl}${req.path}?after=${page.nextAfter}` },
      };
    }
    res.json(out);
  });

  r.post(BASES, (req, res) => {
    const type = objectType(req);
    res.status(201).json(toApi(createOne(portalOf(res), type, bodyOf(req))));
  });

  r.get(BASES, (req, res) => {
    const type = objectType(req);
    const portal = portalOf(res);
    const limit = Math.min(Number(queryString(req, 'limit') ?? 10) || 10, 100);
    const after = Number(queryString(req, 'after') ?? 0) || 0;
    const all = [...portal.objects[type].values()].filter((o) => !o.archived);
    const props = listParam(req.query.properties) ?? [];
    const assoc = listParam(req.query.associations);
    const out: Record<string, unknown> = {
      results: all.slice(after, after + limit).map((o) => toApi(o, props, assoc)),
    };
    if (after + limit < all.length) out.paging = { next: { after: String(after + limit) } };
    res.json(out);
  });

  const byId = (req: Request, res: Response): SimObject => {
    const type = objectType(req);
    const portal = portalOf(res);
    const key = param(req, 'id');
    const idProperty = queryString(req, 'idProperty');
    const obj = idProperty
      ? [...portal.objects[type].values()].find((o) => !o.archived && o.properties[idProperty] === key)
      : live(portal, type, key);
    if (!obj) throw notFound(`Object not found. objectId are usually numeric.`);
    return obj;
  };

  r.get(at('/:id'), (req, res) => {
    const obj = byId(req, res);
    res.json(toApi(obj, listParam(req.query.properties) ?? [], listParam(req.query.associations)));
  });

  r.patch(at('/:id'), (req, res) => {
    const portal = portalOf(res);
    const obj = byId(req, res);
    const props = validateProperties(portal, obj.objectType, bodyOf(req).properties, obj);
    applyProperties(portal, obj, props);
    res.json(toApi(obj));
  });

  r.delete(at('/:id'), (req, res) => {
    const type = objectType(req);
    const obj = live(portalOf(res), type, param(req, 'id'));
    if (obj) obj.archived = true;
    res.status(204).end();
  });

  return r;
}
