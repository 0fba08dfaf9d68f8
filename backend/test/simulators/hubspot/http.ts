// Small helpers shared by the simulator's routes: HubSpot-shaped errors and request context.
import type { Request, Response } from 'express';
import type { SimPortal } from './state.ts';

export interface HubSpotError {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  [key: string]: unknown;
}

export function hsError(
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): HubSpotError {
  return { status: 'error', message, correlationId: crypto.randomUUID(), category, ...extra };
}

export function sendError(
  res: Response,
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res.status(status).json(hsError(category, message, extra));
}

/** Thrown by handlers; turned into a HubSpot error answer by the error middleware. */
export class SimHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly category: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const validationError = (message: string, extra: Record<string, unknown> = {}) =>
  new SimHttpError(400, 'VALIDATION_ERROR', message, extra);

export const notFound = (message: string) => new SimHttpError(404, 'OBJECT_NOT_FOUND', message);

/** The portal of the request's access token (set by the auth middleware). */
export function portalOf(res: Response): SimPortal {
  const portal = res.locals.portal as SimPortal | undefined;
  if (!portal) throw new SimHttpError(401, 'INVALID_AUTHENTICATION', 'No portal for this request');
  return portal;
}

export function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join('/') : (v ?? '');
}

export function queryString(req: Request, name: string): string | undefined {
  const v: unknown = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return v.map(String).join(',');
  return typeof v === 'string' ? v : undefined;
}

export function isoNow(now: () => number): string {
  return new Date(now()).toISOString();
}
