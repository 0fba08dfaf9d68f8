// One portal (targets: backlog drain ≥ 950 calls/s with 0 × 429; live ≥ 300 calls/s with ≤ 0.035
// HubSpot requests per call, i.e. requests the HubSpot simulator received ÷ calls logged), under
// HubSpot's 110 requests / 10 s; RSS of the web and worker processes.
//
//   npm run bench:calls -- [--calls 12000] [--contacts 2000] [--liveRate 400] [--liveSeconds 30]
//
// 1. Setup: one portal, `--contacts` HubSpot contacts. Half are the Dialer contacts' external_id of
//    the even calls, the other half are the numbers the odd calls dial.
// 2. Warm-up (not measured): one call per contact and per number, so the contact-name cache and
//    the phone cache hold them (what a portal looks like after its first day).
// 3. A web-only process takes `--calls` calls (3 events each) as fast as it can; no worker runs.
// 4. A worker-only process starts; we count calls arriving in the HubSpot simulator until all are
//    there. Throughput = calls ÷ (last create − worker ready).
// 5. Live: a web process joins the worker and takes `--liveRate` new calls/s (3 webhooks each,
//    open loop) for `--liveSeconds`; we measure calls logged per second over the window and the
//    lag between the last webhook and its HubSpot call.
import {
  generateLoad,
  Service,
  seedWarmContacts,
  setupPortals,
  sleep,
  startEnv,
  waitForIdle,
  type BenchEnv,
} from './support.ts';
import { flags, report } from './cli.ts';
import { fileURLToPath } from 'node:url';

export const CALLS_DEFAULTS = { calls: 12_000, contacts: 2_000, liveRate: 400, liveSeconds: 30 };
export type CallsOptions = typeof CALLS_DEFAULTS;

const apiRequests = (e: BenchEnv, portalId: number) =>
  e.hubspot.requests.filter((r) => r.portalId === portalId && !r.path.startsWith('/oauth/'));

