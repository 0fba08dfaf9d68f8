// Owners, call outcomes, users, contact properties and groups, workflow callbacks, app uninstall.
import { Router, type Request, type Response } from 'express';
import type { SimCore } from './core.ts';
import {
  SimHttpError,
  bodyOf,
  isoNow,
  notFound,
  param,
  portalOf,
  queryString,
  validationError,
} from './http.ts';
import type { SimProperty, SimPortal, SimUser } from './state.ts';

function ownersPage(req: Request, res: Response) {
  const portal = portalOf(res);
  const email = queryString(req, 'email')?.toLowerCase();
  const archived = queryString(req, 'archived') === 'true';
  const limit = Math.min(Math.max(Number(queryString(req, 'limit') ?? 100) || 100, 1), 500);
  const after = Number(queryString(req, 'after') ?? 0) || 0;
  const all = portal.owners.filter(
    (o) => o.archived === archived && (!email || o.email.toLowerCase() === email),
  );
  const out: Record<string, unknown> = { results: all.slice(after, after + limit).map((o) => ({ ...o })) };
  if (after + limit < all.length) out.paging = { next: { after: String(after + limit) } };
  res.json(out);
}

function userJson(u: SimUser) {
  return {
    id: String(u.id),
    email: u.email,
    roleIds: u.roleIds,
    primaryTeamId: u.primaryTeamId,
    superAdmin: u.superAdmin,
  };
}

function objectTypeIsContacts(req: Request): void {
  const t = param(req, 'objectType');
  if (t !== 'contacts' && t !== '0-1')
    throw notFound(`The simulator only keeps contact properties, not '${t}'`);
}

function createProperty(portal: SimPortal, input: Record<string, unknown>): SimProperty {
  for (const k of ['name', 'label', 'groupName', 'type', 'fieldType']) {
    if (typeof input[k] !== 'string' || input[k] === '')
      throw validationError(`Property field '${k}' is required`);
  }
  const name = input.name as string;
  if (!/^[a-z][a-z0-9_]*$/.test(name))
    throw validationError(`Property name '${name}' must be lowercase letters, digits, _`);
  if (portal.properties.some((p) => p.name === name)) {
    throw new SimHttpError(409, 'CONFLICT', `Property named '${name}' already exists.`);
  }
  if (!portal.propertyGroups.some((g) => g.name === input.groupName)) {
    throw validationError(`Property group '${String(input.groupName)}' does not exist`);
  }
  const prop = { ...input, hubspotDefined: false } as SimProperty;
  portal.properties.push(prop);
  return prop;
}

