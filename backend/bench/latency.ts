// Target 3: webhook received → HubSpot call created, p99 ≤ 2 s at a steady 10 calls/s; and
// target 4 (RSS) for a single `all` process (web and workers).
//
//   npm run bench:latency -- [--seconds 60] [--rate 10] [--contacts 400]
//
// Every 1/rate s a new call starts; each call sends call.started, then call.answered one tick
// later and call.ended two ticks later (3 × rate webhooks/s). Latency of a call = from just before
// its call.ended webhook is sent (the event that makes it loggable) to the moment the HubSpot
// simulator received the batch create that contains it (the simulator stamps each request on
// arrival; same clock, same process). Contacts come from the Dialer contact's external_id or the
// phone cache, warmed first as in bench:calls.
import { Agent } from 'node:http';
import { percentile } from './load-generator.ts';
import { callEventBody, callId, phoneNumber, postSigned, type Target } from './payloads.ts';
import { generateLoad, Service, setupPortals, sleep, startEnv, waitForIdle } from './support.ts';
import { flags, report } from './cli.ts';

const opts = flags({ seconds: 60, rate: 10, contacts: 400 });
const env = await startEnv();
let service: Service | undefined;
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

const post = (target: Target, body: string) => postSigned(env.url, agent, target, body).then(Number);

try {
  service = await Service.start(env, 'all', 'latency-all');
  const [portal] = await setupPortals(env, 1);
  const { portalId, target } = portal!;
  const half = Math.floor(opts.contacts / 2);
  for (let i = 0; i < opts.contacts; i++) {
    const id = env.hubspot.addContact(portalId, {
      firstname: `F${i}`,
      lastname: `L${i}`,
      phone: phoneNumber(i),
    });
    if (i < half) target.template.contactIds.push(id);
  }
  target.template.phones = Array.from({ length: opts.contacts - half }, (_, i) => phoneNumber(half + i));
  await generateLoad({
    baseUrl: env.url,
    targets: [target],
    runId: 'warm',
    rate: 0,
    concurrency: 8,
    durationMs: 60_000,
    maxRequests: opts.contacts * 3,
  });
  await waitForIdle(env, 120_000);
  const rssBefore = service.rssMaxMb;

  const total = opts.seconds * opts.rate;
  const endedSentAt = new Map<string, number>();
  const answerMs: number[] = [];
  const statuses: Record<number, number> = {};
  const sends: Promise<void>[] = [];
  const send = (i: number, step: number) => {
    if (i < 0 || i >= total) return;
    const body = callEventBody('lat', opts.contacts + i, step, target.template, Date.now());
    const t0 = performance.now();
    if (step === 2) endedSentAt.set(callId('lat', opts.contacts + i), Date.now());
    sends.push(
      post(target, body).then((status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        answerMs.push(performance.now() - t0);
      }),
    );
  };
  const windowStart = Date.now();
  const start = performance.now();
  const tickMs = 1000 / opts.rate;
  for (let tick = 0; tick < total + 2; tick++) {
    await sleep(Math.max(0, start + tick * tickMs - performance.now()));
    send(tick, 0);
    send(tick - 1, 1);
    send(tick - 2, 2);
  }
  await Promise.all(sends);
  await waitForIdle(env, 60_000);

  const createdAt = new Map<string, number>();
  for (const r of env.hubspot.requestsTo('POST', /\/calls\/batch\/create$/)) {
    if (r.status !== 201 && r.status !== 200) continue;
    const inputs = (r.body as { inputs?: { properties: Record<string, string> }[] }).inputs ?? [];
    for (const input of inputs) {
      const id = input.properties.hs_call_external_id!;
      if (!createdAt.has(id)) createdAt.set(id, r.at);
    }
  }
  const latencies = [...endedSentAt].flatMap(([id, sent]) => {
    const at = createdAt.get(id);
    return at === undefined ? [] : [at - sent];
  });
  const sorted = latencies.sort((a, b) => a - b);
  const answers = answerMs.sort((a, b) => a - b);
  const creates = env.hubspot
    .requestsTo('POST', /\/calls\/batch\/create$/)
    .filter((r) => r.at >= windowStart);
  report(`latency: ${opts.rate} calls/s for ${opts.seconds} s, 1 portal, one 'all' process`, {
    'calls sent / logged': `${total} / ${latencies.length}`,
    'webhook answers': statuses,
    'webhook answer ms p50 / p99 / max': `${percentile(answers, 50).toFixed(1)} / ${percentile(answers, 99).toFixed(1)} / ${answers.at(-1)?.toFixed(1)}`,
    'ended → created ms p50': percentile(sorted, 50),
    'ended → created ms p90': percentile(sorted, 90),
    'ended → created ms p99': percentile(sorted, 99),
    'ended → created ms max': sorted.at(-1),
    'batch creates / calls per create': `${creates.length} / ${(latencies.length / Math.max(1, creates.length)).toFixed(1)}`,
    'RSS MB (after warm-up / max)': `${rssBefore.toFixed(0)} / ${service.rssMaxMb.toFixed(0)}`,
    'p99 ≤ 2000 ms': latencies.length === total && percentile(sorted, 99) <= 2000,
  });
} finally {
  agent.destroy();
  await service?.stop();
  await env.close();
}
