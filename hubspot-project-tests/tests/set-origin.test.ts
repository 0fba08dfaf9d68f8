import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '@dialer-sync/ui-shared/api';
import { REQUIRED_SCOPES } from '../../backend/src/installations/scopes.ts';
import { PENDING_ROUTES } from '../checks/pending-routes.ts';
import { runProjectChecks } from '../checks/project-checks.ts';
import { setRelease } from '../checks/set-origin.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function recordRegistration(rootDir: string, recordingUrl: string) {
  const file = path.join(rootDir, 'release.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), recordingUrl }));
}

function copyProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hs-release-'));
  temps.push(dir);
  for (const file of ['hsproject.json', 'release.json']) cpSync(path.join(repo, file), path.join(dir, file));
  cpSync(path.join(repo, 'hubspot-project'), path.join(dir, 'hubspot-project'), {
    recursive: true,
    filter: (source) => !source.includes('node_modules'),
  });
  cpSync(path.join(repo, 'backend', 'src'), path.join(dir, 'backend', 'src'), { recursive: true });
  return dir;
}
const check = async (rootDir: string, release: boolean) =>
  (
    await runProjectChecks({
      rootDir,
      requiredScopes: REQUIRED_SCOPES,
      uiRoutes: ROUTES,
      pendingRoutes: PENDING_ROUTES,
      release,
    })
  ).problems.map((p) => `[${p.check}] ${p.file}: ${p.message}`);
const REAL = [
  'https://calls.acme-dialer.com',
  '--support-email',
  'help@acme-dialer.com',
  '--support-url',
  'https://acme-dialer.com/support',
  '--support-phone',
  '+61 2 9374 4000',
  '--documentation-url',
  'https://acme-dialer.com/docs/dialer-sync',
];

describe('release configuration (release.json, project:set-origin, project:check --release)', () => {
  it("refuses today's placeholders for a release, and passes after set-origin with real values", async () => {
    const dir = copyProject();
    expect(await check(dir, false)).toEqual([]);
    const placeholders = await check(dir, true);
    expect(placeholders).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/release\.json: placeholder host dialer-sync\.example\.com/),
        expect.stringMatching(/app-hsmeta\.json: placeholder phone number \+18005550199/),
        expect.stringMatching(/webhooks-hsmeta\.json: placeholder host/),
        expect.stringMatching(/config\.ts: placeholder host/),
      ]),
    );

    const { files } = await setRelease(dir, REAL);
    expect(files).toEqual(
      expect.arrayContaining([
        'app/shared/config.ts',
        'app/app-hsmeta.json',
        'app/webhooks/webhooks-hsmeta.json',
      ]),
    );
    const app = JSON.parse(readFileSync(path.join(dir, 'hubspot-project/app/app-hsmeta.json'), 'utf8'));
    expect(app.config.auth.redirectUrls).toEqual(['https://calls.acme-dialer.com/oauth/callback']);
    expect(app.config.permittedUrls.fetch).toEqual(['https://calls.acme-dialer.com']);
    expect(app.config.support).toEqual({
      supportEmail: 'help@acme-dialer.com',
      documentationUrl: 'https://acme-dialer.com/docs/dialer-sync',
      supportUrl: 'https://acme-dialer.com/support',
      supportPhone: '+61 2 9374 4000',
    });
    // What npm run hubspot:register-recordings records once it has set the URL in HubSpot.
    recordRegistration(dir, 'https://calls.acme-dialer.com/hubspot/recordings/%s');
    expect(await check(dir, true)).toEqual([]);
  });

  it('refuses a release whose recording URL is not registered, or registered for another origin', async () => {
    const dir = copyProject();
    await setRelease(dir, REAL);
    expect(await check(dir, false)).toEqual([]);
    expect(await check(dir, true)).toEqual([
      expect.stringMatching(
        /release\.json: no recording URL registered for https:\/\/calls\.acme-dialer\.com: run npm run hubspot:register-recordings/,
      ),
    ]);
    recordRegistration(dir, 'https://old.acme-dialer.com/hubspot/recordings/%s');
    expect(await check(dir, true)).toEqual([
      expect.stringMatching(
        /recordingUrl https:\/\/old\.acme-dialer\.com\/hubspot\/recordings\/%s ≠ https:\/\/calls\.acme-dialer\.com\/hubspot\/recordings\/%s/,
      ),
    ]);
    // A new origin keeps the old registration, which no longer matches.
    recordRegistration(dir, 'https://calls.acme-dialer.com/hubspot/recordings/%s');
    expect(await check(dir, true)).toEqual([]);
    await setRelease(dir, ['https://voice.acme-dialer.com']);
    expect(await check(dir, true)).toEqual([expect.stringMatching(/recordingUrl .* ≠ https:\/\/voice\./)]);
  });

  it('notices a project file that drifted from release.json', async () => {
    const dir = copyProject();
    await setRelease(dir, REAL);
    const file = path.join(dir, 'release.json');
    const release = JSON.parse(readFileSync(file, 'utf8'));
    release.supportEmail = 'other@acme-dialer.com';
    writeFileSync(file, JSON.stringify(release));
    expect(await check(dir, false)).toEqual([expect.stringMatching(/support\.supportEmail ≠ release\.json/)]);
  });

  it('refuses anything but an https origin', async () => {
    const dir = copyProject();
    await expect(setRelease(dir, ['http://calls.acme-dialer.com'])).rejects.toThrow(/https origin/);
    await expect(setRelease(dir, ['https://calls.acme-dialer.com/api'])).rejects.toThrow(/without a path/);
  });
});
