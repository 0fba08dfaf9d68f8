import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Selectable } from 'kysely';
import type { AppContext } from '../platform/context.ts';
import type { Database } from '../platform/db/schema.ts';
import { sendError } from '../platform/http-errors.ts';
import { isSuperAdmin } from './api.ts';
import { verifyHubSpotSignature } from './signature.ts';

type Installation = Selectable<Database['installations']>;

/** Who HubSpot says is calling: taken from the signed URL or signed body only. */
export interface TrustedHubSpotContext {
  portalId: number;
  userId: number | null;
  installation: Installation;
}

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
    hubspot?: TrustedHubSpotContext;
  }
}

type PortalSource = 'query' | 'workflow-body';

const positiveInt = (value: unknown): number | null => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  return /^[1-9]\d{0,15}$/.test(text) ? Number(text) : null;
};

/**
 * Verifies HubSpot's request signature over the raw body and `PUBLIC_BASE_URL` + original URL,
 * then resolves the installation of the signed portal. 401 when the signature fails, 403 when
 * the portal has no active installation.
 */
export function requireHubSpotSignature(
  ctx: AppContext,
  source: PortalSource,
  options: {
    allowV2?: boolean;
    /**
     * The answer to a signed request that an uninstalled installation already did (a replayed
     * uninstall), or undefined: then it is refused as `not_installed`.
     */
    answerForUninstalled?: (req: Request, installation: Installation) => unknown;
  } = {},
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const check = verifyHubSpotSignature(
      ctx.config.hubspot.clientSecret,
      {
        method: req.method,
        uri: `${ctx.config.publicBaseUrl}${req.originalUrl}`,
        rawBody: req.rawBody?.toString('utf8') ?? '',
        headers: req.headers,
      },
      { allowV2: options.allowV2 ?? false, nowMs: ctx.now() },
    );
    if (!check.ok) {
      ctx.logger.warn({ reason: check.reason, route: req.path }, 'rejected HubSpot request signature');
      sendError(res, 401, 'invalid_signature', 'The request is not signed by HubSpot for this app.');
      return;
    }
    const portalId =
      source === 'query'
        ? positiveInt(req.query.portalId)
        : positiveInt((req.body as { origin?: { portalId?: unknown } } | undefined)?.origin?.portalId);
    if (portalId === null) {
      sendError(res, 400, 'missing_portal', 'The signed request does not name a HubSpot portal.');
      return;
    }
    // The portal's installation, read here so that hubspot/ imports no capability.
    const installation = await ctx.db
      .selectFrom('installations')
      .selectAll()
      .where('portal_id', '=', portalId)
      .executeTakeFirst();
    const done =
      installation?.status === 'uninstalled' ? options.answerForUninstalled?.(req, installation) : undefined;
    if (done !== undefined) {
      res.json(done);
      return;
    }
    if (!installation || installation.status !== 'active') {
      sendError(
        res,
        403,
        'not_installed',
        'Dialer Sync is not installed in this HubSpot portal. Install it from the marketplace.',
      );
      return;
    }
    req.hubspot = {
      portalId,
      userId: source === 'query' ? positiveInt(req.query.userId) : null,
      installation,
    };
    next();
  };
}

export function trusted(req: Request): TrustedHubSpotContext {
  if (!req.hubspot) throw new Error('route is missing requireHubSpotSignature');
  return req.hubspot;
}

const adminCaches = new WeakMap<AppContext, Map<string, { admin: boolean; until: number }>>();

/** Whether the signed user is a super admin of the portal; HubSpot is asked at most once a minute. */
export async function signedUserIsSuperAdmin(
  ctx: AppContext,
  installation: Installation,
  userId: number | null,
): Promise<boolean> {
  if (userId === null) return false;
  let cache = adminCaches.get(ctx);
  if (!cache) adminCaches.set(ctx, (cache = new Map()));
  const key = `${installation.id}:${userId}`;
  const cached = cache.get(key);
  if (cached && cached.until > ctx.now()) return cached.admin;
  const admin = await isSuperAdmin(ctx.hubspot.forInstallation(installation), userId);
  // Answers older than a minute are useless: dropped, so users seen once do not stay for good.
  for (const [seen, entry] of cache) if (entry.until <= ctx.now()) cache.delete(seen);
  cache.set(key, { admin, until: ctx.now() + 60_000 });
  return admin;
}

/** Destructive actions: the signed user must be a HubSpot super admin of the signed portal. */
export function requireSuperAdmin(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const { installation, userId } = trusted(req);
    if (!(await signedUserIsSuperAdmin(ctx, installation, userId))) {
      sendError(res, 403, 'super_admin_required', 'Only a HubSpot super admin can do this.');
      return;
    }
    next();
  };
}
