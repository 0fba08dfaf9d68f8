// Target 1: ≥ 2,000 signed Dialer.io webhooks/s accepted with p99 ≤ 50 ms (verified, stored in
// webhook_inbox, calls.sync enqueued, answered), and target 4 (RSS ≤ 300 MB) for the web process.
//
//   npm run bench:ingest -- [--rate 2000] [--seconds 30] [--closedSeconds 15] [--portals 4] [--role web|all]
//                           [--concurrency 256]
//
// Phases: warm-up (500/s, 5 s), open loop at --rate for --seconds (latency counted from each
// request's scheduled time, so a stall is not hidden), then closed loop with --concurrency
// requests in flight for --closedSeconds (the ceiling). Then checks the inbox holds every accepted event once.
import { sql } from 'kysely';
import { generateLoad, Service, setupPortals, startEnv } from './support.ts';
import { flags, postgresCpuSeconds, report } from './cli.ts';

const opts = flags({
  rate: 2000,
  seconds: 30,
  closedSeconds: 15,
  portals: 4,
  role: 'web',
  concurrency: 256,
  logLevel: 'info',
});
const env = await startEnv();
let service: Service | undefined;
try {
  const setup = await Service.start(env, 'all', 'setup');
  const portals = await setupPortals(env, opts.portals);
  await setup.stop();

  service = await Service.start(env, opts.role as 'web' | 'all', `ingest-${opts.role}`, {
    LOG_LEVEL: opts.logLevel,
  });
  const rssAtStart = service.rssMb;
  const base = { baseUrl: env.url, targets: portals.map((p) => p.target) };
  const warm = await generateLoad({
    ...base,
    runId: 'warm',
    rate: 500,
    concurrency: opts.concurrency,
    durationMs: 5_000,
    maxRequests: 2_500,
  });
  const cpu0 = service.cpuSeconds;
  const pg0 = postgresCpuSeconds();
  const open = await generateLoad({
    ...base,
    runId: 'open',
    rate: opts.rate,
    concurrency: opts.concurrency,
    durationMs: opts.seconds * 1000,
    maxRequests: opts.rate * opts.seconds,
  });
  const cpu1 = service.cpuSeconds;
  const pg1 = postgresCpuSeconds();
  const closed = await generateLoad({
    ...base,
    runId: 'closed',
    rate: 0,
    concurrency: opts.concurrency,
    durationMs: opts.closedSeconds * 1000,
    maxRequests: 200_000,
  });

  const cpu2 = service.cpuSeconds;
  const pg2 = postgresCpuSeconds();
  const ok = (r: typeof open) => r.statuses['200'] ?? 0;
  const cpuMs = (seconds: number, r: typeof open) => ((seconds * 1000) / Math.max(1, r.completed)).toFixed(3);
  const accepted = ok(warm) + ok(open) + ok(closed);
  const inbox = await env.handle.db
    .selectFrom('webhook_inbox')
    .select(({ fn }) => [
      fn.countAll<number>().as('rows'),
      sql<number>`count(distinct event_id)`.as('events'),
    ])
    .executeTakeFirstOrThrow();
  const jobs = await sql<{ state: string; n: number }>`
    select state, count(*)::int as n from pgboss.job where name = 'calls.sync' group by state
  `.execute(env.handle.db);
  report(`ingest: ${opts.portals} portals, service role ${opts.role}`, {
    'open loop target (req/s)': opts.rate,
    'open loop achieved (req/s)': open.achievedRps,
    'open loop statuses': open.statuses,
    'open loop latency ms': open.latencyMs,
    'closed loop concurrency': opts.concurrency,
    'closed loop throughput (req/s)': closed.achievedRps,
    'closed loop statuses': closed.statuses,
    'closed loop latency ms': closed.latencyMs,
    'CPU ms per webhook, open loop (service / PostgreSQL / generator)': `${cpuMs(cpu1 - cpu0, open)} / ${cpuMs(pg1 - pg0, open)} / ${cpuMs(open.cpuMs / 1000, open)}`,
    'CPU ms per webhook, closed loop (service / PostgreSQL / generator)': `${cpuMs(cpu2 - cpu1, closed)} / ${cpuMs(pg2 - pg1, closed)} / ${cpuMs(closed.cpuMs / 1000, closed)}`,
    'inbox rows / distinct / 200s sent': `${inbox.rows} / ${inbox.events} / ${accepted}`,
    'calls.sync jobs by state': Object.fromEntries(jobs.rows.map((r) => [r.state, r.n])),
    'service RSS MB (start / max)': `${rssAtStart.toFixed(0)} / ${service.rssMaxMb.toFixed(0)}`,
    'service error log lines': service.countLog(/"level":(50|60)/),
    'open loop p99 ≤ 50 ms at ≥ 2000/s':
      open.achievedRps >= 2000 && open.latencyMs.p99 <= 50 && !open.statuses.error,
  });
  // Requests still in flight when a phase gave up may be stored without their 200 being counted.
  const sent = warm.sent + open.sent + closed.sent;
  if (
    Number(inbox.rows) !== Number(inbox.events) ||
    Number(inbox.rows) < accepted ||
    Number(inbox.rows) > sent
  )
    throw new Error('the inbox does not hold each accepted event exactly once');
} finally {
  await service?.stop();
  await env.close();
}
