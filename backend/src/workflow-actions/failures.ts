import { DialerApiError, DialerPayloadError } from '../dialer/index.ts';

/**
 * The closed set of reasons an execution ends in FAIL_CONTINUE, with the sentence a workflow user
 * reads. The same texts are the `executionRules` labels of the `*-hsmeta.json` files (the contract
 * test checks it); `{{ error_detail }}` is filled in from the output field of that name.
 */
export const FAILURE_MESSAGES = {
  DIALER_NOT_CONNECTED:
    'Dialer.io is not connected for this HubSpot account. Connect Dialer.io in the Dialer Sync settings, then enroll the contact again.',
  NO_PHONE:
    'This contact has no phone number. Add a Phone number or Mobile phone number, then enroll the contact again.',
  INVALID_PHONE:
    'This contact’s phone number is not a phone number Dialer.io can call. Correct it (with the country code for numbers abroad), then enroll the contact again.',
  UNKNOWN_LIST:
    'The Dialer.io list chosen in this action no longer exists. Choose another list in the action.',
  ARCHIVED_LIST:
    'The Dialer.io list chosen in this action is archived. Choose an active list, or restore the list in Dialer.io.',
  INVALID_INPUT: 'This action is not set up completely: {{ error_detail }}. Edit the action in the workflow.',
  DIALER_TOKEN_REJECTED:
    'Dialer.io no longer accepts the API token of this HubSpot account. Reconnect Dialer.io in the Dialer Sync settings.',
  DIALER_REJECTED: 'Dialer.io refused the change: {{ error_detail }}',
  DIALER_UNAVAILABLE:
    'Dialer.io could not be reached after several tries ({{ error_detail }}). Enroll the contact again later.',
} as const;

export type FailureCode = keyof typeof FAILURE_MESSAGES;

export interface Failure {
  kind: 'failure';
  code: FailureCode;
  detail: string | null;
  /** The template with the detail filled in: for the activity log and the contact link. */
  message: string;
}

export function failure(code: FailureCode, detail: string | null = null): Failure {
  const shown = (detail ?? '').slice(0, 300);
  return { kind: 'failure', code, detail: detail === null ? null : shown, message: fill(code, shown) };
}

function fill(code: FailureCode, detail: string): string {
  return FAILURE_MESSAGES[code].replace('{{ error_detail }}', detail);
}

/**
 * A Dialer.io answer that retrying cannot change, as a failure; undefined when trying later can help
 * (rate limited, 5xx, network, timeout), or when the error is not Dialer.io's.
 */
export function failureFromDialerError(error: unknown): Failure | undefined {
  if (error instanceof DialerPayloadError) return failure('DIALER_REJECTED', error.message);
  if (!(error instanceof DialerApiError) || error.retryable) return undefined;
  if (error.code === 'invalid_token') return failure('DIALER_TOKEN_REJECTED');
  if (error.code === 'list_archived') return failure('ARCHIVED_LIST');
  return failure('DIALER_REJECTED', error.message);
}

/** A short reason a workflow user may read: Dialer.io's answer (tokens redacted by the client), never internals. */
export function reasonOf(error: unknown): string {
  if (error instanceof DialerApiError) return error.message;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'Dialer.io did not answer in time';
  }
  return 'an unexpected error in Dialer Sync';
}
