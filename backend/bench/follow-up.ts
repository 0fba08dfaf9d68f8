// Call follow-up: HubSpot requests per logged call with rollups and missed-call tasks on, in a
// backlog (target ≤ 0.05). One process (web + worker) on a scratch database, both simulators.
//
//   npx tsx backend/bench/follow-up.ts [--calls 5000] [--contacts 500] [--missedEvery 5]
//
// 1. One portal, `--contacts` HubSpot contacts with phone numbers, a fallback owner set.
// 2. `--calls` calls (every `--missedEvery`-th a missed inbound call, the rest answered, both
//    directions, spread over the contacts' numbers and the last 20 hours) go straight into the
//    portal's inbox as Dialer.io events (a backlog, e.g. after an outage), then one calls.sync job.
// 3. Wait until every call is in HubSpot and the follow-up is done (rollups written, tasks made);
//    count the requests the HubSpot simulator received meanwhile, by endpoint.
import { flags, report } from './cli.ts';
import { callSyncJob } from '../src/call-logging/sync-job-spec.ts';
import {
  waitForFollowUpIdle,
  installAndConnect,
  installationId,
  setMissedCalls,
} from '../src/call-follow-up/test-support.ts';
import { startTestApp } from '../test/support/test-app.ts';

const opts = flags({ calls: 5000, contacts: 500, missedEvery: 5 });
const PORTAL = 880001;
const phone = (i: number) => `+61 2 9${String(100_000 + i).padStart(7, '0')}`;

const app = await startTestApp({ env: { LOG_LEVEL: 'warn' } });
try {
  const { account, owner } = await installAndConnect(app, PORTAL);
  await setMissedCalls(app, PORTAL, { fallbackOwnerId: owner.id });
  for (let i = 0; i < opts.contacts; i++)
    app.hubspot.addContact(PORTAL, { firstname: `First${i}`, lastname: `Last${i}`, phone: phone(i) });
  const id = await installationId(app, PORTAL);

  const now = Date.now();
  const rows = Array.from({ length: opts.calls }, (_, i) => {
    const missed = i % opts.missedEvery === 0;
    const direction = missed || i % 2 === 0 ? 'inbound' : 'outbound';
    const number = phone((i * 7919) % opts.contacts);
    const events = app.dialer.callLifecycle(
      account.id,
      {
        id: `bench-${i}`,
        direction,
        started_at: new Date(now - 20 * 3_600_000 + i * 10_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        ...(direction === 'inbound'
          ? { from_number: number, to_number: '+61 2 8000 0000' }
          : { to_number: number }),
        ...(missed ? { status: 'missed' as const, agent: null } : {}),
      },
      { answered: !missed },
    );
    const [type, data] = events.at(-1)!;
    const event = {
      id: `evt_bench_${i}`,
      type,
      created_at: new Date().toISOString(),
      account_id: account.id,
      data,
    };
    return {
      installation_id: id,
      event_id: event.id,
      event_type: type,
      call_id: data.call.id,
      payload: JSON.stringify(event),
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await app.runtime.ctx.db
      .insertInto('webhook_inbox')
      .values(rows.slice(i, i + 500))
      .execute();

  app.hubspot.clearRequests();
  const started = performance.now();
  await app.runtime.ctx.queue.send(callSyncJob, { installationId: id }, { singletonKey: id });
  await waitForFollowUpIdle(app, PORTAL, 900_000);
  const seconds = (performance.now() - started) / 1000;

  const requests = app.hubspot.requests.filter((r) => !r.path.startsWith('/oauth/'));
  const byEndpoint: Record<string, number> = {};
  for (const r of requests) {
    const key = `${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
  }
  const hs = app.hubspot.portal(PORTAL);
  report('call follow-up (backlog)', {
    calls: opts.calls,
    contacts: opts.contacts,
    'HubSpot calls created': hs.calls.length,
    'tasks created': hs.tasks.length,
    'contacts with rollups': hs.contacts.filter((c) => c.properties.dialer_sync_total_inbound_calls).length,
    'HubSpot requests': requests.length,
    'requests per logged call': (requests.length / opts.calls).toFixed(4),
    '429 answers': app.hubspot.count429,
    'seconds (calls + follow-up)': seconds.toFixed(1),
    'by endpoint': byEndpoint,
  });
} finally {
  await app.stop();
}
