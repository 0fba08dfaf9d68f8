import express, { Router, type RequestHandler } from 'express';
import { requireHubSpotSignature, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { sendError } from '../platform/http-errors.ts';
import { jsonbSafeBody } from '../platform/http-hardening.ts';
import { verifyBody } from '../platform/json-depth.ts';
import { handleActionCall, workflowActions, type WorkflowActions } from './execute.ts';
import { listOptions } from './list-options.ts';
import { listOptionsRequestSchema, workflowCallSchema } from './schemas.ts';
import type { ActionKind } from './workflow-actions.table.ts';

/** The URLs the `*-hsmeta.json` files point at (after the backend origin). */
export const WORKFLOW_ACTION_PATHS = {
  addToList: '/hubspot/actions/add-to-list',
  removeFromList: '/hubspot/actions/remove-from-list',
  listOptions: '/hubspot/actions/list-options',
} as const;

/** HubSpot's workflow calls: signed (v3, or v2 as documented for actions), portal from the body. */
export function workflowActionRoutes(ctx: AppContext): Router {
  const deps = workflowActions(ctx);
  const router = Router();
  const signed = [
    express.json({ limit: '1mb', verify: verifyBody }),
    requireHubSpotSignature(deps.ctx, 'workflow-body', { allowV2: true }),
    jsonbSafeBody,
  ];
  router.post(WORKFLOW_ACTION_PATHS.addToList, ...signed, actionCall(deps, 'add'));
  router.post(WORKFLOW_ACTION_PATHS.removeFromList, ...signed, actionCall(deps, 'remove'));
  router.post(WORKFLOW_ACTION_PATHS.listOptions, ...signed, async (req, res) => {
    const parsed = listOptionsRequestSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error.message);
    res.json(await listOptions(deps, trusted(req).installation, parsed.data.fetchOptions ?? {}));
  });
  return router;
}

function actionCall(deps: WorkflowActions, action: ActionKind): RequestHandler {
  return async (req, res) => {
    const parsed = workflowCallSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error.message);
    const outputFields = await handleActionCall(deps, trusted(req).installation, action, parsed.data);
    res.json({ outputFields });
  };
}

function invalid(res: Parameters<RequestHandler>[1], details: string): void {
  sendError(res, 400, 'invalid_request', 'The request is not a HubSpot workflow action call.', details);
}
