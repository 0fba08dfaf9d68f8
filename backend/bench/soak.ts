// Target 5: zero lost or duplicated calls under redelivery, disorder, 429s, 5xx and a killed
// process. Web and worker run as separate processes (as deployed).
//
//   npm run bench:soak -- [--portals 2] [--calls 1500] [--kills 1] [--webKills 1]
//   npm run bench:soak -- --contact-sync [--runs 10000]   (the contact-sync model soak)
//
// - The Dialer.io simulator delivers every call's events shuffled and each twice (its own signed
//   deliveries, retried on failure), answered / dispositioned / missed calls mixed.
// - Every 1.5 s the HubSpot simulator is told to fail the next requests (failNext): 429 and 503 on
//   batch creates, a 502 *after* creating (a lost answer), 500 on batch updates and reads, 429 on search.
// - `--kills` times: the worker is killed with SIGKILL while a batch create is in flight (the
//   simulator holds answers 500 ms so the kill lands between HubSpot creating and us storing
//   the answer), then restarted. `--webKills` times (from 3 s in, every 6 s) the web process is
//   killed and restarted while deliveries run, so Dialer.io redelivers what it was sending.
// - At the end every Dialer.io call must have exactly one HubSpot call, with its final fields.
import { sql } from 'kysely';

// `--contact-sync`: the contact-sync model-based test at soak size instead (bench/sync-model-soak.ts).
if (process.argv.includes('--contact-sync')) {
  await import('./sync-model-soak.ts');
  process.exit(process.exitCode ?? 0);
}
import { phoneNumber } from './payloads.ts';
import { Service, setupPortals, sleep, startEnv, waitForIdle } from './support.ts';
import { flags, report } from './cli.ts';
import type { FaultSpec } from '../test/simulators/hubspot/index.ts';

const opts = flags({ portals: 2, calls: 1500, kills: 1, webKills: 1 });
const env = await startEnv({ vars: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '1000' } });
let web: Service | undefined;
let worker: Service | undefined;
const CREATE = '/crm/objects/2026-03/calls/batch/create';
const FAULTS: [number, FaultSpec][] = [
  [3, { status: 429, pathPrefix: CREATE }],
  [2, { status: 503, pathPrefix: CREATE }],
  [1, { status: 502, pathPrefix: CREATE, afterHandling: true }],
  [2, { status: 500, pathPrefix: '/crm/objects/2026-03/calls/batch/update' }],
  [2, { status: 500, pathPrefix: '/crm/objects/2026-03/contacts/batch/read' }],
  [2, { status: 429, pathPrefix: '/crm/objects/2026-03/contacts/search' }],
  [1, { status: 0, pathPrefix: CREATE }],
];