export async function benchCalls(opts: CallsOptions): Promise<Record<string, unknown>> {
  const env = await startEnv();
  const services: Service[] = [];
  const hubspotCallCount = (portalId: number) => env.hubspot.portal(portalId).objects.calls.size;
  try {
    const setup = await Service.start(env, 'all', 'calls-setup');
    services.push(setup);
    const [portal] = await setupPortals(env, 1);
    const { portalId, target } = portal!;
    // 2. Warm-up: every contact id and every number once.
    const before = apiRequests(env, portalId).length;
    const warm = await seedWarmContacts(env, portal!, opts.contacts);
    const warmRequests = apiRequests(env, portalId).length - before;
    await setup.stop();

    // 3. Backlog: the web process stores `--calls` calls; no worker.
    const web = await Service.start(env, 'web', 'calls-web');
    services.push(web);
    const ingest = await generateLoad({
      baseUrl: env.url,
      targets: [target],
      runId: 'run',
      rate: 0,
      concurrency: 32,
      durationMs: 300_000,
      maxRequests: opts.calls * 3,
      firstCall: opts.contacts,
    });
    await web.stop();
    const calls = ingest.calls;
    if ((ingest.statuses['200'] ?? 0) !== calls * 3)
      throw new Error(`ingest failed: ${JSON.stringify(ingest)}`);

    // 4. Drain with a worker process.
    const base = hubspotCallCount(portalId);
    const requestsBefore = apiRequests(env, portalId).length;
    const count429 = env.hubspot.count429;
    const worker = await Service.start(env, 'worker', 'calls-worker');
    services.push(worker);
    const started = Date.now();
    const timeline: number[] = [];
    let firstAt = 0;
    let lastAt = 0;
    let previous = 0;
    for (let tick = 0; tick < 6_000 && previous < calls; tick++) {
      await sleep(100);
      const done = hubspotCallCount(portalId) - base;
      if (done > 0 && !firstAt) firstAt = Date.now();
      if (done > previous) lastAt = Date.now();
      previous = done;
      if (tick % 10 === 9) timeline.push(done);
    }
    const logged = hubspotCallCount(portalId) - base;
    await waitForIdle(env, 60_000);
    const requests = apiRequests(env, portalId).slice(requestsBefore);
    const byOperation: Record<string, number> = {};
    for (const r of requests) {
      const key = `${r.method} ${r.path.replace(/\/\d+/g, '/:id')}`;
      byOperation[key] = (byOperation[key] ?? 0) + 1;
    }
    // 5. Live: webhooks in and calls out at the same time.
    const live = await Service.start(env, 'web', 'calls-web-live');
    services.push(live);
    const liveBase = hubspotCallCount(portalId);
    const liveRequests = apiRequests(env, portalId).length;
    const liveStart = Date.now();
    const sent = await generateLoad({
      baseUrl: env.url,
      targets: [target],
      runId: 'live',
      rate: opts.liveRate * 3,
      concurrency: 128,
      durationMs: opts.liveSeconds * 1000,
      maxRequests: opts.liveRate * 3 * opts.liveSeconds,
      firstCall: opts.contacts + calls,
    });
    const sentAt = Date.now();
    for (let tick = 0; tick < 600 && hubspotCallCount(portalId) - liveBase < sent.calls; tick++)
      await sleep(100);
    const liveDoneAt = Date.now();
    const liveLogged = hubspotCallCount(portalId) - liveBase;
    const liveRate = liveLogged / ((liveDoneAt - liveStart) / 1000);
    const liveReqs = apiRequests(env, portalId).length - liveRequests;

    const perSecond = timeline.map((n, i) => n - (timeline[i - 1] ?? 0));
    const throughput = logged / ((lastAt - started) / 1000);
    return {
      'warm-up calls / HubSpot requests': `${warm.calls} / ${warmRequests}`,
      'backlog ingest (req/s)': ingest.achievedRps,
      [`drain: ${calls} calls backlog, calls logged`]: `${logged} of ${calls}`,
      'worker ready → first create (s)': ((firstAt - started) / 1000).toFixed(2),
      'worker ready → last create (s)': ((lastAt - started) / 1000).toFixed(2),
      'calls logged per second': throughput.toFixed(0),
      'calls per second, each second': perSecond.join(' '),
      'HubSpot requests (all)': requests.length,
      'HubSpot requests by operation': byOperation,
      'HubSpot requests per call': (requests.length / logged).toFixed(4),
      '429 answers during the drain': env.hubspot.count429 - count429,
      [`live: ${opts.liveRate} calls/s offered, webhooks answered`]: `${sent.statuses['200'] ?? 0} of ${sent.sent} at ${sent.achievedRps}/s, p99 ${sent.latencyMs.p99} ms`,
      'live: calls logged / per second': `${liveLogged} of ${sent.calls} / ${liveRate.toFixed(0)}`,
      'live: last webhook → all logged (s)': ((liveDoneAt - sentAt) / 1000).toFixed(2),
      'live: HubSpot requests per call': (liveReqs / Math.max(1, liveLogged)).toFixed(4),
      'worker RSS MB (max)': worker.rssMaxMb.toFixed(0),
      'web RSS MB (max, backlog / live)': `${web.rssMaxMb.toFixed(0)} / ${live.rssMaxMb.toFixed(0)}`,
      'worker error log lines': worker.countLog(/"level":(50|60)/),
      'targets met (drain ≥ 950/s and 0 × 429; live ≥ 300/s, ≤ 0.035 req/call)':
        throughput >= 950 &&
        env.hubspot.count429 - count429 === 0 &&
        throughput >= 300 &&
        requests.length / logged <= 0.035 &&
        liveRate >= 300 &&
        liveReqs / liveLogged <= 0.035,
    };
  } finally {
    for (const s of services) await s.stop().catch(() => undefined);
    await env.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const o = flags(CALLS_DEFAULTS);
  report(`one portal: ${o.calls} calls backlog, then ${o.liveRate} calls/s live`, await benchCalls(o));
}
