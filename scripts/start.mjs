// `npm start`: runs the compiled service (dist/), building it first when the TypeScript sources
// are newer than the build (a fresh clone, or after an edit). No runtime transpiler: production
// runs `npm run build` once and then `node dist/backend/src/main.js` (this script does just that).
//   node scripts/start.mjs [entry]   entry: main (default), migrate, or build (only build if stale)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = {
  main: 'dist/backend/src/main.js',
  migrate: 'dist/backend/src/platform/db/migrate-cli.js',
};
const BUILD_STAMP = path.join(root, 'dist', '.tsbuildinfo');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    // Tests are not part of the build: editing one does not make dist/ stale.
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const built = existsSync(BUILD_STAMP) ? statSync(BUILD_STAMP).mtimeMs : 0;
  const sources = ['backend/src', 'migrations', 'tsconfig.json', 'tsconfig.build.json'].map((p) =>
    path.join(root, p),
  );
  const newest = Math.max(
    ...sources.map((p) => (statSync(p).isDirectory() ? newestSource(p) : statSync(p).mtimeMs)),
  );
  if (built >= newest) return;
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    console.error(
      'start: dist/ is missing or older than the sources, and TypeScript is not installed: run npm run build',
    );
    process.exit(1);
  }
  console.error('start: compiling the service (npm run build)');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  const now = new Date();
  utimesSync(BUILD_STAMP, now, now);
}

const name = process.argv[2] ?? 'main';
const entry = ENTRIES[name];
if (!entry && name !== 'build') {
  console.error(`start: unknown entry ${name} (main, migrate or build)`);
  process.exit(2);
}
if (process.env.SKIP_BUILD_CHECK !== '1') buildIfStale();
if (entry) await import(pathToFileURL(path.join(root, entry)).href);