try {
  const setup = await Service.start(env, 'all', 'soak-setup');
  const portals = await setupPortals(env, opts.portals);
  await setup.stop();
  web = await Service.start(env, 'web', 'soak-web');
  worker = await Service.start(env, 'worker', 'soak-worker');
  const started = Date.now();

  // Expected final state per call id.
  const expected = new Map<string, { portalId: number; status: string; notes: string | null }>();
  for (const [p, portal] of portals.entries()) {
    const contacts = Array.from({ length: 50 }, (_, i) =>
      env.hubspot.addContact(portal.portalId, { firstname: `S${i}`, phone: phoneNumber(p * 1000 + i) }),
    );
    const account = env.dialer.account(portal.accountId);
    const events = [];
    for (let i = 0; i < opts.calls; i++) {
      const id = `soak_${p}_${i}`;
      const answered = i % 4 !== 3;
      const disposition = answered && i % 3 === 0 ? account.dispositions[0]!.id : undefined;
      const notes = disposition ? `Notes for ${id}` : null;
      const contact = i % 2 === 0 ? { id: `dc_${i}`, external_id: contacts[i % 50]! } : null;
      events.push(
        ...env.dialer.callLifecycle(
          portal.accountId,
          { id, to_number: i % 2 ? phoneNumber(p * 1000 + (i % 60)) : phoneNumber(900_000 + i), contact },
          { answered, disposition, notes: notes ?? undefined },
        ),
      );
      expected.set(id, { portalId: portal.portalId, status: answered ? 'COMPLETED' : 'NO_ANSWER', notes });
    }
    env.dialer.emitBatch(portal.accountId, events, { shuffle: true, duplicate: true });
  }
  const total = expected.size;
  const logged = () => portals.reduce((n, p) => n + env.hubspot.portal(p.portalId).objects.calls.size, 0);

  // Faults, kills and restarts while the deliveries run.
  let kills = 0;
  let webKills = 0;
  let lastKillAt = 0;
  const rss = { web: 0, worker: 0 };
  for (let round = 0; round < 400 && logged() < total; round++) {
    // One kind of fault pending at a time (unused ones do not pile up while a portal waits).
    const [n, fault] = FAULTS[round % FAULTS.length]!;
    env.hubspot.clearFaults();
    env.hubspot.failNext(n, fault);
    if (kills < opts.kills && logged() > total * (0.3 + 0.3 * kills)) {
      env.hubspot.setLatency(500);
      const seen = env.hubspot.requests.length;
      for (let i = 0; i < 200; i++) {
        const inFlight = env.hubspot.requests
          .slice(seen)
          .some((r) => r.path === CREATE && r.status === 0 && r.method === 'POST');
        if (inFlight) break;
        await sleep(25);
      }
      rss.worker = Math.max(rss.worker, worker.rssMaxMb);
      await worker.kill9();
      env.hubspot.setLatency(0);
      kills++;
      lastKillAt = Date.now();
      await sleep(1000);
      worker = await Service.start(env, 'worker', `soak-worker-${kills}`);
    }
    // The web process dies while Dialer.io is still delivering (from 3 s in, every 6 s).
    if (webKills < opts.webKills && round >= 2 + 4 * webKills) {
      rss.web = Math.max(rss.web, web.rssMaxMb);
      await web.kill9();
      webKills++;
      await sleep(1000);
      web = await Service.start(env, 'web', `soak-web-${webKills}`);
    }
    await sleep(1500);
  }
  env.hubspot.clearFaults();
  await env.dialer.waitForDeliveries(300_000);
  await waitForIdle(env, 480_000);
  const doneAt = Date.now();

  // Verification: exactly one HubSpot call per Dialer.io call, with the final fields.
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const p of portals)
    for (const call of env.hubspot.portal(p.portalId).objects.calls.values()) {
      const id = call.properties.hs_call_external_id ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
      const want = expected.get(id);
      if (!want) problems.push(`unexpected HubSpot call ${call.id} (${id})`);
      else if (call.properties.hs_call_status !== want.status)
        problems.push(`${id}: status ${call.properties.hs_call_status}, expected ${want.status}`);
      else if (want.notes && !call.properties.hs_call_body?.includes(want.notes))
        problems.push(`${id}: notes missing from the body`);
    }
  const missing = [...expected.keys()].filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1);
  const states = await sql<{ sync_state: string; n: number }>`
    select sync_state, count(*)::int as n from calls group by sync_state
  `.execute(env.handle.db);
  const attempts = portals.flatMap((p) => env.dialer.account(p.accountId).deliveries);
  const deliveries = attempts.length;
  const failedDeliveries = attempts.filter((a) => !a.status || a.status >= 300).length;
  report(`soak: ${opts.portals} portals × ${opts.calls} calls, shuffled + duplicated, faults, kill -9`, {
    'Dialer.io calls': total,
    'webhook delivery attempts (incl. retries)': `${deliveries} (${failedDeliveries} failed, retried)`,
    'HubSpot 429 answers (injected + limit)': env.hubspot.count429,
    'HubSpot 5xx answers / dropped connections': `${env.hubspot.requests.filter((r) => r.status >= 500).length} / ${env.hubspot.requests.filter((r) => r.status === 0).length}`,
    'worker kill -9 / web kill -9': `${kills} / ${webKills}`,
    'HubSpot calls': [...counts.values()].reduce((a, b) => a + b, 0),
    'missing / duplicated / wrong fields': `${missing.length} / ${duplicated.length} / ${problems.length}`,
    'calls by sync_state': Object.fromEntries(states.rows.map((r) => [r.sync_state, r.n])),
    'run time (s)': ((doneAt - started) / 1000).toFixed(0),
    'last worker kill → all synced (s)': lastKillAt ? ((doneAt - lastKillAt) / 1000).toFixed(0) : '-',
    'RSS MB max (web / worker)': `${Math.max(rss.web, web.rssMaxMb).toFixed(0)} / ${Math.max(rss.worker, worker.rssMaxMb).toFixed(0)}`,
    'zero lost or duplicated': missing.length === 0 && duplicated.length === 0 && problems.length === 0,
  });
  for (const line of [...problems, ...missing.map((id) => `missing ${id}`)].slice(0, 20))
    console.log(`  ! ${line}`);
  for (const [id, n] of duplicated.slice(0, 20)) console.log(`  ! ${id} logged ${n} times`);
} finally {
  await worker?.stop();
  await web?.stop();
  await env.close();
}
