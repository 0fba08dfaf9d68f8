import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import { BACKEND_ORIGIN } from './config.ts';
import { createReadCache } from './read-cache.ts';
import * as schemas from './schemas.ts';
import {
  limitConcurrency,
  retryAfterSeconds,
  retryRefused,
  sleep,
  type FetchOptions,
  type FetchResponse,
  type Fetcher,
  type HttpMethod,
  type Sleep,
} from './transport.ts';

export type { FetchOptions, FetchResponse, Fetcher, HttpMethod } from './transport.ts';

/** The one module that talks to the backend. Every path the UI calls is in ROUTES (a test checks them). */

export interface RouteSpec {
  method: HttpMethod;
  /** Express-style path; `:name` segments are filled from params. */
  path: string;
}

export const ROUTES = {
  session: { method: 'GET', path: '/api/session' },
  setup: { method: 'GET', path: '/api/setup' },
  connectDialer: { method: 'POST', path: '/api/dialer/connection' },
  disconnectDialer: { method: 'DELETE', path: '/api/dialer/connection' },
  getSettings: { method: 'GET', path: '/api/settings' },
  updateSettings: { method: 'PATCH', path: '/api/settings' },
  activity: { method: 'GET', path: '/api/activity' },
  retryCall: { method: 'POST', path: '/api/activity/calls/:callId/retry' },
  retryFailedCalls: { method: 'POST', path: '/api/activity/calls/retry-failed' },
  agents: { method: 'GET', path: '/api/agents' },
  mapAgent: { method: 'PUT', path: '/api/agents/:agentId' },
  refreshAgents: { method: 'POST', path: '/api/agents/refresh' },
  owners: { method: 'GET', path: '/api/owners' },
  dispositions: { method: 'GET', path: '/api/dispositions' },
  mapDisposition: { method: 'PUT', path: '/api/dispositions/:dispositionId' },
  refreshDispositions: { method: 'POST', path: '/api/dispositions/refresh' },
  outcomes: { method: 'GET', path: '/api/outcomes' },
  unmatchedCalls: { method: 'GET', path: '/api/calls/unmatched' },
  searchContacts: { method: 'GET', path: '/api/calls/contact-search' },
  linkCallContact: { method: 'POST', path: '/api/calls/:callId/contact' },
  contactStatus: { method: 'GET', path: '/api/contacts/:contactId/status' },
  syncContact: { method: 'POST', path: '/api/contacts/:contactId/sync' },
  removeContactFromLists: { method: 'DELETE', path: '/api/contacts/:contactId/memberships' },
  erasures: { method: 'GET', path: '/api/privacy/erasures' },
  erasePerson: { method: 'POST', path: '/api/privacy/erasures' },
  health: { method: 'GET', path: '/api/health' },
  uninstall: { method: 'DELETE', path: '/api/installation' },
  propertyMappings: { method: 'GET', path: '/api/property-mappings' },
  putPropertyMapping: { method: 'PUT', path: '/api/property-mappings/:dialerField' },
  deletePropertyMapping: { method: 'DELETE', path: '/api/property-mappings/:dialerField' },
  contactProperties: { method: 'GET', path: '/api/contact-properties' },
  syncOperations: { method: 'GET', path: '/api/sync/operations' },
  startSyncOperation: { method: 'POST', path: '/api/sync/operations' },
  cancelSyncOperation: { method: 'POST', path: '/api/sync/operations/:operationId/cancel' },
} as const satisfies Record<string, RouteSpec>;
export type RouteName = keyof typeof ROUTES;

export interface ApiError {
  code: string;
  message: string;
  /** From `Retry-After` (or the body's `retryAfterSeconds`) on a 409 or 429: when to try again. */
  retryAfterSeconds?: number;
}
export type ApiResult<T> = { status: 'success'; data: T } | { status: 'error'; error: ApiError };
/** What a panel renders from: loading, then success or error. */
export type Loadable<T> = { status: 'loading' } | ApiResult<T>;

const hubspotFetcher: Fetcher = (url, options) => hubspot.fetch(url, options);

