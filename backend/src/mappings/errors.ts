import { DialerApiError } from '../dialer/index.ts';
import { HubSpotError } from '../hubspot/errors.ts';

/** Everything that can go wrong when reading or changing agent and disposition mappings. */
export type MappingErrorCode =
  | 'unknown_agent'
  | 'unknown_disposition'
  | 'unknown_owner'
  | 'unknown_outcome'
  | 'dialer_not_connected'
  | 'dialer_token_invalid'
  | 'dialer_unavailable'
  | 'hubspot_unavailable'
  | 'refresh_in_progress';

export class MappingError extends Error {
  constructor(
    readonly code: MappingErrorCode,
    message: string,
    /** Whether trying again later can help (a job retries these). */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'MappingError';
  }
}

/** Turns a Dialer.io or HubSpot failure met while refreshing into a mapping error. */
export function upstreamFailure(error: unknown): never {
  if (error instanceof DialerApiError && error.code === 'invalid_token')
    throw new MappingError(
      'dialer_token_invalid',
      'Dialer.io no longer accepts the API token of this connection. Reconnect Dialer.io with a new token.',
    );
  if (error instanceof DialerApiError)
    throw new MappingError(
      'dialer_unavailable',
      `Dialer.io could not be reached (${error.code}). Try again in a minute.`,
      error.retryable,
    );
  if (error instanceof HubSpotError)
    throw new MappingError(
      'hubspot_unavailable',
      `HubSpot could not be read (${error.code}). Try again in a minute.`,
      error.retryable,
    );
  throw error;
}
