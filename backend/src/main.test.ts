import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../test/support/test-app.ts';

const MAIN = new URL('./main.ts', import.meta.url).pathname;

/** Runs `backend/src/main.ts` through tsx (`npm start` runs the same file compiled) with the given environment. */
function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** GET /readyz until it answers 200; a new embedded database takes seconds, more on a busy machine. */
async function waitReady(port: number): Promise<unknown> {
  let ready: Response | undefined;
  for (let i = 0; i < 300 && !ready?.ok; i++) {
    ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (!ready?.ok) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return ready!.json();
}

describe('the service process', () => {
  it.each([
    ['ENCRYPTION_KEY', { ENCRYPTION_KEY: 'c2hvcnQ=' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'not a url' }],
    ['HUBSPOT_API_BASE_URL', { HUBSPOT_API_BASE_URL: '://nope' }],
  ])('exits at start naming %s when it is bad', async (key, env) => {
    const service = startService(env);
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain(key);
  });

  it('starts with nothing configured on the embedded database, serves /healthz, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dialer-sync-main-'));
    const port = await freePort();
    const service = startService({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
    try {
      expect(await waitReady(port)).toEqual({ status: 'ready', database: 'pglite' });
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('http_requests_total');
      expect(metrics).toContain('jobs_total');
      expect(metrics).toContain('hubspot_requests_total');
      expect(service.output()).toContain('PUBLIC DEVELOPMENT KEY');
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.output()).toContain('shutting down');

      // Again on the same folder: migrations and queues are there already, nothing to redo.
      const again = startService({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
      try {
        expect(await waitReady(port)).toEqual({ status: 'ready', database: 'pglite' });
        again.child.kill('SIGTERM');
        expect(await again.exited).toBe(0);
      } finally {
        again.child.kill('SIGKILL');
      }
    } finally {
      service.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
