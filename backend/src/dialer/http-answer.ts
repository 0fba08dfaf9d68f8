import { HttpError, UPSTREAM_FAILED } from '../platform/http-errors.ts';
import { DialerApiError, DialerPayloadError } from './errors.ts';

const UNAVAILABLE_RETRY_SECONDS = 30;

/** A Dialer.io failure met while answering the settings page or the card, as the answer it gets. */
export function dialerFailureAnswer(error: unknown): HttpError | undefined {
  if (error instanceof DialerPayloadError)
    return new HttpError(
      UPSTREAM_FAILED,
      'dialer_unexpected_answer',
      'Dialer.io answered in a way Dialer Sync does not understand. Try again later.',
    );
  if (!(error instanceof DialerApiError)) return undefined;
  if (error.code === 'rate_limited') {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 10));
    return new HttpError(
      429,
      'dialer_rate_limited',
      `Dialer.io is limiting requests for this account right now. Try again in ${seconds} seconds.`,
      undefined,
      { 'Retry-After': String(seconds) },
    );
  }
  if (error.code === 'invalid_token')
    return new HttpError(
      409,
      'dialer_token_invalid',
      'Dialer.io no longer accepts the API token of this connection. Reconnect Dialer.io with a new token.',
    );
  if (error.retryable)
    return new HttpError(
      UPSTREAM_FAILED,
      'dialer_unavailable',
      `Dialer.io could not be reached (${error.code}). Try again in a minute.`,
      undefined,
      { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
    );
  return new HttpError(UPSTREAM_FAILED, 'dialer_refused', `Dialer.io refused the request: ${error.message}`);
}
