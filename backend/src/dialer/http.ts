import { DIALER_ERROR_CODES, DialerApiError, type DialerErrorCode } from './errors.ts';

// One request to Dialer.io with timeout, error mapping and bounded in-process retries.
// Longer waits are left to the caller's durable job (the error says `retryable`).

export interface DialerHttpOptions {
  baseUrl: string;
  apiToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
  maxRetryWaitMs?: number;
}

export interface DialerRequest {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** Path after `/v1`, segments already encoded, e.g. `/contacts/123`. */
  path: string;
  /** Template used in error messages, e.g. `PUT /v1/contacts/{external_id}`. */
  route: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Statuses that are answers rather than errors for this call (e.g. 404 for "already gone"). */
  accept?: readonly number[];
  /** False when repeating after a 5xx/timeout could do the work twice; such calls retry only 429s. */
  idempotent?: boolean;
}

export interface DialerResponse {
  status: number;
  body: unknown;
}

export type DialerRequester = (request: DialerRequest) => Promise<DialerResponse>;

const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** `https://api.dialer.io`, `https://api.dialer.io/` and `https://api.dialer.io/v1` all work. */
export function normaliseBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}/v1`;
}

export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function errorBody(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return {};
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message: message.slice(0, 300) } : {}),
  };
}

function codeForStatus(status: number, bodyCode: string | undefined): DialerErrorCode {
  if (status === 401) return 'invalid_token';
  if (status === 404) return 'not_found';
  if (status === 409) return bodyCode === 'list_archived' ? 'list_archived' : 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'internal';
  if (status === 400 || status === 422) return 'validation_failed';
  return (DIALER_ERROR_CODES as readonly string[]).includes(bodyCode ?? '')
    ? (bodyCode as DialerErrorCode)
    : 'internal';
}

export function createDialerRequester(options: DialerHttpOptions): DialerRequester {
  const base = normaliseBaseUrl(options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetries = options.maxRetries ?? 2;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 2_000;
  const token = options.apiToken;
  const redact = (text: string) => (token ? text.split(token).join('[redacted]') : text);

  function fail(init: ConstructorParameters<typeof DialerApiError>[0]): DialerApiError {
    return new DialerApiError({ ...init, message: redact(init.message) });
  }

  async function attempt(request: DialerRequest): Promise<DialerResponse> {
    if (!VISIBLE_ASCII.test(token)) {
      throw fail({
        code: 'invalid_token',
        message: 'Dialer.io API token is empty or malformed',
        retryable: false,
      });
    }
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';

    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${request.path}${query}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? null : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw fail({
        code: timedOut ? 'timeout' : 'network',
        message: timedOut
          ? `Dialer.io ${request.route} timed out after ${timeoutMs} ms`
          : `Dialer.io ${request.route} failed: network error`,
        retryable: true,
        cause: error,
      });
    }

    let body: unknown = null;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = null;
      }
    }
    const status = response.status;
    if ((status >= 200 && status < 300) || request.accept?.includes(status)) return { status, body };

    const details = errorBody(body);
    const code = codeForStatus(status, details.code);
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
    throw fail({
      code,
      status,
      retryable: code === 'rate_limited' || status >= 500,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      message: `Dialer.io ${request.route} answered ${status} ${details.code ?? code}${details.message ? `: ${details.message}` : ''}`,
    });
  }

  return async function send(request: DialerRequest): Promise<DialerResponse> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt(request);
      } catch (error) {
        if (!(error instanceof DialerApiError) || !error.retryable || retry >= maxRetries) throw error;
        if (request.idempotent === false && error.code !== 'rate_limited') throw error;
        const waitMs =
          error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 200 * 2 ** retry;
        if (waitMs > maxRetryWaitMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  };
}