type Params = Record<string, string | number>;
type Query = Record<string, string | number | null | undefined>;

export function buildUrl(route: RouteSpec, params: Params = {}, query: Query = {}, origin = BACKEND_ORIGIN) {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`missing route parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  return `${origin}${path}${search.size ? `?${search}` : ''}`;
}

const NETWORK_ERROR: ApiError = {
  code: 'network',
  message: 'Could not reach Dialer Sync. Check your connection and try again in a minute.',
};
const INVALID_RESPONSE: ApiError = {
  code: 'invalid_response',
  message: 'Dialer Sync answered in a way this page does not understand. Reload the page and try again.',
};

async function readJson(response: FetchResponse): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** What an answer without our `{error: {code, message}}` body means, with what to do next. */
function genericError(status: number): ApiError {
  if (status === 429)
    return {
      code: 'http_429',
      message: 'HubSpot is holding back requests from this account for a moment. Try again in a few seconds.',
    };
  if (status >= 500)
    return {
      code: `http_${status}`,
      message: `Dialer Sync could not answer (${status}). Try again in a minute; if it keeps happening, contact support.`,
    };
  return {
    code: `http_${status}`,
    message: `Dialer Sync answered with an error (${status}). Reload the page and try again; if it keeps happening, contact support.`,
  };
}

function errorFrom(response: FetchResponse, json: unknown): ApiError {
  const parsed = schemas.errorBodySchema.safeParse(json);
  const { retryAfterSeconds: inBody, ...error } = parsed.success
    ? parsed.data.error
    : genericError(response.status);
  const after = retryAfterSeconds(response) ?? inBody;
  return after === undefined ? error : { ...error, retryAfterSeconds: after };
}

/**
 * GET answers every panel may share for a minute (configuration that changes only by a save, which
 * invalidates them). The others (logs, lists, operations in progress) are shared only while in flight.
 */
const SHARED_READS = new Set<RouteName>([
  'session',
  'setup',
  'getSettings',
  'agents',
  'owners',
  'dispositions',
  'outcomes',
  'propertyMappings',
  'contactProperties',
  'health',
]);
export const SHARED_READ_MAX_AGE_MS = 60_000;

export interface ApiOptions {
  /** How a refused request waits before it is sent again (tests record instead of waiting). */
  sleep?: Sleep;
  now?: () => number;
  maxConcurrent?: number;
}

export function createApi(
  fetcher: Fetcher = hubspotFetcher,
  origin: string = BACKEND_ORIGIN,
  options: ApiOptions = {},
) {
  const send = retryRefused(limitConcurrency(fetcher, options.maxConcurrent), options.sleep ?? sleep);
  const cache = createReadCache(options.now);

  async function request<S extends z.ZodType>(
    url: string,
    fetchOptions: FetchOptions,
    schema: S,
  ): Promise<ApiResult<z.output<S>>> {
    let response: FetchResponse;
    try {
      response = await send(url, fetchOptions);
    } catch {
      return { status: 'error', error: NETWORK_ERROR };
    }
    const json = await readJson(response);
    if (!response.ok) return { status: 'error', error: errorFrom(response, json) };
    const parsed = schema.safeParse(json);
    return parsed.success
      ? { status: 'success', data: parsed.data }
      : { status: 'error', error: INVALID_RESPONSE };
  }

  async function call<S extends z.ZodType>(
    name: RouteName,
    schema: S,
    { params, query, body }: { params?: Params; query?: Query; body?: Record<string, unknown> } = {},
  ): Promise<ApiResult<z.output<S>>> {
    const route = ROUTES[name];
    const url = buildUrl(route, params, query, origin);
    if (route.method === 'GET') {
      const maxAge = SHARED_READS.has(name) ? SHARED_READ_MAX_AGE_MS : 0;
      return cache.read(url, maxAge, () => request(url, { method: 'GET' }, schema));
    }
    const result = await request(
      url,
      body === undefined ? { method: route.method } : { method: route.method, body },
      schema,
    );
    cache.invalidate();
    return result;
  }

  const ok = schemas.acceptedSchema;
  return {
    session: () => call('session', schemas.sessionSchema),
    setup: () => call('setup', schemas.setupSchema),
    connectDialer: (apiToken: string) => call('connectDialer', ok, { body: { apiToken } }),
    disconnectDialer: () => call('disconnectDialer', ok),
    getSettings: () => call('getSettings', schemas.settingsSchema),
    updateSettings: (debugMode: boolean) =>
      call('updateSettings', schemas.settingsSchema, { body: { debugMode } }),
    updateSendTranscripts: (sendTranscripts: boolean) =>
      call('updateSettings', schemas.settingsSchema, { body: { sendTranscripts } }),
    updateMissedCalls: (missedCalls: Partial<schemas.MissedCalls>) =>
      call('updateSettings', schemas.settingsSchema, { body: { missedCalls } }),
    unmatchedCalls: () => call('unmatchedCalls', schemas.unmatchedCallsSchema),
    searchContacts: (q: string) => call('searchContacts', schemas.contactHitsSchema, { query: { q } }),
    linkCallContact: (callId: string, target: { contactId: string } | { create: true }) =>
      call('linkCallContact', ok, { params: { callId }, body: target }),
    activity: (filters: {
      callId?: string;
      phone?: string;
      level?: string;
      cursor?: string | null;
      limit?: number;
    }) => call('activity', schemas.activityPageSchema, { query: filters }),
    retryCall: (callId: string) => call('retryCall', ok, { params: { callId } }),
    retryFailedCalls: () => call('retryFailedCalls', schemas.retriedSchema),
    agents: () => call('agents', schemas.agentsSchema),
    mapAgent: (agentId: string, ownerId: string | null) =>
      call('mapAgent', ok, { params: { agentId }, body: { ownerId } }),
    refreshAgents: () => call('refreshAgents', ok),
    owners: () => call('owners', schemas.ownersSchema),
    dispositions: () => call('dispositions', schemas.dispositionsSchema),
    mapDisposition: (dispositionId: string, outcomeId: string | null) =>
      call('mapDisposition', ok, { params: { dispositionId }, body: { outcomeId } }),
    refreshDispositions: () => call('refreshDispositions', ok),
    outcomes: () => call('outcomes', schemas.outcomesSchema),
    contactStatus: (contactId: string) =>
      call('contactStatus', schemas.contactStatusSchema, { params: { contactId } }),
    syncContact: (contactId: string) => call('syncContact', ok, { params: { contactId } }),
    removeContactFromLists: (contactId: string) =>
      call('removeContactFromLists', ok, { params: { contactId } }),
    erasures: () => call('erasures', schemas.erasuresSchema),
    erasePerson: (request: schemas.ErasureRequest) =>
      call('erasePerson', schemas.erasureResultSchema, { body: { ...request, confirm: 'ERASE' } }),
    health: () => call('health', schemas.healthSchema),
    uninstall: (confirm: string) => call('uninstall', schemas.uninstalledSchema, { body: { confirm } }),
    updateContactSync: (contactSync: Partial<schemas.ContactSyncSettings>) =>
      call('updateSettings', schemas.settingsSchema, { body: { contactSync } }),
    propertyMappings: () => call('propertyMappings', schemas.propertyMappingsSchema),
    putPropertyMapping: (dialerField: string, hubspotProperty: string, direction: schemas.Direction) =>
      call('putPropertyMapping', ok, { params: { dialerField }, body: { hubspotProperty, direction } }),
    deletePropertyMapping: (dialerField: string) =>
      call('deletePropertyMapping', ok, { params: { dialerField } }),
    contactProperties: () => call('contactProperties', schemas.contactPropertiesSchema),
    syncOperations: () => call('syncOperations', schemas.syncOperationsSchema),
    startSyncOperation: (kind: schemas.OperationKind) => call('startSyncOperation', ok, { body: { kind } }),
    cancelSyncOperation: (operationId: string) =>
      call('cancelSyncOperation', ok, { params: { operationId } }),
  };
}
export type Api = ReturnType<typeof createApi>;
