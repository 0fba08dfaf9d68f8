// Many portals (target: ≥ 1,000 calls/s logged in total, p99 webhook → HubSpot ≤ 5 s, slowest
// portal ≤ 3 × the median, a new install bootstrapped within seconds however busy), with the
// HubSpot simulator answering in --latencyMs (150 ms, ± a third).
//
//   npm run bench:many -- [--portals 1000] [--calls 20] [--steadyRate 200] [--steadySeconds 20]
//                         [--twoWorkers 1] [--latencyMs 150]
//
// 1. Setup (simulator answering at once): `--portals` portals installed and connected, one HubSpot
//    contact each; even calls carry it as the Dialer contact's external_id, odd calls dial its number.
// 2. Burst: a web process stores `--calls` calls per portal (3 events each) with no worker running,
//    so they have all arrived together; then `--workers` worker processes start and we time the
//    drain: calls logged/s in total, each portal's drain time, each call's time to HubSpot counted
//    from the workers' start. One second into the drain a new portal is installed: time to bootstrapped.
//    With --twoWorkers 1 the burst runs again (after step 3) with two worker processes.
// 3. Steady mixed load (`--steadySeconds` > 0): `--steadyRate` calls/s spread over all portals, a
//    tenth of them five times busier than the rest; latency = HubSpot create − the call.ended
//    webhook's arrival in the inbox.
import { sql } from 'kysely';
import { fileURLToPath } from 'node:url';
import { percentile } from './load-generator.ts';
import { phoneNumber } from './payloads.ts';
import { flags, report } from './cli.ts';
import {
  generateLoad,
  Service,
  setupPortals,
  sleep,
  startEnv,
  type BenchEnv,
  type Portal,
} from './support.ts';
import { installPortal, isBootstrapped } from '../test/support/many-portals.ts';

export const MANY_PORTALS_DEFAULTS = {
  portals: 1000,
  calls: 20,
  steadyRate: 200,
  steadySeconds: 20,
  /** 1: also the burst again with two worker processes on the same database. */
  twoWorkers: 1,
  latencyMs: 150,
};
export type ManyPortalsOptions = typeof MANY_PORTALS_DEFAULTS;

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const seconds = (ms: number) => round(ms / 1000, 2);

/** HubSpot call creation time (simulator clock) of every call, by Dialer call id, and per portal. */
function createdCalls(env: BenchEnv, portals: Portal[], runId: string) {
  const prefix = `call_${runId}_`;
  const at = new Map<string, number>();
  const perPortal = new Map<number, number[]>();
  let duplicates = 0;
  for (const { portalId } of portals) {
    const times: number[] = [];
    for (const call of env.hubspot.portal(portalId).calls) {
      const id = call.properties.hs_call_external_id!;
      if (!id.startsWith(prefix)) continue;
      if (at.has(id)) duplicates++;
      at.set(id, call.createdAt);
      times.push(call.createdAt);
    }
    perPortal.set(portalId, times);
  }
  return { at, perPortal, duplicates };
}

function apiRequestsSince(env: BenchEnv, since: number) {
  return env.hubspot.requests.filter((r) => r.at >= since && !r.path.startsWith('/oauth/')).length;
}

const totalCalls = (env: BenchEnv, portals: Portal[]) =>
  portals.reduce((n, p) => n + env.hubspot.portal(p.portalId).objects.calls.size, 0);

/** Waits until the portals hold `expected` more HubSpot calls than `baseline`. */
async function waitForCalls(
  env: BenchEnv,
  portals: Portal[],
  baseline: number,
  expected: number,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (totalCalls(env, portals) < baseline + expected && Date.now() < deadline) await sleep(100);
}

interface BurstRun {
  runId: string;
  workers: number;
  web: Service;
  services: Service[];
}