function checkCallback(callbackId: string, outputFields: unknown): void {
  if (!callbackId) throw validationError('callbackId is required');
  if (!isPlainObject(outputFields)) throw validationError('outputFields must be an object');
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface CompletionInput {
  callbackId?: unknown;
  outputFields?: unknown;
  typedOutputs?: unknown;
}

/** 2026-03 batch input: `callbackId`, `outputFields` and `typedOutputs` (required by HubSpot's generated SDKs). */
function checkBatchInput(input: CompletionInput): void {
  checkCallback(String(input?.callbackId ?? ''), input?.outputFields);
  if (!isPlainObject(input.typedOutputs)) throw validationError('typedOutputs is required (an object)');
}

function completeCallback(core: SimCore, portal: SimPortal, callbackId: string, input: CompletionInput) {
  checkCallback(callbackId, input.outputFields);
  portal.callbackCompletions.push({
    callbackId,
    outputFields: input.outputFields as Record<string, unknown>,
    ...(isPlainObject(input.typedOutputs) ? { typedOutputs: input.typedOutputs } : {}),
    at: core.now(),
  });
}

export function miscRouter(core: SimCore): Router {
  const r = Router();

  r.get(['/crm/v3/owners', '/crm/owners/2026-03'], ownersPage);
  r.get(['/crm/v3/owners/:ownerId', '/crm/owners/2026-03/:ownerId'], (req, res) => {
    const owner = portalOf(res).owners.find((o) => o.id === param(req, 'ownerId'));
    if (!owner) throw notFound(`Owner ${param(req, 'ownerId')} not found`);
    res.json(owner);
  });

  r.get('/calling/v1/dispositions', (_req, res) => {
    res.json(portalOf(res).outcomes.map((o) => ({ ...o })));
  });

  r.get(['/settings/v3/users', '/settings/users/2026-03'], (_req, res) => {
    res.json({ results: [...portalOf(res).users.values()].map(userJson) });
  });
  r.get(['/settings/v3/users/:userId', '/settings/users/2026-03/:userId'], (req, res) => {
    const user = portalOf(res).users.get(Number(param(req, 'userId')));
    if (!user) throw notFound(`User ${param(req, 'userId')} not found`);
    res.json(userJson(user));
  });

  const propBases = ['/crm/v3/properties/:objectType', '/crm/properties/2026-03/:objectType'];
  const props = (s: string) => propBases.map((b) => b + s);
  r.get(props('/groups'), (req, res) => {
    objectTypeIsContacts(req);
    res.json({ results: portalOf(res).propertyGroups.filter((g) => !g.archived) });
  });
  r.post(props('/groups'), (req, res) => {
    objectTypeIsContacts(req);
    const portal = portalOf(res);
    const { name, label, displayOrder } = bodyOf(req);
    if (typeof name !== 'string' || !name || typeof label !== 'string' || !label) {
      throw validationError('Group name and label are required');
    }
    if (portal.propertyGroups.some((g) => g.name === name)) {
      throw new SimHttpError(409, 'CONFLICT', `Property group named '${name}' already exists.`);
    }
    const group = {
      name,
      label,
      displayOrder: typeof displayOrder === 'number' ? displayOrder : -1,
      archived: false,
    };
    portal.propertyGroups.push(group);
    res.status(201).json(group);
  });
  r.post(props('/batch/create'), (req, res) => {
    objectTypeIsContacts(req);
    const portal = portalOf(res);
    const inputs = bodyOf(req).inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
    const startedAt = isoNow(core.now);
    const results: SimProperty[] = [];
    const errors: unknown[] = [];
    for (const i of inputs as Array<Record<string, unknown>>) {
      try {
        results.push(createProperty(portal, i ?? {}));
      } catch (e) {
        if (!(e instanceof SimHttpError)) throw e;
        errors.push({
          status: 'error',
          category: e.category,
          message: e.message,
          context: { name: [String(i?.name)] },
        });
      }
    }
    const body: Record<string, unknown> = {
      status: 'COMPLETE',
      results,
      startedAt,
      completedAt: isoNow(core.now),
    };
    if (errors.length) Object.assign(body, { numErrors: errors.length, errors });
    res.status(errors.length ? 207 : 201).json(body);
  });
  r.get(propBases, (req, res) => {
    objectTypeIsContacts(req);
    res.json({ results: portalOf(res).properties });
  });
  r.get(props('/:name'), (req, res) => {
    objectTypeIsContacts(req);
    const p = portalOf(res).properties.find((x) => x.name === param(req, 'name'));
    if (!p) throw notFound(`Property ${param(req, 'name')} does not exist`);
    res.json(p);
  });
  r.post(propBases, (req, res) => {
    objectTypeIsContacts(req);
    res.status(201).json(createProperty(portalOf(res), bodyOf(req)));
  });

  r.post(
    ['/automation/v4/actions/callbacks/complete', '/automation/actions/callbacks/2026-03/complete'],
    (req, res) => {
      const portal = portalOf(res);
      const inputs = bodyOf(req).inputs;
      if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
      const list = inputs as CompletionInput[];
      list.forEach(checkBatchInput);
      list.forEach((i) => completeCallback(core, portal, String(i.callbackId), i));
      res.status(204).end();
    },
  );
  r.post(
    [
      '/automation/v4/actions/callbacks/:callbackId/complete',
      '/automation/actions/callbacks/2026-03/:callbackId/complete',
    ],
    (req, res) => {
      completeCallback(core, portalOf(res), param(req, 'callbackId'), bodyOf(req) as CompletionInput);
      res.status(204).end();
    },
  );

  r.delete(['/appinstalls/v3/external-install', '/appinstalls/2026-03/external-install'], (_req, res) => {
    const portal = portalOf(res);
    portal.uninstalled = true;
    core.tokens.revokeRefresh(portal.portalId);
    res.status(204).end();
  });

  return r;
}
