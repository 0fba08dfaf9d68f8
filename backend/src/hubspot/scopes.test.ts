import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIRED_SCOPES } from '../installations/scopes.ts';
import { OPERATION_SCOPES, findUsedOperations, scopeProblems } from './operation-scopes.ts';
import { HUBSPOT_OPERATIONS } from './paths.ts';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const appDir = path.resolve(srcDir, '../../hubspot-project/app');

/** The `type` of every component in the HubSpot project. */
function componentTypes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : componentTypes(full);
    if (!entry.name.endsWith('-hsmeta.json')) return [];
    return [String((JSON.parse(readFileSync(full, 'utf8')) as { type: unknown }).type)];
  });
}

const operations = Object.keys(HUBSPOT_OPERATIONS);
const inputs = {
  requiredScopes: REQUIRED_SCOPES,
  operationScopes: OPERATION_SCOPES,
  usedOperations: findUsedOperations(srcDir, operations),
  componentTypes: componentTypes(appDir),
};

describe('OAuth scopes against the code paths that need them', () => {
  it('requests exactly the scopes the code and the project components need', () => {
    expect(scopeProblems(inputs)).toEqual([]);
  });

  it('finds the operations the code calls', () => {
    expect(inputs.usedOperations).toEqual(
      expect.arrayContaining(['getOwners', 'batchCreateCalls', 'getUser']),
    );
  });

  it('fails when an unused scope is added (a test of the test)', () => {
    const problems = scopeProblems({
      ...inputs,
      requiredScopes: [...REQUIRED_SCOPES, 'crm.objects.deals.read'],
    });
    expect(problems).toEqual([
      expect.stringContaining('"crm.objects.deals.read" is requested but no code path needs it'),
    ]);
  });

  it('fails when code calls an endpoint whose scope is not requested', () => {
    const problems = scopeProblems({
      ...inputs,
      requiredScopes: REQUIRED_SCOPES.filter((scope) => scope !== 'crm.objects.owners.read'),
    });
    expect(problems).toEqual([expect.stringMatching(/"crm.objects.owners.read" is needed by getOwners/)]);
  });

  it('fails, saying what to add, when an operation has no scope entry', () => {
    const problems = scopeProblems({ ...inputs, operations: [...operations, 'batchUpsertDeals'] });
    expect(problems).toEqual([
      expect.stringContaining(
        "add `batchUpsertDeals: ['<scope>'],` (or [] when it needs none) to OPERATION_SCOPES",
      ),
    ]);
  });
});
