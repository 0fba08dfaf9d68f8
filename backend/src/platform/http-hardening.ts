import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from './config.ts';
import { sendError } from './http-errors.ts';
import { jsonbSafe } from './jsonb-safe.ts';

/** HubSpot's own limit for `hubspot.fetch` payloads; no public endpoint takes more. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Refuses a declared body over 1 MB before any parser reads it (parsers cap streamed bodies too). */
export function limitBodySize(maxBytes = MAX_BODY_BYTES): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes)
      return sendError(res, 413, 'body_too_large', 'The request body is too large (1 MB at most).');
    next();
  };
}

/**
 * PostgreSQL refuses a NUL character in text, so a `%00` anywhere in the URL (path, webhook key,
 * query) would end as a 500. Nothing valid contains one: refuse it with a clear 400.
 */
export function rejectNulInUrl(): RequestHandler {
  return (req, res, next) => {
    if (/%00/i.test(req.originalUrl) || req.originalUrl.includes('\u0000'))
      return sendError(res, 400, 'invalid_url', 'The URL contains a NUL character.');
    next();
  };
}

/**
 * After the signature was checked over the raw body: NUL characters and unpaired surrogates in
 * the parsed JSON become U+FFFD, so a signed body that carries one is handled, not a 500.
 */
export const jsonbSafeBody: RequestHandler = (req, _res, next) => {
  if (req.body !== null && typeof req.body === 'object') req.body = jsonbSafe(req.body);
  next();
};

/** Security headers (helmet) with a CSP for our own small HTML pages: no scripts, no framing. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ["'self'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

const limiterOptions = (limit: number, message: string): Partial<Options> => ({
  windowMs: 60_000,
  limit,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  // `trust proxy` is on (the service runs behind a proxy); the limiter need not warn about it.
  validate: { trustProxy: false, xForwardedForHeader: false },
  handler: (_req, res) => sendError(res, 429, 'rate_limited', message),
});

/**
 * The client's address as the per-IP key: an IPv4 address as it is; an IPv6 address by its /56
 * network (the library's own key, which parses every address: a measurable cost per webhook).
 */
function ipKey(req: { ip?: string }): string {
  const ip = req.ip ?? '';
  return ip.includes(':') ? ipKeyGenerator(ip) : ip;
}

/**
 * Per-IP and per-key limits for the public endpoints that anyone can call before a signature is
 * checked (webhooks, workflow actions, OAuth, the signed API). Counted per process.
 */
export function publicRateLimits(config: Config): { perIp: RequestHandler; perWebhookKey: RequestHandler } {
  return {
    perIp: rateLimit({
      ...limiterOptions(
        config.rateLimits.perIpPerMinute,
        'Too many requests from this address. Try again in a minute.',
      ),
      keyGenerator: ipKey,
    }),
    perWebhookKey: rateLimit({
      ...limiterOptions(
        config.rateLimits.perWebhookKeyPerMinute,
        'Too many deliveries for this webhook. Try again in a minute.',
      ),
      keyGenerator: (req) => `key:${String(req.params.key ?? '')}`,
    }),
  };
}
