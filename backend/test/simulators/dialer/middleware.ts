import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import type { SimAccount, SimState } from './state.ts';

// Cross-cutting behaviour of the simulated API: recording, latency, injected faults,
// bearer auth, per-account rate limit, pagination and the error format.

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  accountId?: string;
  at: number;
}

/** Which requests a fault or a stall applies to (every request when empty). */
export interface RequestMatch {
  /** Only requests whose path starts with this (with or without `/v1`). */
  pathPrefix?: string;
  method?: string;
  /** Perform the request, then answer the fault instead (a lost answer); status 0 drops the connection. */
  afterHandling?: boolean;
}

export interface FaultSpec extends RequestMatch {
  status: number;
  body?: unknown;
  retryAfterSeconds?: number;
}

export interface SimControl {
  latencyMs: number;
  rateLimitPerSecond: number;
  faults: (FaultSpec & { remaining: number })[];
  stalls: (RequestMatch & { remaining: number })[];
  requests: RecordedRequest[];
}

export type ErrorCode =
  'invalid_token' | 'not_found' | 'validation_failed' | 'rate_limited' | 'conflict' | 'internal';

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function validationFailed(res: Response, error: z.ZodError): void {
  const message = error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  sendError(res, 400, 'validation_failed', message.join('; '));
}

function bearer(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

export function accountOf(res: Response): SimAccount {
  return res.locals['account'] as SimAccount;
}

export function recordRequests(state: SimState, control: SimControl) {
  return (req: Request, res: Response, next: NextFunction) => {
    const at = state.now();
    const accountId = state.accountForToken(bearer(req))?.id;
    let recorded = false;
    // A request whose caller went away before the answer is recorded too (status 0): it was handled.
    const record = () => {
      if (recorded) return;
      recorded = true;
      const headers: RecordedRequest['headers'] = { ...req.headers };
      if (headers['authorization'] !== undefined) headers['authorization'] = '[redacted]';
      const query = Object.fromEntries(new URL(req.originalUrl, 'http://sim').searchParams);
      control.requests.push({
        method: req.method,
        path: req.path,
        query,
        headers,
        body: req.body,
        status: res.writableFinished ? res.statusCode : 0,
        ...(accountId === undefined ? {} : { accountId }),
        at,
      });
    };
    res.on('finish', record);
    res.on('close', record);
    next();
  };
}

export function latency(control: SimControl) {
  return (_req: Request, _res: Response, next: NextFunction) => {
    if (control.latencyMs <= 0) return next();
    setTimeout(next, control.latencyMs);
  };
}

const DEFAULT_CODES: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'invalid_token',
  404: 'not_found',
  409: 'conflict',
  422: 'validation_failed',
  429: 'rate_limited',
};

function matches(spec: RequestMatch, req: Request): boolean {
  return (
    (spec.method === undefined || spec.method.toUpperCase() === req.method) &&
    (spec.pathPrefix === undefined ||
      req.path.startsWith(spec.pathPrefix) ||
      req.path.startsWith(`/v1${spec.pathPrefix}`))
  );
}

/** The first spec matching the request, counted down (and removed once used up). */
function takeMatching<T extends RequestMatch & { remaining: number }>(specs: T[], req: Request) {
  const spec = specs.find((s) => matches(s, req));
  if (!spec) return undefined;
  spec.remaining--;
  if (spec.remaining <= 0) specs.splice(specs.indexOf(spec), 1);
  return spec;
}

/**
 * A stalled request is never handled nor answered: it waits until its caller gives up, and is
 * recorded then with status 0. (A slow endpoint, without a delay that a busy machine could outlast.)
 */
export function stallRequests(control: SimControl) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!takeMatching(control.stalls, req)) next();
  };
}

export function injectFaults(control: SimControl) {
  return (req: Request, res: Response, next: NextFunction) => {
    const fault = takeMatching(control.faults, req);
    if (!fault) return next();
    if (fault.afterHandling) return loseAnswer(res, fault, next);
    if (fault.retryAfterSeconds !== undefined) res.set('Retry-After', String(fault.retryAfterSeconds));
    const code = DEFAULT_CODES[fault.status] ?? 'internal';
    res.status(fault.status).json(fault.body ?? { error: { code, message: 'Injected failure' } });
  };
}

/** Lets the handler perform the request, then replaces its answer with the fault (or drops the connection). */
function loseAnswer(res: Response, fault: FaultSpec, next: NextFunction): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let replaced = false;
  res.end = ((...args: unknown[]) => {
    if (replaced) return end(...args);
    replaced = true;
    if (fault.status === 0) {
      res.socket?.destroy();
      return res;
    }
    const code = DEFAULT_CODES[fault.status] ?? 'internal';
    res.statusCode = fault.status;
    res.removeHeader('Content-Length');
    res.setHeader('Content-Type', 'application/json');
    return end(JSON.stringify(fault.body ?? { error: { code, message: 'Injected failure after handling' } }));
  }) as typeof res.end;
  next();
}

export function authenticate(state: SimState) {
  return (req: Request, res: Response, next: NextFunction) => {
    const account = state.accountForToken(bearer(req));
    if (!account) return sendError(res, 401, 'invalid_token', 'The API token is missing, wrong or revoked');
    res.locals['account'] = account;
    next();
  };
}

/**
 * Sliding one-second window per account; rejected requests do not count. Uses the real clock,
 * not the simulator's `now`, so a frozen test clock cannot lock an account out for good.
 */
export function rateLimit(control: SimControl) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const account = accountOf(res);
    const now = Date.now();
    account.recentRequests = account.recentRequests.filter((t) => t > now - 1000);
    if (account.recentRequests.length >= control.rateLimitPerSecond) {
      const oldest = account.recentRequests[0] ?? now;
      res.set('Retry-After', String(Math.max(1, Math.ceil((oldest + 1000 - now) / 1000))));
      return sendError(
        res,
        429,
        'rate_limited',
        `More than ${control.rateLimitPerSecond} requests per second`,
      );
    }
    account.recentRequests.push(now);
    next();
  };
}

interface Cursor {
  o: number;
}

function decodeCursor(raw: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    return Number.isInteger(parsed.o) && (parsed.o as number) >= 0 ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}

/** Answers a page `{data, next_cursor}`, or a validation error for a bad `limit`/`cursor`. */
export function sendPage<T>(req: Request, res: Response, items: readonly T[]): void {
  const params = new URL(req.originalUrl, 'http://sim').searchParams;
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? 50 : /^\d+$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= 100)) {
    return sendError(res, 400, 'validation_failed', 'limit: must be an integer from 1 to 100');
  }
  const rawCursor = params.get('cursor');
  const offset = rawCursor === null ? 0 : decodeCursor(rawCursor);
  if (offset === undefined) return sendError(res, 400, 'validation_failed', 'cursor: is not valid');
  const end = offset + limit;
  const next_cursor =
    end < items.length ? Buffer.from(JSON.stringify({ o: end })).toString('base64url') : null;
  res.json({ data: items.slice(offset, end), next_cursor });
}

export function notFound(_req: Request, res: Response): void {
  sendError(res, 404, 'not_found', 'No such resource');
}

export function handleErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const status = (error as { status?: unknown }).status;
  if (status === 400 || (error as { type?: unknown }).type === 'entity.parse.failed') {
    return sendError(res, 400, 'validation_failed', 'Body is not valid JSON');
  }
  sendError(res, 500, 'internal', 'Internal error');
}
