// Quiet portal (target: webhook → HubSpot p99 ≤ 1 s at ≤ 0.2 HubSpot requests per call at
// 10 calls/s), for one portal and one `all` process (web and workers), HubSpot answering in
// --latencyMs (± a third).
//
//   npm run bench:latency -- [--rates 1,10] [--seconds 30] [--contacts 400] [--latencyMs 150]
//
// For each rate, every 1/rate s a new call starts; each call sends call.started, then
// call.answered one tick later and call.ended two ticks later (3 × rate webhooks/s). Latency of a
// call = from just before its call.ended webhook is sent (the event that makes it loggable) to the
// moment the HubSpot simulator created the call (same clock, same process). Contacts come from the
// Dialer contact's external_id or the phone cache, warmed first as in bench:calls.
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { percentile } from './load-generator.ts';
import { callEventBody, callId, postSigned, type Target } from './payloads.ts';
import {
  Service,
  seedWarmContacts,
  setupPortals,
  sleep,
  startEnv,
  waitForIdle,
  type BenchEnv,
} from './support.ts';
import { flags, report } from './cli.ts';

export const QUIET_DEFAULTS = { rates: '1,10', seconds: 30, contacts: 400, latencyMs: 150 };
export type QuietOptions = typeof QUIET_DEFAULTS;

/** Sends `rate` calls/s for `seconds` to one portal; returns the rows of that rate. */
async function quietRun(env: BenchEnv, portalId: number, target: Target, rate: number, o: QuietOptions) {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const total = Math.max(1, Math.round(o.seconds * rate));
  const first = o.contacts + 1_000_000 * rate;
  const endedSentAt = new Map<string, number>();
  const answerMs: number[] = [];
  const sends: Promise<void>[] = [];
  const send = (i: number, step: number) => {
    if (i < 0 || i >= total) return;
    const body = callEventBody('quiet', first + i, step, target.template, Date.now());
    const t0 = performance.now();
    if (step === 2) endedSentAt.set(callId('quiet', first + i), Date.now());
    sends.push(
      postSigned(env.url, agent, target, body).then(() => void answerMs.push(performance.now() - t0)),
    );
  };
  const windowStart = Date.now();
  const start = performance.now();
  const tickMs = 1000 / rate;
  for (let tick = 0; tick < total + 2; tick++) {
    await sleep(Math.max(0, start + tick * tickMs - performance.now()));
    send(tick, 0);
    send(tick - 1, 1);
    send(tick - 2, 2);
  }
  await Promise.all(sends);
  agent.destroy();
  await waitForIdle(env, 60_000);
  const createdAt = new Map(
    env.hubspot.portal(portalId).calls.map((c) => [c.properties.hs_call_external_id!, c.createdAt]),
  );
  const latencies = [...endedSentAt]
    .flatMap(([id, sent]) => (createdAt.has(id) ? [createdAt.get(id)! - sent] : []))
    .sort((a, b) => a - b);
  const requests = env.hubspot.requests.filter(
    (r) => r.portalId === portalId && r.at >= windowStart && !r.path.startsWith('/oauth/'),
  ).length;
  const perCall = requests / Math.max(1, latencies.length);
  const p99 = percentile(latencies, 99);
  const answers = answerMs.sort((a, b) => a - b);
  return {
    [`${rate} call(s)/s: calls sent / logged`]: `${total} / ${latencies.length}`,
    [`${rate} call(s)/s: webhook answer ms p99`]: percentile(answers, 99).toFixed(1),
    [`${rate} call(s)/s: call.ended → HubSpot ms p50 / p99 / max`]: `${percentile(latencies, 50)} / ${p99} / ${latencies.at(-1)}`,
    [`${rate} call(s)/s: HubSpot requests per call`]: perCall.toFixed(3),
    [`${rate} call(s)/s: p99 ≤ 1 s${rate >= 10 ? ', ≤ 0.2 requests/call' : ''}`]:
      latencies.length === total && p99 <= 1000 && (rate < 10 || perCall <= 0.2),
  };
}

export async function benchQuiet(o: QuietOptions): Promise<Record<string, unknown>> {
  const env = await startEnv();
  let service: Service | undefined;
  try {
    service = await Service.start(env, 'all', 'quiet-all');
    const [portal] = await setupPortals(env, 1);
    const { portalId, target } = portal!;
    await seedWarmContacts(env, portal!, o.contacts);
    env.hubspot.setLatency(o.latencyMs, Math.round(o.latencyMs / 3));
    let rows: Record<string, unknown> = {};
    for (const rate of o.rates.split(',').map(Number))
      rows = { ...rows, ...(await quietRun(env, portalId, target, rate, o)) };
    return { ...rows, 'RSS MB (max)': service.rssMaxMb.toFixed(0) };
  } finally {
    await service?.stop();
    await env.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const o = flags(QUIET_DEFAULTS);
  report(`quiet portal, HubSpot answering in ${o.latencyMs} ms`, await benchQuiet(o));
}
