import type { FetchOptions, FetchResponse, Fetcher } from '@dialer-sync/ui-shared/api';
import { createApi } from '@dialer-sync/ui-shared/api';
import { BACKEND_ORIGIN } from '@dialer-sync/ui-shared/config';

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}
/** `"GET /api/setup"` → the JSON body (200), an `{status, body}` answer, or a function of the call. */
export type Routes = Record<string, unknown>;

const isAnswer = (value: unknown): value is Answer =>
  typeof value === 'object' &&
  value !== null &&
  'body' in value &&
  Object.keys(value).every((k) => k === 'body' || k === 'status' || k === 'headers');

/**
 * A fake backend for UI tests: records every call made through the injected fetcher, how many were in
 * flight at most (an answer arrives a macrotask after its request, so requests started together
 * overlap, as they do over the network), and every wait before a refused request was sent again
 * (recorded, not waited for). `pending` routes never answer (to see loading states); unknown routes
 * answer the backend's 404.
 */
export function fakeBackend(routes: Routes, { pending = [] as string[] } = {}) {
  const calls: RecordedCall[] = [];
  const waits: number[] = [];
  const concurrency = { now: 0, max: 0 };
  const answerLater = <T>(value: T) =>
    new Promise<T>((resolve) => setImmediate(() => resolve(value))).finally(() => concurrency.now--);
  const fetcher: Fetcher = async (url: string, options: FetchOptions = {}): Promise<FetchResponse> => {
    if (!url.startsWith(BACKEND_ORIGIN)) throw new Error(`fetch outside the backend origin: ${url}`);
    const parsed = new URL(url);
    const method = options.method ?? 'GET';
    const call: RecordedCall = {
      method,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      body: options.body,
    };
    calls.push(call);
    concurrency.now++;
    concurrency.max = Math.max(concurrency.max, concurrency.now);
    const key = `${method} ${parsed.pathname}`;
    if (pending.includes(key)) return new Promise<FetchResponse>(() => {});
    let route = routes[key];
    if (typeof route === 'function') route = (route as (call: RecordedCall) => unknown)(call);
    const answer: Answer =
      route === undefined
        ? { status: 404, body: { error: { code: 'not_found', message: 'No such route.' } } }
        : isAnswer(route)
          ? route
          : { body: route };
    const status = answer.status ?? 200;
    const headers = new Headers(answer.headers ?? {});
    return answerLater({ ok: status >= 200 && status < 300, status, headers, json: async () => answer.body });
  };
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return {
    fetcher,
    api: createApi(fetcher, BACKEND_ORIGIN, { sleep }),
    calls,
    waits,
    /** The most requests that were in flight at once. */
    maxConcurrent: () => concurrency.max,
    /** How many times each `METHOD /path` was requested. */
    countByRoute: () =>
      calls.reduce<Record<string, number>>((counts, call) => {
        const key = `${call.method} ${call.path}`;
        counts[key] = (counts[key] ?? 0) + 1;
        return counts;
      }, {}),
    /** Calls other than GETs: what the buttons did. */
    writes: () => calls.filter((call) => call.method !== 'GET'),
  };
}

export const failWith = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message } },
});

export const adminSession = {
  portalId: 12345,
  userId: 7,
  superAdmin: true,
  installation: { status: 'active', installedAt: '2026-11-01T10:00:00.000Z' },
};
export const userSession = { ...adminSession, userId: 8, superAdmin: false };

export const setupConnected = {
  hubspot: { connected: true },
  dialer: { connected: true, accountName: 'Acme Calls', country: 'US' },
  webhook: { active: true },
  lastEventAt: '2026-11-20T09:30:00.000Z',
  agents: { mapped: 2, total: 3 },
  dispositions: { mapped: 4, total: 4 },
  debugMode: false,
};
export const setupDisconnected = {
  ...setupConnected,
  dialer: { connected: false },
  webhook: { active: false },
  lastEventAt: null,
  agents: { mapped: 0, total: 0 },
  dispositions: { mapped: 0, total: 0 },
};
