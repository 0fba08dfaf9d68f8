import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSourceFiles } from './operation-scopes.ts';
import { HUBSPOT_OPERATIONS } from './paths.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.resolve(here, '..');
const docFile = path.resolve(srcDir, '../../docs/hubspot-api-versions.md');
const doc = readFileSync(docFile, 'utf8');

/** A HubSpot-style versioned path in a string or backticks: `/crm/objects/2026-03/...`, `/calling/v1/...`. */
const VERSIONED_PATH = /['"`](\/[a-z-]+(?:\/[a-z-]+)?\/(?:v\d+|\d{4}-\d{2})(?:\/[^'"`\s]*)?)['"`]/g;

function pathsInCode(): string[] {
  const found = new Set<string>();
  for (const file of listSourceFiles(srcDir)) {
    if (file.endsWith(path.join('hubspot', 'paths.ts'))) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(VERSIONED_PATH)) found.add(match[1]!);
  }
  return [...found];
}

const pathsInTable = Object.values(HUBSPOT_OPERATIONS).flatMap((spec) =>
  'fallback' in spec ? [spec.path, spec.fallback] : [spec.path],
);
const docRow = (apiPath: string) =>
  doc.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${apiPath}\``));

describe('docs/hubspot-api-versions.md', () => {
  it('lists every HubSpot path the code calls', () => {
    const missing = [...pathsInTable, ...pathsInCode()].filter((apiPath) => !docRow(apiPath));
    expect(missing.map((apiPath) => `add a row for \`${apiPath}\` to docs/hubspot-api-versions.md`)).toEqual(
      [],
    );
  });

  it('gives every path that has no dated version a sunset date', () => {
    const legacy = pathsInTable.filter((apiPath) => !/\/\d{4}-\d{2}(\/|$)/.test(apiPath));
    expect(legacy.sort()).toEqual(['/calling/v1/dispositions', '/oauth/v1/token']);
    for (const apiPath of legacy) expect(docRow(apiPath)).toMatch(/2027-\d\d-\d\d|September 2027/);
  });

  it('finds versioned path literals in code (a test of the scan)', () => {
    const sample = "send('x'); const p = '/crm/v3/objects/deals'; const q = `/v1/contacts`;";
    expect([...sample.matchAll(VERSIONED_PATH)].map((m) => m[1])).toEqual(['/crm/v3/objects/deals']);
  });
});
