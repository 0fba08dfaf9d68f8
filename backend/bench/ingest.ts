// Ingest (target: ≥ 2,000 signed Dialer.io webhooks/s with p99 ≤ 50 ms, ≥ 67 % of the bare
// ceiling, RSS ≤ 200 MB): verified, stored in webhook_inbox, calls.sync enqueued, answered.
//
//   npm run bench:ingest -- [--rates 500,1000,2000] [--seconds 20] [--closedSeconds 10]
//                           [--portals 4] [--role web|all] [--concurrency 256] [--logLevel info]
//
// Phases: warm-up (500/s, 3 s); open loop at each of --rates for --seconds (latency counted from
// each request's scheduled time, so a stall is not hidden); the ceiling: closed loop with
// --concurrency requests in flight for --closedSeconds, against the service and then against a
// bare Express route doing one insert per request (bare-express.ts), reported as a ratio.
// Then checks the inbox holds every accepted event once.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { generateLoad, ROOT, Service, setupPortals, startEnv, type BenchEnv } from './support.ts';
import { flags, postgresCpuSeconds, report } from './cli.ts';
import type { LoadConfig, LoadResult } from './load-generator.ts';

export const INGEST_DEFAULTS = {
  rates: '500,1000,2000',
  seconds: 20,
  closedSeconds: 10,
  portals: 4,
  role: 'web',
  concurrency: 256,
  logLevel: 'info',
};
export type IngestOptions = typeof INGEST_DEFAULTS;

const ok = (r: LoadResult) => r.statuses['200'] ?? 0;

/** The bare Express ceiling, closed loop, same bodies and generator. */
async function bareCeiling(env: BenchEnv, load: Omit<LoadConfig, 'baseUrl' | 'runId'>): Promise<LoadResult> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'backend/bench/bare-express.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: env.vars.DATABASE_URL, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        const m = /listening (\d+)/.exec(chunk.toString());
        if (m) resolve(m[1]!);
      });
      proc.once('exit', (code) => reject(new Error(`bare Express exited with ${code}`)));
    });
    return await generateLoad({ ...load, baseUrl: `http://127.0.0.1:${port}`, runId: 'bare' });
  } finally {
    proc.kill('SIGTERM');
  }
}

export async function benchIngest(o: IngestOptions): Promise<Record<string, unknown>> {
  const env = await startEnv();
  let service: Service | undefined;
  try {
    const setup = await Service.start(env, 'all', 'setup');
    const portals = await setupPortals(env, o.portals);
    await setup.stop();
    service = await Service.start(env, o.role as 'web' | 'all', `ingest-${o.role}`, {
      LOG_LEVEL: o.logLevel,
    });
    const rssAtStart = service.rssMb;
    const base = { targets: portals.map((p) => p.target), concurrency: o.concurrency };
    const load = (runId: string, rate: number, seconds: number, maxRequests: number) =>
      generateLoad({ ...base, baseUrl: env.url, runId, rate, durationMs: seconds * 1000, maxRequests });
    const results: LoadResult[] = [await load('warm', 500, 3, 1_500)];
    const rows: Record<string, unknown> = {};
    let met = true;
    for (const rate of o.rates.split(',').map(Number)) {
      const cpu0 = service.cpuSeconds;
      const pg0 = postgresCpuSeconds();
      const open = await load(`open${rate}`, rate, o.seconds, rate * o.seconds);
      results.push(open);
      const perWebhook = (s: number) => ((s * 1000) / Math.max(1, open.completed)).toFixed(3);
      const l = open.latencyMs;
      rows[`open loop ${rate}/s: accepted/s, ms p50 / p99 / p99.9`] =
        `${open.achievedRps} (${ok(open)} of ${open.sent} answered 200), ${l.p50} / ${l.p99} / ${l.p999}`;
      rows[`open loop ${rate}/s: CPU ms per webhook service / PostgreSQL / generator`] =
        `${perWebhook(service.cpuSeconds - cpu0)} / ${perWebhook(postgresCpuSeconds() - pg0)} / ${perWebhook(open.cpuMs / 1000)}`;
      if (rate >= 2000) met &&= open.achievedRps >= rate * 0.98 && l.p99 <= 50 && ok(open) === open.sent;
    }
    const closed = await load('closed', 0, o.closedSeconds, 200_000);
    results.push(closed);
    const bare = await bareCeiling(env, {
      ...base,
      rate: 0,
      durationMs: o.closedSeconds * 1000,
      maxRequests: 200_000,
    });
    const ratio = closed.achievedRps / Math.max(1, bare.achievedRps);
    const inbox = await env.handle.db
      .selectFrom('webhook_inbox')
      .select(({ fn }) => [
        fn.countAll<number>().as('rows'),
        sql<number>`count(distinct event_id)`.as('events'),
      ])
      .executeTakeFirstOrThrow();
    const accepted = results.reduce((n, r) => n + ok(r), 0);
    const sent = results.reduce((n, r) => n + r.sent, 0);
    // Requests still in flight when a phase gave up may be stored without their 200 being counted.
    const exactlyOnce =
      Number(inbox.rows) === Number(inbox.events) &&
      Number(inbox.rows) >= accepted &&
      Number(inbox.rows) <= sent;
    if (!exactlyOnce) throw new Error('the inbox does not hold each accepted event exactly once');
    return {
      ...rows,
      [`ceiling (closed loop, ${o.concurrency} in flight): service / bare Express`]: `${closed.achievedRps} / ${bare.achievedRps} req/s (${(ratio * 100).toFixed(0)} %)`,
      'ceiling: service ms p50 / p99': `${closed.latencyMs.p50} / ${closed.latencyMs.p99}`,
      'inbox rows / distinct / 200s sent': `${inbox.rows} / ${inbox.events} / ${accepted}`,
      'service RSS MB (start / max)': `${rssAtStart.toFixed(0)} / ${service.rssMaxMb.toFixed(0)}`,
      'service error log lines': service.countLog(/"level":(50|60)/),
      'ingest targets met (2,000/s p99 ≤ 50 ms, ≥ 67 % of bare, RSS ≤ 200 MB)':
        met && ratio >= 0.67 && service.rssMaxMb <= 200,
    };
  } finally {
    await service?.stop();
    await env.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const o = flags(INGEST_DEFAULTS);
  report(`ingest: ${o.portals} portals, service role ${o.role}`, await benchIngest(o));
}
