export type HubSpotErrorCode =
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'bad_request'
  | 'invalid_grant'
  | 'installation_uninstalled';

/** A HubSpot failure with a stable code; `retryable` tells a job whether trying later can help. */
export class HubSpotError extends Error {
  constructor(
    readonly code: HubSpotErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly details?: { category?: string; correlationId?: string; policyName?: string },
  ) {
    super(message);
    this.name = 'HubSpotError';
  }
}

export function errorFromResponse(status: number, body: unknown, operation: string): HubSpotError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message = `HubSpot ${operation} answered ${status}: ${typeof b.message === 'string' ? b.message : 'no message'}`;
  const details = {
    category: typeof b.category === 'string' ? b.category : undefined,
    correlationId: typeof b.correlationId === 'string' ? b.correlationId : undefined,
    policyName: typeof b.policyName === 'string' ? b.policyName : undefined,
  };
  if (status === 429) return new HubSpotError('rate_limited', message, true, status, details);
  if (status >= 500) return new HubSpotError('server_error', message, true, status, details);
  if (status === 401) return new HubSpotError('unauthorized', message, true, status, details);
  if (status === 403) return new HubSpotError('forbidden', message, false, status, details);
  if (status === 404) return new HubSpotError('not_found', message, false, status, details);
  if (status === 409) return new HubSpotError('conflict', message, false, status, details);
  return new HubSpotError('bad_request', message, false, status, details);
}
