import { HttpError, UPSTREAM_FAILED } from '../platform/http-errors.ts';
import { HubSpotError } from './errors.ts';

/** HubSpot's rate window is 10 s. */
const RATE_LIMIT_RETRY_SECONDS = 10;
const UNAVAILABLE_RETRY_SECONDS = 30;

/** A HubSpot failure met while answering the settings page or the card, as the answer it gets. */
export function hubSpotFailureAnswer(error: unknown): HttpError | undefined {
  if (!(error instanceof HubSpotError)) return undefined;
  if (error.code === 'rate_limited')
    return new HttpError(
      429,
      'hubspot_rate_limited',
      `HubSpot is limiting requests for this portal right now. Try again in ${RATE_LIMIT_RETRY_SECONDS} seconds.`,
      undefined,
      { 'Retry-After': String(RATE_LIMIT_RETRY_SECONDS) },
    );
  if (error.code === 'installation_uninstalled' || error.code === 'invalid_grant')
    return new HttpError(
      409,
      'installation_uninstalled',
      'Dialer Sync is no longer installed in this HubSpot portal. Install it again from the HubSpot marketplace.',
    );
  if (error.retryable)
    return new HttpError(
      UPSTREAM_FAILED,
      'hubspot_unavailable',
      'HubSpot could not be reached. Nothing was changed; try again in a minute.',
      undefined,
      { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
    );
  return new HttpError(
    UPSTREAM_FAILED,
    'hubspot_refused',
    `HubSpot refused the request (${error.status ?? error.code}). Nothing was changed.`,
  );
}
