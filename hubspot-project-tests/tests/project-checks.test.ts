import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '@dialer-sync/ui-shared/api';
import { REQUIRED_SCOPES } from '../../backend/src/installations/scopes.ts';
import { PENDING_ROUTES } from '../checks/pending-routes.ts';
import { runProjectChecks } from '../checks/project-checks.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const options = (rootDir: string) => ({
  rootDir,
  requiredScopes: REQUIRED_SCOPES,
  uiRoutes: ROUTES,
  pendingRoutes: PENDING_ROUTES,
});
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the project (and the backend sources the route scan reads) to break on purpose. */
function copyProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hs-project-'));
  temps.push(dir);
  const skip = (source: string) => !source.includes(`${path.sep}node_modules`);
  cpSync(path.join(repo, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  cpSync(path.join(repo, 'hubspot-project'), path.join(dir, 'hubspot-project'), {
    recursive: true,
    filter: skip,
  });
  cpSync(path.join(repo, 'backend', 'src'), path.join(dir, 'backend', 'src'), { recursive: true });
  return dir;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary JSON
type Json = Record<string, any>;
function editJson(dir: string, file: string, edit: (json: Json) => void) {
  const full = path.join(dir, 'hubspot-project', file);
  const json = JSON.parse(readFileSync(full, 'utf8'));
  edit(json);
  writeFileSync(full, JSON.stringify(json, null, 2));
}
function editText(dir: string, file: string, edit: (text: string) => string) {
  const full = path.join(dir, file);
  writeFileSync(full, edit(readFileSync(full, 'utf8')));
}
async function problemsAfter(mutate: (dir: string) => void) {
  const dir = copyProject();
  mutate(dir);
  return (await runProjectChecks(options(dir))).problems;
}

describe('offline HubSpot project checks', () => {
  it('pass on the project as it is', async () => {
    const result = await runProjectChecks(options(repo));
    expect(result.problems).toEqual([]);
    // Only routes listed as pending may be missing from the backend.
    expect(result.missingRoutes.filter((route) => !PENDING_ROUTES.includes(route))).toEqual([]);
    const types = result.components.map((component) => component.json.type);
    for (const type of ['app', 'settings', 'card', 'webhooks']) expect(types).toContain(type);
  });

  it('the app asks for exactly the scopes the backend uses', () => {
    const app = JSON.parse(readFileSync(path.join(repo, 'hubspot-project/app/app-hsmeta.json'), 'utf8'));
    expect([...app.config.auth.requiredScopes].sort()).toEqual([...REQUIRED_SCOPES].sort());
  });

  const cases: [string, RegExp, (dir: string) => void][] = [
    [
      'a required key removed',
      /missing required key "config"/,
      (d) => editJson(d, 'app/cards/dialer-card-hsmeta.json', (j) => delete j.config),
    ],
    [
      'a config key removed',
      /config\.support/,
      (d) => editJson(d, 'app/app-hsmeta.json', (j) => delete j.config.support),
    ],
    [
      'a wrong type',
      /type must be "settings"/,
      (d) => editJson(d, 'app/settings/settings-hsmeta.json', (j) => (j.type = 'card')),
    ],
    [
      'an invalid uid',
      /uid must be/,
      (d) => editJson(d, 'app/webhooks/webhooks-hsmeta.json', (j) => (j.uid = 'has spaces')),
    ],
    [
      'a duplicate uid',
      /also used by/,
      (d) => editJson(d, 'app/webhooks/webhooks-hsmeta.json', (j) => (j.uid = 'dialer-sync-app')),
    ],
    [
      'an unexpected top-level key',
      /unexpected top-level key "name"/,
      (d) => editJson(d, 'app/cards/dialer-card-hsmeta.json', (j) => (j.name = 'x')),
    ],
    [
      'a missing entrypoint',
      /entrypoint .* does not exist/,
      (d) => unlinkSync(path.join(d, 'hubspot-project/app/cards/DialerCard.tsx')),
    ],
    [
      'a component in a nested folder',
      /HubSpot skips it/,
      (d) => {
        mkdirSync(path.join(d, 'hubspot-project/app/cards/more'));
        cpSync(
          path.join(d, 'hubspot-project/app/cards/dialer-card-hsmeta.json'),
          path.join(d, 'hubspot-project/app/cards/more/x-hsmeta.json'),
        );
      },
    ],
    [
      'supportedValueTypes on an output field',
      /outputFields\.0: output fields take typeDefinition only/,
      (d) =>
        editJson(d, 'app/workflow-actions/add-to-dialer-list-hsmeta.json', (j) => {
          j.config.outputFields[0].supportedValueTypes = ['STATIC_VALUE'];
        }),
    ],
    [
      'tests inside srcDir (uploaded with the app)',
      /would be uploaded with the app/,
      (d) => mkdirSync(path.join(d, 'hubspot-project/tests')),
    ],
    [
      'invalid JSON',
      /invalid JSON/,
      (d) => editText(d, 'hubspot-project/app/webhooks/webhooks-hsmeta.json', (t) => t.replace('{', '{,')),
    ],
    [
      'a scope the backend does not use',
      /requiredScopes/,
      (d) => editJson(d, 'app/app-hsmeta.json', (j) => j.config.auth.requiredScopes.push('tickets')),
    ],
    [
      'the permitted origin removed',
      /permittedUrls.fetch lacks/,
      (d) =>
        editJson(
          d,
          'app/app-hsmeta.json',
          (j) => (j.config.permittedUrls.fetch = ['https://other.example.com']),
        ),
    ],
    [
      'a webhook on another origin',
      /not on the backend origin/,
      (d) =>
        editJson(
          d,
          'app/webhooks/webhooks-hsmeta.json',
          (j) => (j.config.settings.targetUrl = 'https://evil.example.com/h'),
        ),
    ],
    [
      'a localhost URL',
      /must not be local/,
      (d) =>
        editJson(d, 'app/app-hsmeta.json', (j) => (j.config.permittedUrls.fetch = ['https://localhost'])),
    ],
    [
      'a backend route removed',
      /GET \/api\/setup is called by the UI but no backend router serves it/,
      (d) =>
        editText(d, 'backend/src/dialer-connection/routes.ts', (t) =>
          t.replace("router.get('/api/setup'", "router.get('/api/setup-gone'"),
        ),
    ],
    [
      'a parent import in UI code',
      /from outside app\/cards/,
      (d) =>
        editText(
          d,
          'hubspot-project/app/cards/DialerCard.tsx',
          (t) => `import '../settings/Settings.tsx';\n${t}`,
        ),
    ],
    [
      'native fetch in UI code',
      /calls fetch\(\)/,
      (d) => editText(d, 'hubspot-project/app/cards/DialerCardView.tsx', (t) => `${t}\nvoid fetch('x');\n`),
    ],
    [
      'a URL literal in UI code',
      /URL literal/,
      (d) =>
        editText(
          d,
          'hubspot-project/app/cards/DialerCardView.tsx',
          (t) => `${t}\nexport const u = 'https://x.example.com';\n`,
        ),
    ],
    [
      'a package not declared',
      /not in its package.json/,
      (d) => editJson(d, 'app/cards/package.json', (j) => delete j.dependencies.react),
    ],
    [
      'the settings component gone (parsing lib)',
      /found 0 settings/,
      (d) => unlinkSync(path.join(d, 'hubspot-project/app/settings/settings-hsmeta.json')),
    ],
  ];
  it.each(cases)('report %s', async (_name, expected, mutate) => {
    const problems = await problemsAfter(mutate);
    expect(problems.map((p) => `[${p.check}] ${p.file}: ${p.message}`).join('\n')).toMatch(expected);
  });
});
