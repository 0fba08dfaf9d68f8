// Middleware: request recording, bearer auth, per-portal rate limits, fault injection.
import type { NextFunction, Request, Response } from 'express';
import type { Fault, RateLimit, RecordedRequest, SimCore } from './core.ts';
import { hsError } from './http.ts';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

const API_PREFIXES = ['/crm/', '/calling/', '/settings/', '/automation/', '/appinstalls/'];
export const isApiPath = (path: string) => API_PREFIXES.some((p) => path.startsWith(p));
export const isSearchPath = (method: string, path: string) => method === 'POST' && /\/search\/?$/.test(path);

/** Records every request; the status is filled in when the answer's head is written. */
export function recorder(core: SimCore): Middleware {
  return (req, res, next) => {
    const rec: RecordedRequest = {
      method: req.method,
      path: new URL(req.originalUrl, 'http://sim').pathname,
      query: { ...(req.query as Record<string, unknown>) },
      headers: { ...req.headers },
      body: undefined,
      status: 0,
      at: core.now(),
    };
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const known = bearer ? core.tokens.access.get(bearer) : undefined;
    if (known) rec.portalId = known.portalId;
    core.requests.push(rec);
    res.locals.record = rec;
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => Response;
    res.writeHead = ((...args: unknown[]) => {
      rec.status = typeof args[0] === 'number' ? args[0] : res.statusCode;
      rec.body = req.body;
      if (rec.status === 429) core.count429++;
      return writeHead(...args);
    }) as typeof res.writeHead;
    next();
  };
}

/** Bearer token check on API paths; sets `res.locals.portal`. */
export function auth(core: SimCore): Middleware {
  return (req, res, next) => {
    if (!isApiPath(req.path)) return next();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      res
        .status(401)
        .json(
          hsError(
            'INVALID_AUTHENTICATION',
            'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
          ),
        );
      return;
    }
    const check = core.tokens.check(m[1]!);
    if (!check.ok) {
      const category = check.expired ? 'EXPIRED_AUTHENTICATION' : 'INVALID_AUTHENTICATION';
      res.status(401).json(hsError(category, check.message));
      return;
    }
    const portal = core.portal(check.token.portalId);
    res.locals.portal = portal;
    res.locals.userId = check.token.userId;
    (res.locals.record as RecordedRequest).portalId = portal.portalId;
    next();
  };
}

function take(window: Map<number, number[]>, portalId: number, limit: RateLimit, now: number) {
  let times = window.get(portalId);
  if (!times) window.set(portalId, (times = []));
  const from = now - limit.intervalMs;
  let drop = 0;
  while (drop < times.length && times[drop]! <= from) drop++;
  if (drop) times.splice(0, drop);
  if (times.length >= limit.max) return { ok: false, remaining: 0 };
  times.push(now);
  return { ok: true, remaining: limit.max - times.length };
}

function remainingIn(window: Map<number, number[]>, portalId: number, limit: RateLimit, now: number) {
  const from = now - limit.intervalMs;
  const used = (window.get(portalId) ?? []).filter((t) => t > from).length;
  return Math.max(0, limit.max - used);
}

/** Per-portal rolling windows: search paths use the search limit, everything else the main limit. */
export function rateLimit(core: SimCore): Middleware {
  return (req, res, next) => {
    if (!isApiPath(req.path)) return next();
    const portalId = (res.locals.record as RecordedRequest).portalId!;
    const now = core.now();
    const main = core.opts.rateLimit;
    const search = isSearchPath(req.method, req.path);
    const setHeaders = (remaining: number) => {
      res.setHeader('X-HubSpot-RateLimit-Max', String(main.max));
      res.setHeader('X-HubSpot-RateLimit-Remaining', String(remaining));
      res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(main.intervalMs));
    };
    if (search) {
      setHeaders(remainingIn(core.windows.main, portalId, main, now));
      const r = take(core.windows.search, portalId, core.opts.searchRateLimit, now);
      if (!r.ok) return void res.status(429).json(rateLimitBody('SECONDLY'));
      return next();
    }
    const r = take(core.windows.main, portalId, main, now);
    setHeaders(r.remaining);
    if (!r.ok) return void res.status(429).json(rateLimitBody('TEN_SECONDLY_ROLLING'));
    next();
  };
}

export function rateLimitBody(policyName: 'TEN_SECONDLY_ROLLING' | 'SECONDLY') {
  const limit = policyName === 'SECONDLY' ? 'secondly' : 'ten_secondly_rolling';
  return {
    status: 'error',
    message: `You have reached your ${limit} limit.`,
    errorType: 'RATE_LIMIT',
    correlationId: crypto.randomUUID(),
    policyName,
  };
}

function faultBody(f: Fault): unknown {
  if (f.body !== undefined) return f.body;
  if (f.status === 429) return rateLimitBody('TEN_SECONDLY_ROLLING');
  if (f.status === 401)
    return hsError('EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired.');
  if (f.status >= 500) return hsError('INTERNAL_ERROR', `Simulated HubSpot failure (${f.status})`);
  return hsError('VALIDATION_ERROR', `Simulated HubSpot error (${f.status})`);
}

/** `failNext` faults: answered before the handler, or after it for `afterHandling`. */
export function faults(core: SimCore): Middleware {
  return (req, res, next) => {
    const f = core.takeFault(req.method, req.path);
    if (!f) return next();
    if (f.status === 0) {
      (res.locals.record as RecordedRequest).body = req.body;
      req.socket.destroy();
      return;
    }
    const send = () => {
      for (const [k, v] of Object.entries(f.headers ?? {})) res.setHeader(k, v);
      const body = faultBody(f);
      res.status(f.status);
      return typeof body === 'string' ? res.type('text').send(body) : res.json(body);
    };
    if (!f.afterHandling) return void send();
    // Let the handler run, then replace whatever it answers with the fault.
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    let replaced = false;
    res.end = ((...args: unknown[]) => {
      if (replaced) return end(...args);
      replaced = true;
      res.removeHeader('Content-Length');
      res.removeHeader('ETag');
      const body = faultBody(f);
      res.statusCode = f.status;
      for (const [k, v] of Object.entries(f.headers ?? {})) res.setHeader(k, v);
      res.setHeader('Content-Type', typeof body === 'string' ? 'text/plain' : 'application/json');
      return end(typeof body === 'string' ? body : JSON.stringify(body));
    }) as typeof res.end;
    next();
  };
}
