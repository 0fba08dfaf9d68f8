// Small helpers of the benchmarks: flags, the machine line, result printing, PostgreSQL CPU.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** CPU seconds used so far by every PostgreSQL server process on this machine (from /proc). */
export function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

/** Command-line flags `--name value` with defaults. */
export function flags<T extends Record<string, number | string>>(defaults: T): T {
  const out: Record<string, number | string> = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, '');
    if (!(key in defaults))
      throw new Error(`unknown flag --${key} (known: ${Object.keys(defaults).join(', ')})`);
    out[key] = typeof defaults[key] === 'number' ? Number(argv[++i]) : String(argv[++i]);
  }
  return out as T;
}

export function machine(): string {
  const load = loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${load}`;
}

export function report(title: string, rows: Record<string, unknown>) {
  console.log(`\n== ${title} (${new Date().toISOString()}; ${machine()})`);
  for (const [key, value] of Object.entries(rows))
    console.log(`  ${key.padEnd(34)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
}
