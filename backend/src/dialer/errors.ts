/** Closed set of failure codes for everything the Dialer.io API can answer. */
export const DIALER_ERROR_CODES = [
  'invalid_token',
  'not_found',
  'validation_failed',
  'rate_limited',
  'conflict',
  'internal',
  'network',
  'timeout',
  'list_archived',
] as const;

export type DialerErrorCode = (typeof DIALER_ERROR_CODES)[number];

export interface DialerApiErrorInit {
  code: DialerErrorCode;
  message: string;
  status?: number;
  retryable: boolean;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A failed call to the Dialer.io API. `retryable` tells a durable job whether trying again later
 * can help (rate limits, 5xx, network, timeouts); anything else is permanent.
 * Messages never contain the API token.
 */
export class DialerApiError extends Error {
  override readonly name = 'DialerApiError';
  readonly code: DialerErrorCode;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;

  constructor(init: DialerApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/**
 * A body from Dialer.io (webhook event or API answer) that does not match the contract.
 * Permanent: retrying the same body cannot help. The message names the offending fields, never values.
 */
export class DialerPayloadError extends Error {
  override readonly name = 'DialerPayloadError';
  readonly code = 'invalid_payload' as const;
  readonly retryable = false as const;
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[] = []) {
    const shown = issues.slice(0, 8).join('; ');
    const more = issues.length > 8 ? ` (and ${issues.length - 8} more)` : '';
    super(issues.length > 0 ? `${message}: ${shown}${more}` : message);
    this.issues = issues;
  }
}

export function isDialerApiError(error: unknown): error is DialerApiError {
  return error instanceof DialerApiError;
}
