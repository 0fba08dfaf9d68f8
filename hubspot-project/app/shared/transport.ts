/**
 * How requests leave the page. HubSpot lets an app have 20 `hubspot.fetch` requests in flight per
 * account, shared by every user's settings page and contact card, and refuses more with 429. So one
 * page sends at most MAX_CONCURRENT_REQUESTS at a time (the others wait their turn) and a refused
 * request is sent again after `Retry-After` or a growing backoff.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface FetchOptions {
  method?: HttpMethod;
  body?: Record<string, unknown>;
  timeout?: number;
}
export interface FetchResponse {
  ok: boolean;
  status: number;
  /** `hubspot.fetch` answers a `Response`; a test fake may leave headers out. */
  headers?: { get(name: string): string | null };
  json(): Promise<unknown>;
}
/** `hubspot.fetch` in HubSpot; a fake in tests. */
export type Fetcher = (url: string, options?: FetchOptions) => Promise<FetchResponse>;
export type Sleep = (ms: number) => Promise<void>;

export const MAX_CONCURRENT_REQUESTS = 6;
export const MAX_RETRIES = 3;
/** A `Retry-After` longer than this is not waited for: the page says when to try again instead. */
export const MAX_WAIT_SECONDS = 30;
const BACKOFF_BASE_MS = 500;

export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(response: FetchResponse, nowMs = Date.now()): number | undefined {
  const value = response.headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** At most `max` requests in flight; the rest start, in order, as earlier ones finish. */
export function limitConcurrency(fetcher: Fetcher, max = MAX_CONCURRENT_REQUESTS): Fetcher {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const acquire = () =>
    inFlight < max ? (inFlight++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve));
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };
  return async (url, options) => {
    await acquire();
    try {
      return await fetcher(url, options);
    } finally {
      release();
    }
  };
}

const isCodedError = (body: unknown) =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { error?: { code?: unknown } }).error?.code === 'string';

/** A response whose body was read already (a body can be read only once). */
const withBody = (response: FetchResponse, body: unknown): FetchResponse => ({
  ok: response.ok,
  status: response.status,
  ...(response.headers ? { headers: response.headers } : {}),
  json: async () => body,
});

/**
 * Sends a refused request (429) again, up to MAX_RETRIES times, after `Retry-After` or 0.5, 1, 2 s.
 * A read is always sent again. A write only when the 429 is not our backend's own coded answer:
 * then HubSpot refused it before our backend saw it; our backend's "busy, try again in N s" is
 * for the person who clicked to read.
 */
export function retryRefused(fetcher: Fetcher, wait: Sleep = sleep, maxRetries = MAX_RETRIES): Fetcher {
  return async (url, options) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetcher(url, options);
      if (response.status !== 429 || attempt >= maxRetries) return response;
      const after = retryAfterSeconds(response);
      if (after !== undefined && after > MAX_WAIT_SECONDS) return response;
      if ((options?.method ?? 'GET') !== 'GET') {
        const body = await response.json().catch(() => undefined);
        if (isCodedError(body)) return withBody(response, body);
      }
      await wait(after !== undefined ? after * 1000 : BACKOFF_BASE_MS * 2 ** attempt);
    }
  };
}
