// The demo's temporary data folder. Each one names the process that owns it, so that a folder
// left by a demo killed hard (Ctrl-C while the embedded database initialises blocks the event
// loop, and tsx then kills the process) is removed by the next run, never one still in use.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'dialer-sync-demo-';
const OWNER_FILE = 'demo.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sweepAbandoned(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      const pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // No owner file (yet, or not a demo folder): leave it alone.
    }
  }
}

/** A fresh folder for the embedded database, owned by this process. */
export function createDemoDir(): string {
  sweepAbandoned();
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

export function removeDemoDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
