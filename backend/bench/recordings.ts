// Recording-URL requests (issue 19): what HubSpot's player asks when users press play, answered by
// one `all` process on the embedded database, Dialer.io answering in --dialerMs.
//
//   npm run bench:recordings -- [--calls 200] [--seconds 10] [--concurrency 16] [--dialerMs 100]
//
// Cold: each recorded call asked once (no cached link: every answer waits for Dialer.io, paced at
// 18.5 requests/s per Dialer.io account). Warm: the same calls asked again for --seconds by
// --concurrency clients (links cached in the process, as while a user seeks through a call).
import { Agent, request } from 'node:http';
import { installAndConnect } from '../src/call-logging/test-setup.ts';
import { startTestApp, eventually, type TestApp } from '../test/support/test-app.ts';
import { flags, machine } from './cli.ts';
import { percentile } from './load-generator.ts';

const DEFAULTS = { calls: 200, seconds: 10, concurrency: 16, dialerMs: 100 };

function get(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function seed(app: TestApp, calls: number): Promise<{ urls: string[] }> {
  const { account } = await installAndConnect(app, 570001);
  const { recording_account_key: key } = await app.runtime.ctx.db
    .selectFrom('dialer_connections')
    .select('recording_account_key')
    .executeTakeFirstOrThrow();
  const ids = Array.from({ length: calls }, (_, i) => `bench-rec-${i}`);
  for (const id of ids) {
    const events = app.dialer.callLifecycle(account.id, { id }, { answered: true });
    app.dialer.setRecording(account.id, id, 'ready');
    app.dialer.emitBatch(account.id, [...events, ['call.recording_ready', events.at(-1)![1]]]);
  }
  await eventually(() => app.hubspot.recordingsReady(570001).length === calls, 300_000, 200);
  const query = `appId=424242&externalAccountId=${key}`;
  return { urls: ids.map((id) => `${app.url}/hubspot/recordings/${id}?${query}`) };
}

async function run(agent: Agent, urls: string[], concurrency: number, untilMs: number | null) {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      if (untilMs === null ? next >= urls.length : performance.now() - started > untilMs) return;
      const url = urls[next++ % urls.length]!;
      const t0 = performance.now();
      if ((await get(agent, url)) !== 200) failed++;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    failed,
  };
}

async function main() {
  const o = flags(DEFAULTS);
  const app = await startTestApp({ embedded: true, logLevel: 'warn' });
  try {
    const { urls } = await seed(app, o.calls);
    app.dialer.setLatency(o.dialerMs);
    const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
    const cold = await run(agent, urls, o.concurrency, null);
    const warm = await run(agent, urls, o.concurrency, o.seconds * 1000);
    agent.destroy();
    console.log(`machine: ${machine()}`);
    console.log(
      `Dialer.io answering in ${o.dialerMs} ms, ${o.concurrency} concurrent clients, ${o.calls} calls`,
    );
    console.log(`cold (every answer asks Dialer.io): ${JSON.stringify(cold)}`);
    console.log(`warm (cached links, ${o.seconds} s): ${JSON.stringify(warm)}`);
  } finally {
    await app.stop();
  }
}

await main();
