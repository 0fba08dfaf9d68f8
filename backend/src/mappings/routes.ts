import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError, UPSTREAM_FAILED } from '../platform/http-errors.ts';
import { listAgents, listOwners, setAgentOwner } from './agents.ts';
import { listDispositions, listOutcomes, setDispositionOutcome } from './dispositions.ts';
import { MappingError, type MappingErrorCode } from './errors.ts';
import { refreshMappings } from './refresh.ts';

const id = z.string().trim().min(1).max(200);
const agentBody = z.object({ ownerId: id.nullable() }).strict();
const dispositionBody = z.object({ outcomeId: id.nullable() }).strict();

const STATUS: Record<MappingErrorCode, number> = {
  unknown_agent: 404,
  unknown_disposition: 404,
  unknown_owner: 400,
  unknown_outcome: 400,
  dialer_not_connected: 409,
  dialer_token_invalid: 400,
  dialer_unavailable: UPSTREAM_FAILED,
  hubspot_unavailable: UPSTREAM_FAILED,
  refresh_in_progress: 409,
};

/** Seconds after which the page may try again, per code that has one. */
const RETRY_AFTER: Partial<Record<MappingErrorCode, number>> = {
  refresh_in_progress: 5,
  dialer_unavailable: 30,
  hubspot_unavailable: 30,
};

function parseBody<T>(schema: z.ZodType<T>, body: unknown, example: string): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success)
    throw new HttpError(
      400,
      'invalid_request',
      `${parsed.error.issues[0]?.message ?? 'Invalid request'}: send ${example}.`,
    );
  return parsed.data;
}

/** Domain errors become `{error: {code, message}}` with their status. */
function mapErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if (!(error instanceof MappingError)) return next(error);
  const retryAfter = RETRY_AFTER[error.code];
  const headers = retryAfter === undefined ? undefined : { 'Retry-After': String(retryAfter) };
  next(new HttpError(STATUS[error.code], error.code, error.message, undefined, headers));
}

/** The settings page's agent and disposition mapping (HubSpot-signed JSON). */
export function mappingRoutes(ctx: AppContext): Router {
  const router = Router();
  const superAdmin = requireSuperAdmin(ctx);

  router.get('/api/agents', async (req, res) => {
    res.json({ items: await listAgents(ctx.db, trusted(req).installation.id) });
  });

  router.put('/api/agents/:agentId', superAdmin, async (req, res) => {
    const { ownerId } = parseBody(agentBody, req.body, '{"ownerId": "<owner id>" | null}');
    const { installation, userId } = trusted(req);
    res.json(await setAgentOwner(ctx, installation.id, String(req.params.agentId), ownerId, userId));
  });

  router.post('/api/agents/refresh', superAdmin, async (req, res) => {
    const { installation } = trusted(req);
    const refreshed = await refreshMappings(ctx, installation, { agents: true, dispositions: false });
    res.json({
      owners: refreshed.owners,
      agents: refreshed.agents,
      items: await listAgents(ctx.db, installation.id),
    });
  });

  router.get('/api/owners', async (req, res) => {
    res.json({ items: await listOwners(ctx.db, trusted(req).installation.id) });
  });

  router.get('/api/dispositions', async (req, res) => {
    res.json({ items: await listDispositions(ctx.db, trusted(req).installation.id) });
  });

  router.put('/api/dispositions/:dispositionId', superAdmin, async (req, res) => {
    const { outcomeId } = parseBody(dispositionBody, req.body, '{"outcomeId": "<outcome id>" | null}');
    const { installation, userId } = trusted(req);
    const dispositionId = String(req.params.dispositionId);
    res.json(await setDispositionOutcome(ctx, installation.id, dispositionId, outcomeId, userId));
  });

  router.post('/api/dispositions/refresh', superAdmin, async (req, res) => {
    const { installation } = trusted(req);
    const refreshed = await refreshMappings(ctx, installation, { agents: false, dispositions: true });
    res.json({
      outcomes: refreshed.outcomes,
      dispositions: refreshed.dispositions,
      items: await listDispositions(ctx.db, installation.id),
    });
  });

  router.get('/api/outcomes', async (req, res) => {
    res.json({ items: await listOutcomes(ctx.db, trusted(req).installation.id) });
  });

  router.use('/api', mapErrors);
  return router;
}
