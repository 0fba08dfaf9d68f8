import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIALER_SYNC_PROPERTIES, PROPERTY_GROUP } from '../call-follow-up/properties.ts';
import { REQUIRED_SCOPES } from '../installations/scopes.ts';
import { OPERATION_SCOPES } from './operation-scopes.ts';
import { HUBSPOT_OPERATIONS } from './paths.ts';

// The listing's data-access table (docs/scopes.md) and the privacy page's property table
// (docs/privacy.md) against the code, as scopes.test.ts holds the requested scopes to the code.

const readDoc = (name: string) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

/** The rows of the first Markdown table whose header starts with `firstHeader`, cells trimmed. */
export function markdownTable(markdown: string, firstHeader: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\|\\s*${firstHeader}\\s*\\|`).test(line));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** Names a document gives the property group: `"X" contact property group`, `"X" group`. */
export function propertyGroupNames(markdown: string): string[] {
  return [...markdown.matchAll(/"([^"]+)"\s+(?:contact\s+)?(?:property\s+)?group/g)].map((m) => m[1]!);
}

/** What is wrong between the scope table and the code, one sentence each. */
export function scopeTableProblems(rows: string[][]): string[] {
  const problems: string[] = [];
  const documented = rows.map((row) => backticked(row[0] ?? '')[0] ?? '');
  for (const scope of REQUIRED_SCOPES)
    if (!documented.includes(scope)) problems.push(`scope "${scope}" is requested but has no row`);
  for (const scope of documented)
    if (!(REQUIRED_SCOPES as readonly string[]).includes(scope))
      problems.push(`row "${scope}" names a scope the app does not request`);
  const rowOf = new Map<string, string>();
  rows.forEach((row, i) => {
    for (const name of backticked(row[2] ?? '')) {
      if (name in HUBSPOT_OPERATIONS) rowOf.set(name, documented[i]!);
      else if (/^[a-z][A-Za-z]+$/.test(name))
        problems.push(`row "${documented[i]}" names "${name}", which is no HubSpot operation of the code`);
    }
  });
  for (const [operation, scopes] of Object.entries(OPERATION_SCOPES)) {
    const row = rowOf.get(operation);
    const expected = scopes.length === 0 ? ['oauth'] : scopes;
    if (row === undefined)
      problems.push(`operation "${operation}" is in no row (expected: ${expected.join(' or ')})`);
    else if (!expected.includes(row))
      problems.push(`operation "${operation}" is in row "${row}" but needs ${expected.join(' or ')}`);
  }
  return problems;
}

describe('docs/scopes.md against the code', () => {
  const doc = readDoc('scopes.md');
  const rows = markdownTable(doc, 'scope');

  it('lists exactly the requested scopes, each operation in the row of a scope it needs', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(scopeTableProblems(rows)).toEqual([]);
  });

  it('names the property group the code creates', () => {
    expect(propertyGroupNames(doc).length).toBeGreaterThan(0);
    expect(new Set(propertyGroupNames(doc))).toEqual(new Set([PROPERTY_GROUP.label]));
    expect(doc).toContain(`\`${PROPERTY_GROUP.name}\``);
  });

  it('catches a wrong row (a test of the test)', () => {
    const moved = rows.map((row) =>
      backticked(row[0] ?? '')[0] === 'automation' ? [row[0]!, row[1]!, `${row[2]}, \`getOwners\``] : row,
    );
    expect(scopeTableProblems(moved)).toEqual([
      'operation "getOwners" is in row "automation" but needs crm.objects.owners.read',
    ]);
    expect(scopeTableProblems(rows.slice(1))).toContain('scope "oauth" is requested but has no row');
    expect(propertyGroupNames('creates the "Dialer.io" contact property group')).toEqual(['Dialer.io']);
  });
});

describe('docs/privacy.md against the code', () => {
  const doc = readDoc('privacy.md');

  it('lists every contact property the code creates, with its label, and nothing else', () => {
    const rows = markdownTable(doc, 'property');
    const documented = rows.map((row) => [backticked(row[0] ?? '')[0], row[1]]);
    expect(documented).toEqual(DIALER_SYNC_PROPERTIES.map((p) => [p.name, p.label]));
  });

  it('names the property group the code creates', () => {
    expect(new Set(propertyGroupNames(doc))).toEqual(new Set([PROPERTY_GROUP.label]));
    expect(doc).toContain(`\`${PROPERTY_GROUP.name}\``);
  });
});
