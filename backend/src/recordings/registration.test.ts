import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingRegistration } from '../../../hubspot-project-tests/checks/release.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import { registerRecordingsForRelease } from './register-recordings-cli.ts';
import { APP_ID, startRecordingsApp } from './test-support.ts';

let app: TestApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const SETTINGS = `/crm/extensions/calling/2026-03/${APP_ID}/settings/recording`;
const releaseOf = (rootDir: string) => JSON.parse(readFileSync(path.join(rootDir, 'release.json'), 'utf8'));
function releaseDir(origin: string): string {
  dir = mkdtempSync(path.join(tmpdir(), 'rec-release-'));
  writeFileSync(
    path.join(dir, 'release.json'),
    JSON.stringify({
      origin,
      supportEmail: 'help@acme-dialer.com',
      supportUrl: 'https://acme-dialer.com/support',
      supportPhone: '+61 2 9374 4000',
      documentationUrl: 'https://acme-dialer.com/docs',
    }),
  );
  return dir;
}
const writes = (a: TestApp) => ({
  post: a.hubspot.requestsTo('POST', SETTINGS).length,
  patch: a.hubspot.requestsTo('PATCH', SETTINGS).length,
});

describe('npm run hubspot:register-recordings', { timeout: 60_000 }, () => {
  it("sets release.json's recording URL once: POST when absent, nothing when equal, PATCH when different", async () => {
    app = await startRecordingsApp();
    await app.install(540001);
    const root = releaseDir('https://calls.acme-dialer.com');

    const first = await registerRecordingsForRelease(app.runtime.ctx, root);
    const url = 'https://calls.acme-dialer.com/hubspot/recordings/%s';
    expect(first).toEqual({ url, action: 'created', portalId: 540001 });
    expect(app.hubspot.recordingUrls.get(APP_ID)).toBe(url);
    expect(releaseOf(root)).toMatchObject({ origin: 'https://calls.acme-dialer.com', recordingUrl: url });
    expect(releaseOf(root).supportEmail).toBe('help@acme-dialer.com');
    // The release check accepts what the script recorded.
    expect(recordingRegistration(root)).toEqual([]);

    expect((await registerRecordingsForRelease(app.runtime.ctx, root)).action).toBe('unchanged');
    expect(writes(app)).toEqual({ post: 1, patch: 0 });

    writeFileSync(
      path.join(root, 'release.json'),
      JSON.stringify({ ...releaseOf(root), origin: 'https://dialer.acme-dialer.com' }),
    );
    const moved = await registerRecordingsForRelease(app.runtime.ctx, root, ['--portal', '540001']);
    expect(moved.action).toBe('updated');
    expect(app.hubspot.recordingUrls.get(APP_ID)).toBe(
      'https://dialer.acme-dialer.com/hubspot/recordings/%s',
    );
    expect(releaseOf(root).recordingUrl).toBe('https://dialer.acme-dialer.com/hubspot/recordings/%s');
    expect(writes(app)).toEqual({ post: 1, patch: 1 });
  });

  it('refuses without an installed portal or an https origin, and changes nothing', async () => {
    app = await startRecordingsApp();
    const root = releaseDir('https://calls.acme-dialer.com');
    await expect(registerRecordingsForRelease(app.runtime.ctx, root)).rejects.toThrow(
      /no active installation/,
    );
    await app.install(540002);
    await expect(registerRecordingsForRelease(app.runtime.ctx, root, ['--portal', '540003'])).rejects.toThrow(
      /portal 540003 has no active installation/,
    );
    writeFileSync(
      path.join(root, 'release.json'),
      JSON.stringify({ origin: 'http://calls.acme-dialer.com' }),
    );
    await expect(registerRecordingsForRelease(app.runtime.ctx, root)).rejects.toThrow(/https origin/);
    expect(releaseOf(root).recordingUrl).toBeUndefined();
    expect(app.hubspot.recordingUrls.size).toBe(0);
    expect(writes(app)).toEqual({ post: 0, patch: 0 });
  });
});
