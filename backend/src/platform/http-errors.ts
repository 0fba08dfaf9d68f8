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
    const status = (error as { status?: number; type?: string }).status;
    if (status === 400 || (error as { type?: string }).type === 'entity.parse.failed') {
      sendError(res, 400, 'malformed_body', 'The request body is not valid JSON.');
      return;
    }
    if (status === 413) {
      sendError(res, 413, 'body_too_large', 'The request body is too large.');
      return;
    }
    logger.error({ err: error }, 'unhandled error');
    sendError(res, 500, 'internal', 'Something went wrong on our side. Try again in a minute.');
  };
}
