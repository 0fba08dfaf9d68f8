import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '@dialer-sync/ui-shared/api';
import { BACKEND_ORIGIN } from '@dialer-sync/ui-shared/config';
import { REQUIRED_SCOPES } from '../../backend/src/installations/scopes.ts';
import { PENDING_ROUTES } from '../checks/pending-routes.ts';
import { runProjectChecks } from '../checks/project-checks.ts';
import { setOrigin } from '../checks/set-origin.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'hs-origin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('project:set-origin', () => {
  it('moves every backend URL to the new origin and the checks still pass', async () => {
    cpSync(path.join(repo, 'hsproject.json'), path.join(dir, 'hsproject.json'));
    cpSync(path.join(repo, 'hubspot-project'), path.join(dir, 'hubspot-project'), {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
    cpSync(path.join(repo, 'backend', 'src'), path.join(dir, 'backend', 'src'), { recursive: true });
    const srcDir = path.join(dir, 'hubspot-project');

    const result = setOrigin(srcDir, 'https://calls.acme.test');
    expect(result.from).toBe(BACKEND_ORIGIN);
    expect(result.files).toEqual(
      expect.arrayContaining([
        'app/shared/config.ts',
        'app/app-hsmeta.json',
        'app/webhooks/webhooks-hsmeta.json',
      ]),
    );
    const app = JSON.parse(readFileSync(path.join(srcDir, 'app/app-hsmeta.json'), 'utf8'));
    expect(app.config.auth.redirectUrls).toEqual(['https://calls.acme.test/oauth/callback']);
    expect(app.config.permittedUrls.fetch).toEqual(['https://calls.acme.test']);

    const checks = await runProjectChecks({
      rootDir: dir,
      requiredScopes: REQUIRED_SCOPES,
      uiRoutes: ROUTES,
      pendingRoutes: PENDING_ROUTES,
    });
    expect(checks.problems).toEqual([]);
  });

  it('refuses anything but an https origin', () => {
    expect(() => setOrigin(path.join(dir, 'hubspot-project'), 'http://calls.acme.test')).toThrow(
      /https origin/,
    );
    expect(() => setOrigin(path.join(dir, 'hubspot-project'), 'https://calls.acme.test/api')).toThrow(
      /without a path/,
    );
  });
});
