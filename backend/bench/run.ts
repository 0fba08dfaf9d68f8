// `npm run bench` (small sizes, a few minutes) and `npm run bench -- --full` (the sizes of the
// targets): every part in turn, one table printed and appended to docs/benchmarks.md with the
// date, the machine (cores, memory, load average before each part), the commit and the command.
//
//   npm run bench -- [--full] [--only ingest,one-portal,many-portals,quiet-portal,workflow-burst]
import { execSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { benchCalls, CALLS_DEFAULTS } from './calls.ts';
import { benchIngest, INGEST_DEFAULTS } from './ingest.ts';
import { benchQuiet, QUIET_DEFAULTS } from './latency.ts';
import { benchManyPortals, MANY_PORTALS_DEFAULTS } from './many-portals.ts';
import { ROOT } from './support.ts';
import { benchWorkflowBurst, WORKFLOW_DEFAULTS } from './workflow-burst.ts';

const argv = process.argv.slice(2);
const full = argv.includes('--full');
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]!.split(',') : undefined;

const PARTS: { name: string; run: () => Promise<Record<string, unknown>> }[] = [
  {
    name: 'ingest',
    run: () =>
      benchIngest(
        full
          ? { ...INGEST_DEFAULTS, rates: '500,1000,2000,3000' }
          : { ...INGEST_DEFAULTS, rates: '1000,2000', seconds: 5, closedSeconds: 5 },
      ),
  },
  {
    name: 'one-portal',
    run: () =>
      benchCalls(full ? CALLS_DEFAULTS : { calls: 3000, contacts: 300, liveRate: 200, liveSeconds: 8 }),
  },
  {
    name: 'many-portals',
    run: () =>
      benchManyPortals(
        full
          ? MANY_PORTALS_DEFAULTS
          : { ...MANY_PORTALS_DEFAULTS, portals: 100, calls: 10, steadyRate: 100, steadySeconds: 8 },
      ),
  },
  {
    name: 'quiet-portal',
    run: () =>
      benchQuiet(
        full ? { ...QUIET_DEFAULTS, seconds: 60 } : { ...QUIET_DEFAULTS, seconds: 10, contacts: 100 },
      ),
  },
  {
    name: 'workflow-burst',
    run: () => benchWorkflowBurst(full ? WORKFLOW_DEFAULTS : { ...WORKFLOW_DEFAULTS, executions: 100 }),
  },
];

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
const git = (cmd: string) => {
  try {
    return execSync(`git ${cmd}`, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const cell = (v: unknown) =>
  (typeof v === 'object' ? JSON.stringify(v) : String(v)).replaceAll('|', '\\|').replaceAll('\n', ' ');

const startedAt = new Date();
const loadAtStart = load();
const rows: [string, string, string][] = [];
const selected = PARTS.filter((p) => !only || only.includes(p.name));
if (selected.length === 0) throw new Error(`no such part (parts: ${PARTS.map((p) => p.name).join(', ')})`);
for (const part of selected) {
  const before = load();
  const t0 = Date.now();
  console.log(`\n== ${part.name} (load ${before})`);
  try {
    rows.push([part.name, 'load average before', before]);
    const result = await part.run();
    for (const [key, value] of Object.entries(result)) {
      rows.push([part.name, key, cell(value)]);
      console.log(`  ${key.padEnd(60)} ${cell(value)}`);
    }
  } catch (error) {
    rows.push([part.name, 'FAILED', cell(error instanceof Error ? error.message : error)]);
    console.log(`  FAILED: ${String(error)}`);
  }
  rows.push([part.name, 'part took (s)', ((Date.now() - t0) / 1000).toFixed(0)]);
}

const dirty = git('status --porcelain') ? ' (with uncommitted changes)' : '';
const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
const header = [
  `### ${full ? 'Full' : 'Small'} run, ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
  '',
  `Command \`${command}\`; commit \`${git('rev-parse --short HEAD')}\`${dirty}; machine ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average at the start ${loadAtStart}, at the end ${load()}; took ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s.`,
  '',
  '| part | measure | result |',
  '| --- | --- | --- |',
  ...rows.map(([part, key, value]) => `| ${part} | ${cell(key)} | ${value} |`),
  '',
];
appendFileSync(resolve(ROOT, 'docs/benchmarks.md'), `\n${header.join('\n')}`);
console.log(`\nAppended to docs/benchmarks.md (${rows.length} rows).`);
process.exit(rows.some((r) => r[1] === 'FAILED') ? 1 : 0);