async function burst(env: BenchEnv, portals: Portal[], o: ManyPortalsOptions, run: BurstRun) {
  const { runId, web, services } = run;
  const expected = o.portals * o.calls;
  const ingest = await generateLoad({
    baseUrl: env.url,
    targets: portals.map((p) => p.target),
    runId,
    rate: 0,
    concurrency: 64,
    durationMs: 600_000,
    maxRequests: expected * 3,
  });
  if ((ingest.statuses['200'] ?? 0) !== expected * 3)
    throw new Error(`ingest failed: ${JSON.stringify(ingest)}`);
  const count429 = env.hubspot.count429;
  const baseline = totalCalls(env, portals);
  const workers = await Promise.all(
    Array.from({ length: run.workers }, (_, i) =>
      Service.start(env, 'worker', `many-${runId}-worker-${i + 1}`),
    ),
  );
  services.push(...workers);
  const t0 = Date.now();
  // A new install in the middle of the drain.
  const newcomer = (async () => {
    await sleep(1000);
    const portalId = 900_000 + o.portals + run.workers;
    env.hubspot.createPortal({ portalId });
    const started = Date.now();
    const installationId = await installPortal(
      { url: env.url, hubspot: env.hubspot, db: env.handle.db },
      portalId,
    );
    while (!(await isBootstrapped(env.handle.db, installationId)) && Date.now() - started < 120_000)
      await sleep(50);
    return Date.now() - started;
  })();
  await waitForCalls(env, portals, baseline, expected, 600_000);
  const { at, perPortal, duplicates } = createdCalls(env, portals, runId);
  const logged = at.size;
  const times = [...at.values()].map((t) => t - t0).sort((a, b) => a - b);
  const drains = [...perPortal.values()].map((ts) => Math.max(...ts) - t0).sort((a, b) => a - b);
  const median = percentile(drains, 50);
  const label = `burst, ${run.workers} worker${run.workers > 1 ? 's' : ''}`;
  const rows = {
    [`burst: ${o.portals} portals × ${o.calls} calls, ${run.workers} worker(s)`]: `${logged} of ${expected} logged, ${duplicates} duplicated`,
    'burst: webhooks stored (req/s)': ingest.achievedRps,
    'burst: calls logged per second': round(logged / ((times.at(-1) ?? 1) / 1000)),
    'burst: workers start → HubSpot s p50 / p99 / max': `${seconds(percentile(times, 50))} / ${seconds(percentile(times, 99))} / ${seconds(times.at(-1) ?? NaN)}`,
    'burst: portal drain s median / slowest (ratio)': `${seconds(median)} / ${seconds(drains.at(-1)!)} (${round(drains.at(-1)! / median, 2)})`,
    'burst: HubSpot requests per call': round(apiRequestsSince(env, t0) / Math.max(1, logged), 4),
    'burst: 429 answers': env.hubspot.count429 - count429,
    'burst: new install → bootstrapped (s)': seconds(await newcomer),
    'burst: RSS MB web / workers': `${round(web.rssMaxMb)} / ${workers.map((w) => round(w.rssMaxMb)).join(', ')}`,
    'burst: error log lines': workers.reduce((n, w) => n + w.countLog(/"level":(50|60)/), 0),
  };
  const renamed = Object.fromEntries(
    Object.entries(rows).map(([k, v]) => [k.replace(/^burst:/, `${label}:`), v]),
  );
  return { rows: renamed, workers };
}

async function steady(env: BenchEnv, portals: Portal[], o: ManyPortalsOptions) {
  // Mixed: a tenth of the portals appear five times in the target list.
  const busy = portals.slice(0, Math.ceil(portals.length / 10));
  const targets = [...portals, ...busy, ...busy, ...busy, ...busy].map((p) => p.target);
  const since = Date.now();
  const count429 = env.hubspot.count429;
  const baseline = totalCalls(env, portals);
  const sent = await generateLoad({
    baseUrl: env.url,
    targets,
    runId: 'steady',
    rate: o.steadyRate * 3,
    concurrency: 256,
    durationMs: o.steadySeconds * 1000,
    maxRequests: o.steadyRate * 3 * o.steadySeconds,
  });
  await waitForCalls(env, portals, baseline, sent.calls, 120_000);
  const logged = createdCalls(env, portals, 'steady').at.size;
  const arrived = await sql<{ call_id: string; at: Date }>`
    select call_id, received_at as at from webhook_inbox where event_type = 'call.ended' and call_id like 'call_steady_%'
  `.execute(env.handle.db);
  const { at } = createdCalls(env, portals, 'steady');
  const latencies = arrived.rows
    .flatMap((r) => (at.has(r.call_id) ? [at.get(r.call_id)! - new Date(r.at).getTime()] : []))
    .sort((a, b) => a - b);
  return {
    [`steady: ${o.steadyRate} calls/s over ${o.portals} portals (mixed), ${o.steadySeconds} s`]: `${logged} of ${sent.calls} logged, webhooks ${sent.statuses['200'] ?? 0} of ${sent.sent} answered 200, p99 ${sent.latencyMs.p99} ms`,
    'steady: call.ended → HubSpot ms p50 / p99 / max': `${round(percentile(latencies, 50))} / ${round(percentile(latencies, 99))} / ${round(latencies.at(-1) ?? NaN)}`,
    'steady: HubSpot requests per call': round(apiRequestsSince(env, since) / Math.max(1, logged), 4),
    'steady: 429 answers': env.hubspot.count429 - count429,
  };
}

export async function benchManyPortals(o: ManyPortalsOptions): Promise<Record<string, unknown>> {
  const env = await startEnv();
  const services: Service[] = [];
  try {
    const setup = await Service.start(env, 'all', 'many-setup');
    services.push(setup);
    const portals = await setupPortals(env, o.portals, 800_001, 16);
    portals.forEach((p, i) => {
      const phone = phoneNumber(i);
      p.target.template.contactIds.push(
        env.hubspot.addContact(p.portalId, { firstname: `F${i}`, lastname: 'L', phone }),
      );
      p.target.template.phones.push(phone);
    });
    await setup.stop();
    env.hubspot.setLatency(o.latencyMs, Math.round(o.latencyMs / 3));
    const web = await Service.start(env, 'web', 'many-web');
    services.push(web);
    const first = await burst(env, portals, o, { runId: 'burst1', workers: 1, web, services });
    let rows = first.rows;
    if (o.steadySeconds > 0) rows = { ...rows, ...(await steady(env, portals, o)) };
    if (o.twoWorkers) {
      for (const w of first.workers) await w.stop();
      const second = await burst(env, portals, o, { runId: 'burst2', workers: 2, web, services });
      rows = { ...rows, ...second.rows };
    }
    return rows;
  } finally {
    for (const s of services) await s.stop().catch(() => undefined);
    await env.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const o = flags(MANY_PORTALS_DEFAULTS);
  report('many portals', await benchManyPortals(o));
}
