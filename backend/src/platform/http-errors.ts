import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from './logger.ts';

/** An error with a stable code that the HTTP edge turns into `{error: {code, message}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Answer headers, e.g. `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * A service we depend on (HubSpot, Dialer.io) could not do its part: 424 Failed Dependency. The
 * settings page and card call us through `hubspot.fetch`, which replays a 5xx once and shows the
 * page only a generic error for it; a 4xx reaches the page with our message.
 */
export const UPSTREAM_FAILED = 424;

/** Turns a failure it knows (an owned client's coded error) into the answer; undefined otherwise. */
export type ErrorMapper = (error: unknown) => HttpError | undefined;

/**
 * The error mapping of the `hubspot.fetch` routes (`/api/*`): every known failure is a 4xx JSON
 * error with a message the page can show (HubSpot unavailable or refusing, Dialer.io unavailable or
 * refusing, rate limited, a concurrent change); only an unexpected bug stays a 500.
 */
export function apiErrorMapping(mappers: ErrorMapper[]): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    for (const map of mappers) {
      const mapped = map(error);
      if (mapped) return next(mapped);
    }
    if (isTransientDatabaseError(error))
      return next(
        new HttpError(
          409,
          'busy',
          'Another change was being saved at the same moment. Try again.',
          undefined,
          {
            'Retry-After': '1',
          },
        ),
      );
    if (error instanceof HttpError && error.status >= 500)
      return next(new HttpError(UPSTREAM_FAILED, error.code, error.message, error.details, error.headers));
    next(error);
  };
}

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details?: unknown,
  retryAfterSeconds?: number,
): void {
  res.status(status).json({
    error: {
      code,
      message,
      ...(details === undefined ? {} : { details }),
      // In the body too: the page reads it there when `hubspot.fetch` does not pass the header on.
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    },
  });
}

function retryAfterOf(headers: Record<string, string> | undefined): number | undefined {
  const seconds = Number(headers?.['Retry-After']);
  return headers?.['Retry-After'] !== undefined && Number.isFinite(seconds) ? seconds : undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof HttpError) {
      if (error.headers) res.set(error.headers);
      sendError(res, error.status, error.code, error.message, error.details, retryAfterOf(error.headers));
      return;
    }
    const { status, type } = error as { status?: number; type?: string };
    if (status === 400 || type === 'entity.parse.failed') {
      sendError(res, 400, 'malformed_body', 'The request body is not valid JSON.');
      return;
    }
    if (status === 413) {
      sendError(res, 413, 'body_too_large', 'The request body is too large.');
      return;
    }
    if (status === 415) {
      // e.g. a JSON body declared in another charset than UTF-8.
      sendError(res, 415, 'unsupported_encoding', 'Send the body as JSON in UTF-8.');
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendError(res, status, type?.replace(/\W+/g, '_') ?? 'bad_request', 'The request was refused.');
      return;
    }
    if (isTransientDatabaseError(error)) {
      logger.warn({ code: (error as { code?: string }).code }, 'transient database conflict');
      res.set('Retry-After', '1');
      sendError(res, 503, 'busy', 'Busy for a moment: send the request again.');
      return;
    }
    logger.error({ err: error }, 'unhandled error');
    sendError(res, 500, 'internal', 'Something went wrong on our side. Try again in a minute.');
  };
}

/** A deadlock or serialisation failure: the request can simply be sent again. */
function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '40P01' || code === '40001';
}
