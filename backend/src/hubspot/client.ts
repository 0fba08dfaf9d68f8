import type { TokenProvider } from './tokens.ts';
import type { Logger } from '../platform/logger.ts';
import type { RequestStats } from '../api-health/request-stats.ts';
import type { Metrics } from '../platform/metrics.ts';
import { HubSpotError, errorFromResponse } from './errors.ts';
import { HUBSPOT_OPERATIONS, buildPath, type HubSpotOperation } from './paths.ts';
import type { RateBudget, RateLimiter } from './rate-limiter.ts';

export interface HubSpotClientOptions {
  apiBaseUrl: string;
  rateLimit: RateBudget;
  searchRateLimit: RateBudget;
  tokens: TokenProvider;
  limiter: RateLimiter;
  metrics: Metrics;
  /** Per-portal success counts (optional: tools and benchmarks may leave it out). */
  stats?: RequestStats;
  logger: Logger;
  fetch?: typeof fetch;
  /** Attempts per request for 429, 5xx and network failures before the error goes to the caller. */
  maxAttempts?: number;
  timeoutMs?: number;
  /** First backoff before a retry (doubles per attempt; 429 waits 3× longer). Default 300 ms. */
  retryBaseMs?: number;
}

export interface RequestInput {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

/** The HubSpot API for one installing portal: paced, retried, authenticated. */
export interface PortalClient {
  readonly portalId: number;
  readonly installationId: string;
  send<T>(operation: HubSpotOperation, input?: RequestInput): Promise<T>;
}

export interface HubSpotClient {
  forInstallation(installation: { id: string; portal_id: number }): PortalClient;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const doFetch = options.fetch ?? fetch;
  const maxAttempts = options.maxAttempts ?? 4;
  const timeoutMs = options.timeoutMs ?? 15_000;

  function backoffMs(error: HubSpotError, attempt: number, retryAfter: string | null): number {
    if (retryAfter && /^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const baseMs = options.retryBaseMs ?? 300;
    const base = error.code === 'rate_limited' ? baseMs * 3 : baseMs;
    return base * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
  }

  function forInstallation(installation: { id: string; portal_id: number }): PortalClient {
    const portalId = installation.portal_id;

    async function once<T>(operation: HubSpotOperation, input: RequestInput, token: string) {
      const spec = HUBSPOT_OPERATIONS[operation];
      const budget = spec.kind === 'search' ? options.searchRateLimit : options.rateLimit;
      await options.limiter.acquire(`hubspot:${portalId}:${spec.kind}`, budget, input.signal);
      const url = new URL(`${options.apiBaseUrl}${buildPath(spec.path, input.params)}`);
      for (const [key, value] of Object.entries(input.query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      let response: Response;
      try {
        response = await doFetch(url, {
          method: spec.method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: input.body === undefined ? undefined : JSON.stringify(input.body),
          signal: input.signal
            ? AbortSignal.any([input.signal, AbortSignal.timeout(timeoutMs)])
            : AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        countAnswer(operation, 'network');
        const timeout = (error as Error).name === 'TimeoutError';
        return {
          error: new HubSpotError(
            timeout ? 'timeout' : 'network',
            `HubSpot ${operation}: ${(error as Error).message}`,
            true,
          ),
          retryAfter: null,
        };
      }
      countAnswer(operation, response.status);
      const text = await response.text();
      const body: unknown = text ? safeJson(text) : undefined;
      if (response.ok) return { value: body as T };
      return {
        error: errorFromResponse(response.status, body, operation),
        retryAfter: response.headers.get('retry-after'),
      };
    }

    function countAnswer(operation: HubSpotOperation, status: number | 'network') {
      const spec = HUBSPOT_OPERATIONS[operation];
      options.metrics.hubspotRequests.inc({ operation, status: String(status) });
      options.metrics.hubspotResponses.inc({
        endpoint: `${spec.method} ${spec.path}`,
        status_class: status === 'network' ? 'network' : `${Math.floor(status / 100)}xx`,
      });
      options.stats?.record(installation.id, status !== 'network' && status < 400);
    }

    async function send<T>(operation: HubSpotOperation, input: RequestInput = {}): Promise<T> {
      let token = await options.tokens.getAccessToken(installation.id);
      let refreshed = false;
      for (let attempt = 1; ; attempt++) {
        const result = await once<T>(operation, input, token);
        if ('value' in result) return result.value as T;
        const error = result.error;
        if (error.code === 'unauthorized' && !refreshed) {
          refreshed = true;
          token = await options.tokens.refreshNow(installation.id, token);
          continue;
        }
        const unsafeToRepeat = 'creates' in HUBSPOT_OPERATIONS[operation] && error.code !== 'rate_limited';
        if (!error.retryable || unsafeToRepeat || error.code === 'unauthorized' || attempt >= maxAttempts)
          throw error;
        const wait = backoffMs(error, attempt, result.retryAfter);
        options.logger.warn(
          { portalId, operation, code: error.code, status: error.status, attempt, wait },
          'HubSpot request will be retried',
        );
        await sleep(wait);
        input.signal?.throwIfAborted();
      }
    }

    return { portalId, installationId: installation.id, send };
  }

  return { forInstallation };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
