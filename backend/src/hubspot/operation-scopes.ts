import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HUBSPOT_OPERATIONS } from './paths.ts';

/**
 * The OAuth scopes each HubSpot operation needs (HubSpot's "Requirements" of each endpoint; call
 * and task engagements and call outcomes are covered by the contact object scopes). `[]` = none
 * beyond the token itself. docs/scopes.md is the human version of this table.
 */
export const OPERATION_SCOPES: Record<string, readonly string[]> = {
  oauthToken: [],
  oauthIntrospect: [],
  getOwners: ['crm.objects.owners.read'],
  getUser: ['settings.users.read'],
  getCallOutcomes: ['crm.objects.contacts.read'],
  readContact: ['crm.objects.contacts.read'],
  batchReadContacts: ['crm.objects.contacts.read'],
  searchContacts: ['crm.objects.contacts.read'],
  batchUpdateContacts: ['crm.objects.contacts.write'],
  batchCreateContacts: ['crm.objects.contacts.write'],
  batchCreateCalls: ['crm.objects.contacts.write'],
  batchUpdateCalls: ['crm.objects.contacts.write'],
  batchReadCalls: ['crm.objects.contacts.read'],
  searchCalls: ['crm.objects.contacts.read'],
  batchAssociateCallsToContacts: ['crm.objects.contacts.write'],
  batchCreateTasks: ['crm.objects.contacts.write'],
  batchReadTasks: ['crm.objects.contacts.read'],
  batchUpdateTasks: ['crm.objects.contacts.write'],
  searchTasks: ['crm.objects.contacts.read'],
  batchAssociateTasksToContacts: ['crm.objects.contacts.write'],
  batchAssociateTasksToCallsDefault: ['crm.objects.contacts.write'],
  createContactPropertyGroup: ['crm.schemas.contacts.write'],
  createContactProperty: ['crm.schemas.contacts.write'],
  batchCreateContactProperties: ['crm.schemas.contacts.write'],
  listContactProperties: ['crm.objects.contacts.read'],
  uninstallApp: [],
  completeCallbacks: ['automation'],
  // App-level settings and the call's own recording: HubSpot's pages list no scope beyond the
  // token (unconfirmed); the call itself was written with the contact object scope.
  getRecordingSettings: [],
  registerRecordingUrl: [],
  updateRecordingUrl: [],
  markRecordingReady: ['crm.objects.contacts.write'],
  createTranscript: ['crm.extensions_calling_transcripts.read', 'crm.extensions_calling_transcripts.write'],
};

/** Scopes the HubSpot project's components need by themselves (no backend call involved). */
export const COMPONENT_SCOPES: Record<string, readonly string[]> = {
  'workflow-action': ['automation'],
  webhooks: ['crm.objects.contacts.read'],
};

/** `oauth` is required by HubSpot for every OAuth app. */
const ALWAYS = ['oauth'];

export interface ScopeInputs {
  requiredScopes: readonly string[];
  operationScopes: Record<string, readonly string[]>;
  /** Operations some non-test code calls. */
  usedOperations: readonly string[];
  /** Component types in the HubSpot project (workflow-action, webhooks, ...). */
  componentTypes: readonly string[];
  operations?: readonly string[];
}

/** What is wrong between the scopes we request and the scopes the code needs, as instructions. */
export function scopeProblems(inputs: ScopeInputs): string[] {
  const problems: string[] = [];
  const operations = inputs.operations ?? Object.keys(HUBSPOT_OPERATIONS);
  for (const operation of operations) {
    if (!(operation in inputs.operationScopes))
      problems.push(
        `HubSpot operation "${operation}" has no scope entry: add \`${operation}: ['<scope>'],\` (or [] when it needs none) to OPERATION_SCOPES in backend/src/hubspot/operation-scopes.ts`,
      );
  }
  const needed = new Map<string, string[]>();
  const need = (scope: string, by: string) => needed.set(scope, [...(needed.get(scope) ?? []), by]);
  for (const operation of inputs.usedOperations)
    for (const scope of inputs.operationScopes[operation] ?? []) need(scope, operation);
  for (const type of inputs.componentTypes)
    for (const scope of COMPONENT_SCOPES[type] ?? []) need(scope, `${type} component`);
  for (const [scope, users] of needed) {
    if (!inputs.requiredScopes.includes(scope))
      problems.push(
        `scope "${scope}" is needed by ${users.join(', ')} but not requested: add it to REQUIRED_SCOPES (backend/src/installations/scopes.ts), app-hsmeta.json and docs/scopes.md`,
      );
  }
  for (const scope of inputs.requiredScopes) {
    if (!ALWAYS.includes(scope) && !needed.has(scope))
      problems.push(
        `scope "${scope}" is requested but no code path needs it: remove it from REQUIRED_SCOPES, app-hsmeta.json and docs/scopes.md (or map the operation that needs it in OPERATION_SCOPES)`,
      );
  }
  return problems;
}

/** Operation names that non-test backend code passes as a string literal (`send('getOwners', ...)`). */
export function findUsedOperations(backendSrcDir: string, operations: readonly string[]): string[] {
  const code = listSourceFiles(backendSrcDir)
    .filter((file) => !/(paths|operation-scopes)\.ts$/.test(file))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  return operations.filter((operation) => new RegExp(`['"\`]${operation}['"\`]`).test(code));
}

export function listSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}
