// Runs a script on Node.js 22.12 or newer, whatever `node` this machine has (Node 20 included),
// after making sure the dependencies are installed. The npm scripts start everything through it,
// so a fresh clone needs nothing by hand: `npm start`, `npm test`, `npm run demo`.
//   node scripts/node22.mjs <script.js|.mjs> [args...]
// Plain JavaScript that any Node from 18 on can run. A Node 22 binary, when needed, comes from
// the npm registry (`npm install --prefix <cache> node@22`) into DIALER_SYNC_NODE_DIR
// (default ~/.cache/dialer-sync/node22) and is reused from then on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MINIMUM = [22, 12];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const recentEnough = (version) => {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
};

function run(command, args, env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`node22: ${command} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

/** The node binary to use, and the PATH that puts it first (so npm and npx use it too). */
function nodeBinary() {
  if (recentEnough(process.version))
    return { node: process.execPath, binDir: path.dirname(process.execPath) };
  const dir = process.env.DIALER_SYNC_NODE_DIR || path.join(homedir(), '.cache', 'dialer-sync', 'node22');
  const binDir = path.join(dir, 'node_modules', '.bin');
  const node = path.join(binDir, 'node');
  const installed = existsSync(node) && recentEnough(spawnSync(node, ['--version']).stdout?.toString() ?? '');
  if (!installed) {
    console.error(`node22: this machine has Node ${process.version}; fetching Node 22 into ${dir} (once)`);
    run('npm', [
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      'node@22',
    ]);
  }
  return { node, binDir };
}

const { node, binDir } = nodeBinary();
const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` };

// Dependencies exactly as locked, installed by npm running on Node 22 (engine-strict refuses older).
if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.error('node22: installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], env);
}

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/node22.mjs <script> [args...]');
  process.exit(2);
}
if (node === process.execPath) {
  // This Node will do: run the script in this process (one Node start instead of two).
  process.env.PATH = env.PATH;
  process.argv = [process.argv[0], path.resolve(script), ...args];
  await import(pathToFileURL(path.resolve(script)).href);
} else {
  const child = spawn(node, [script, ...args], { cwd: process.cwd(), stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
