// Simulator features for failure and recovery tests: multi-status batch writes (inputs carrying
// `objectWriteTraceId`), whole-portal outages, archived owners.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { RecordedRequest, SimCore } from './core.ts';
import { SimHttpError, bodyOf, hsError, isoNow, param, portalOf, validationError } from './http.ts';
import { isApiPath } from './limits.ts';
import { batchAnswer } from './crm-objects.ts';
import { resolveAssociations, toApi, validateProperties } from './objects.ts';
import {
  OBJECT_TYPES,
  applyProperties,
  associate,
  insertObject,
  type ObjectType,
  type SimObject,
} from './state.ts';

const BASES = ['/crm/v3/objects/:type', '/crm/objects/2026-03/:type'];
const BATCH_MAX = 100;

/** An outage: every API request answers `status` while it lasts (a count of requests, or until a time). */
export interface Outage {
  status: number;
  requests?: number;
  untilMs?: number;
}

export class RecoveryState {
  outage: Outage | undefined;
  /** Callback id → how many more completion requests carrying it are refused (400). */
  readonly refusedCallbacks = new Map<string, number>();
}

/** A batch completion carrying a refused callback id answers 400, as HubSpot does for a bad input. */
export function callbackRefusals(state: RecoveryState) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !/\/actions\/callbacks\/(2026-03\/)?complete$/.test(req.path)) return next();
    const inputs = bodyOf(req).inputs;
    const ids = Array.isArray(inputs)
      ? inputs.map((i) => String((i as { callbackId?: unknown })?.callbackId))
      : [];
    const refused = ids.find((id) => (state.refusedCallbacks.get(id) ?? 0) > 0);
    if (!refused) return next();
    state.refusedCallbacks.set(refused, state.refusedCallbacks.get(refused)! - 1);
    (res.locals.record as RecordedRequest).body = req.body;
    res.status(400).json(hsError('VALIDATION_ERROR', `Callback ${refused} cannot be completed`));
  };
}

type Input = Record<string, unknown>;

function traced(req: Request): Input[] | undefined {
  const inputs = bodyOf(req).inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) return undefined;
  const all = inputs.map((i) => (i && typeof i === 'object' ? (i as Input) : {}));
  return all.some((i) => typeof i.objectWriteTraceId === 'string') ? all : undefined;
}

/** HubSpot's per-input error for a multi-status answer: carries the input's trace id. */
function inputError(error: unknown, traceId: string | undefined): Record<string, unknown> {
  const e =
    error instanceof SimHttpError
      ? error
      : new SimHttpError(500, 'INTERNAL_ERROR', error instanceof Error ? error.message : String(error));
  const inner = (e.extra.errors as { context?: { propertyName?: string[] } }[] | undefined) ?? [];
  const propertyName = inner.flatMap((x) => x.context?.propertyName ?? []);
  return {
    ...hsError(e.category, e.message, {
      context: {
        ...(traceId ? { objectWriteTraceId: [traceId] } : {}),
        ...(propertyName.length ? { propertyName } : {}),
      },
      ...(inner.length ? { errors: inner } : {}),
    }),
    ...(traceId ? { objectWriteTraceId: traceId } : {}),
  };
}

/** Writes each input on its own: a result (with its trace id) or a per-input error. */
function eachInput(inputs: Input[], write: (input: Input) => SimObject) {
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    const traceId = typeof input.objectWriteTraceId === 'string' ? input.objectWriteTraceId : undefined;
    try {
      results.push({ ...toApi(write(input)), ...(traceId ? { objectWriteTraceId: traceId } : {}) });
    } catch (error) {
      errors.push(inputError(error, traceId));
    }
  }
  return { results, errors };
}

/**
 * Batch create and update whose inputs carry `objectWriteTraceId`: each input is validated and
 * written on its own; the answer is 207 with per-input results and errors when any input failed
 * (201/200 otherwise). Batches without trace ids go on to the all-or-nothing routes.
 */
export function multiStatusRouter(core: SimCore): Router {
  const r = Router();
  const typeOf = (req: Request) => {
    const t = param(req, 'type');
    return (OBJECT_TYPES as readonly string[]).includes(t) ? (t as ObjectType) : undefined;
  };

  r.post(
    BASES.map((b) => `${b}/batch/create`),
    (req, res, next) => {
      const inputs = traced(req);
      const type = typeOf(req);
      if (!inputs || !type) return next();
      if (inputs.length > BATCH_MAX)
        throw validationError(`Batch input has ${inputs.length} inputs; the limit is ${BATCH_MAX}.`);
      const portal = portalOf(res);
      const started = isoNow(core.now);
      const { results, errors } = eachInput(inputs, (input) => {
        const props = validateProperties(portal, type, input.properties, undefined);
        const assocs = resolveAssociations(portal, type, input.associations);
        const obj = insertObject(portal, type, props);
        for (const a of assocs) associate(obj, a.target, a.types);
        return obj;
      });
      batchAnswer(res, core, started, results, errors, 201);
    },
  );

  r.post(
    BASES.map((b) => `${b}/batch/update`),
    (req, res, next) => {
      const inputs = traced(req);
      const type = typeOf(req);
      if (!inputs || !type) return next();
      const portal = portalOf(res);
      const started = isoNow(core.now);
      const { results, errors } = eachInput(inputs, (input) => {
        const obj = portal.objects[type].get(String(input.id ?? ''));
        if (!obj || obj.archived)
          throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `Object ${String(input.id)} was not found`, {});
        applyProperties(portal, obj, validateProperties(portal, type, input.properties, obj));
        return obj;
      });
      batchAnswer(res, core, started, results, errors, 200);
    },
  );
  return r;
}

/** While an outage lasts, every API request (OAuth aside) answers its status. */
export function outageMiddleware(core: SimCore, state: RecoveryState) {
  return (req: Request, res: Response, next: NextFunction) => {
    const outage = state.outage;
    if (!outage || !isApiPath(req.path)) return next();
    const over =
      (outage.untilMs !== undefined && core.now() >= outage.untilMs) ||
      (outage.requests !== undefined && outage.requests <= 0);
    if (over) {
      state.outage = undefined;
      return next();
    }
    if (outage.requests !== undefined) outage.requests--;
    (res.locals.record as RecordedRequest).body = req.body;
    res.status(outage.status).json(hsError('INTERNAL_ERROR', `Simulated HubSpot outage (${outage.status})`));
  };
}

/** Archives an owner, as when a user is deactivated in HubSpot: it can no longer be assigned. */
export function archiveOwner(core: SimCore, portalId: number, ownerId: string): void {
  const owner = core.portal(portalId).owners.find((o) => o.id === ownerId);
  if (!owner) throw new Error(`HubSpot simulator: no owner ${ownerId} in portal ${portalId}`);
  owner.archived = true;
}
