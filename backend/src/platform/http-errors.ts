import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from './logger.ts';

/** An error with a stable code that the HTTP edge turns into `{error: {code, message}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): void {
  res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof HttpError) {
      sendError(res, error.status, error.code, error.message, error.details);
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
