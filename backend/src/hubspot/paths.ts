/**
 * Every HubSpot endpoint the app uses, in one table. HubSpot retires OAuth v1 on 2027-02-16, the
 * v4 APIs on 2027-03-30 and v1-v3 in September 2027: moving an endpoint is a one-line change here.
 * `kind` chooses the rate budget: `search` endpoints have their own (5 / s per portal).
 * `creates` marks requests that are not safe to repeat after an unclear failure (5xx, timeout):
 * the client retries them only on 429, and the caller recovers what HubSpot may have created.
 * Adding one: also give it its scopes in `operation-scopes.ts` and its row in
 * docs/hubspot-api-versions.md (`hubspot/api-surface.test.ts` says exactly what is missing).
 */
export const HUBSPOT_OPERATIONS = {
  // OAuth (no bearer token, not rate limited per portal)
  oauthToken: { method: 'POST', path: '/oauth/2026-03/token', fallback: '/oauth/v1/token', kind: 'oauth' },
  oauthIntrospect: { method: 'POST', path: '/oauth/2026-03/token/introspect', kind: 'oauth' },
  // Account
  getOwners: { method: 'GET', path: '/crm/owners/2026-03', kind: 'standard' },
  getUser: { method: 'GET', path: '/settings/users/2026-03/{userId}', kind: 'standard' },
  getCallOutcomes: { method: 'GET', path: '/calling/v1/dispositions', kind: 'standard' },
  // Contacts
  readContact: { method: 'GET', path: '/crm/objects/2026-03/contacts/{contactId}', kind: 'standard' },
  batchReadContacts: { method: 'POST', path: '/crm/objects/2026-03/contacts/batch/read', kind: 'standard' },
  searchContacts: { method: 'POST', path: '/crm/objects/2026-03/contacts/search', kind: 'search' },
  batchCreateContacts: {
    method: 'POST',
    path: '/crm/objects/2026-03/contacts/batch/create',
    kind: 'standard',
    creates: true,
  },
  batchUpdateContacts: {
    method: 'POST',
    path: '/crm/objects/2026-03/contacts/batch/update',
    kind: 'standard',
  },
  // Calls
  batchCreateCalls: {
    method: 'POST',
    path: '/crm/objects/2026-03/calls/batch/create',
    kind: 'standard',
    creates: true,
  },
  batchUpdateCalls: { method: 'POST', path: '/crm/objects/2026-03/calls/batch/update', kind: 'standard' },
  batchReadCalls: { method: 'POST', path: '/crm/objects/2026-03/calls/batch/read', kind: 'standard' },
  searchCalls: { method: 'POST', path: '/crm/objects/2026-03/calls/search', kind: 'search' },
  batchAssociateCallsToContacts: {
    method: 'POST',
    path: '/crm/associations/2026-03/calls/contacts/batch/create',
    kind: 'standard',
  },
  // Tasks
  batchCreateTasks: {
    method: 'POST',
    path: '/crm/objects/2026-03/tasks/batch/create',
    kind: 'standard',
    creates: true,
  },
  batchReadTasks: { method: 'POST', path: '/crm/objects/2026-03/tasks/batch/read', kind: 'standard' },
  batchUpdateTasks: { method: 'POST', path: '/crm/objects/2026-03/tasks/batch/update', kind: 'standard' },
  searchTasks: { method: 'POST', path: '/crm/objects/2026-03/tasks/search', kind: 'search' },
  batchAssociateTasksToContacts: {
    method: 'POST',
    path: '/crm/associations/2026-03/tasks/contacts/batch/create',
    kind: 'standard',
  },
  /** HubSpot's default (unlabelled) association: no type id to get wrong. */
  batchAssociateTasksToCallsDefault: {
    method: 'POST',
    path: '/crm/associations/2026-03/tasks/calls/batch/associate/default',
    kind: 'standard',
  },
  // Properties
  createContactPropertyGroup: {
    method: 'POST',
    path: '/crm/properties/2026-03/contacts/groups',
    kind: 'standard',
  },
  createContactProperty: { method: 'POST', path: '/crm/properties/2026-03/contacts', kind: 'standard' },
  batchCreateContactProperties: {
    method: 'POST',
    path: '/crm/properties/2026-03/contacts/batch/create',
    kind: 'standard',
  },
  // App installation
  uninstallApp: { method: 'DELETE', path: '/appinstalls/2026-03/external-install', kind: 'standard' },
  listContactProperties: { method: 'GET', path: '/crm/properties/2026-03/contacts', kind: 'standard' },
  // Calling extensions: recordings that play in HubSpot, third-party transcripts
  getRecordingSettings: {
    method: 'GET',
    path: '/crm/extensions/calling/2026-03/{appId}/settings/recording',
    kind: 'standard',
  },
  registerRecordingUrl: {
    method: 'POST',
    path: '/crm/extensions/calling/2026-03/{appId}/settings/recording',
    kind: 'standard',
  },
  updateRecordingUrl: {
    method: 'PATCH',
    path: '/crm/extensions/calling/2026-03/{appId}/settings/recording',
    kind: 'standard',
  },
  markRecordingReady: {
    method: 'POST',
    path: '/crm/extensions/calling/2026-03/recordings/ready',
    kind: 'standard',
  },
  createTranscript: {
    method: 'POST',
    path: '/crm/extensions/calling/2026-03/transcripts',
    kind: 'standard',
    creates: true,
  },
  // Workflow actions
  completeCallbacks: {
    method: 'POST',
    path: '/automation/actions/callbacks/2026-03/complete',
    kind: 'standard',
  },
} as const satisfies Record<
  string,
  {
    method: string;
    path: string;
    kind: 'oauth' | 'standard' | 'search';
    fallback?: string;
    creates?: boolean;
  }
>;

export type HubSpotOperation = keyof typeof HUBSPOT_OPERATIONS;

/** Association type ids (HUBSPOT_DEFINED). */
export const ASSOCIATION_TYPES = { callToContact: 194, taskToContact: 204 } as const;

export function buildPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
