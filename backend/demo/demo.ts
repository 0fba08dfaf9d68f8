// `npm run demo`: the real service with both simulators, driven as a customer would, ending
// with what landed in HubSpot. `runDemo` is exported for the component test.
import { findInstallationByPortal } from '../src/installations/repository.ts';
import { registerRecordingUrl } from '../src/recordings/registration.ts';
import { playDay, scriptTable } from './play.ts';
import { showRecordings } from './recordings.ts';
import { activityTables, eventsVsCallsTable, fetchActivity, hubspotCallsTable } from './report.ts';
import { dayOfCalls, DEMO_ADMIN_USER_ID, DEMO_PORTAL_ID, seedDialer, seedHubSpot } from './scenario.ts';
import { startStack, type DemoStack } from './stack.ts';
import { renderTable } from './table.ts';
import { createDemoDir, removeDemoDir } from './temp-dir.ts';

export interface DemoOptions {
  /** Where the text goes (default: stdout). */
  out?: (text: string) => void;
  /** The whole run, start to clean stop (default 90 s; a normal run takes 10 to 20 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DemoSummary {
  dialerCalls: number;
  /** Distinct Dialer.io events sent. */
  eventsSent: number;
  /** Webhook POSTs Dialer.io made (duplicates and retries included). */
  deliveries: number;
  /** Distinct events the service stored in its inbox. */
  eventsStored: number;
  hubspotCalls: number;
  /** HubSpot calls beyond one per Dialer.io call. */
  duplicates: number;
  /** Every Dialer.io call has exactly one HubSpot call. */
  oneCallPerDialerCall: boolean;
  /** Status, outcome, contact and owner of every call are what the script expects. */
  asScripted: boolean;
  contactsCreated: number;
  /** HubSpot played one call's recording from Dialer.io (206 on a Range request). */
  recordingPlayed: boolean;
  /** One call's Dialer.io transcript reached its HubSpot call. */
  transcriptSent: boolean;
  activity: { step: string; level: string; count: number }[];
  elapsedMs: number;
  output: string;
}

export class DemoFailure extends Error {
  override name = 'DemoFailure';
}

const WHO = { portalId: DEMO_PORTAL_ID, userId: DEMO_ADMIN_USER_ID };

/** Polls `check` until it is true, or fails naming `what` when the deadline passes. */
async function waitFor(what: string, deadline: number, check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new DemoFailure(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (response.status !== 200) throw new DemoFailure(`${what} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function play(
  stack: DemoStack,
  say: (text: string) => void,
  progress: { phase: string },
  deadline: number,
  started: number,
) {
  const db = stack.runtime.ctx.db;
  const remaining = () => deadline - Date.now();

  // 1. The HubSpot portal exists; a super admin installs the app from the marketplace.
  progress.phase = 'installing the app in HubSpot';
  const hubspotWorld = seedHubSpot(stack.hubspot, DEMO_PORTAL_ID);
  await stack.install(DEMO_PORTAL_ID);
  const installation = await findInstallationByPortal(db, DEMO_PORTAL_ID);
  if (!installation) throw new DemoFailure('The install finished but no installation was stored.');
  const installationId = installation.id;
  // The release step `npm run hubspot:register-recordings`, with the installed portal's token.
  await registerRecordingUrl(stack.runtime.ctx, stack.runtime.ctx.config.publicBaseUrl);
  await waitFor('the install bootstrap (HubSpot owners and call outcomes)', deadline, async () => {
    const count = async (table: 'hubspot_owners' | 'hubspot_outcomes') =>
      (
        await db
          .selectFrom(table)
          .select('installation_id')
          .where('installation_id', '=', installationId)
          .execute()
      ).length;
    return (await count('hubspot_owners')) >= 2 && (await count('hubspot_outcomes')) >= 6;
  });
  say(`✓ installed in HubSpot portal ${DEMO_PORTAL_ID} (OAuth through the HubSpot simulator)\n`);

  // 2. On the settings page, the admin pastes the Dialer.io API token.
  progress.phase = 'connecting Dialer.io';
  const dialerWorld = seedDialer(stack.dialer, hubspotWorld);
  await expectOk(
    await stack.api('POST', '/api/dialer/connection', WHO, { apiToken: dialerWorld.token }),
    'POST /api/dialer/connection',
  );
  const setup = (await expectOk(await stack.api('GET', '/api/setup', WHO), 'GET /api/setup')) as {
    dialer: { accountName?: string; country?: string };
    webhook: { active: boolean };
    agents: { mapped: number; total: number };
    dispositions: { mapped: number; total: number };
  };
  say(`✓ connected Dialer.io account "${setup.dialer.accountName}" (${setup.dialer.country})\n\n`);
  say(
    renderTable(
      'Setup checklist (GET /api/setup)',
      ['item', 'state'],
      [
        ['HubSpot connected', true],
        ['Dialer.io connected', `${setup.dialer.accountName} (${setup.dialer.country})`],
        ['webhook active', setup.webhook.active],
        ['agents mapped', `${setup.agents.mapped} of ${setup.agents.total}`],
        ['dispositions mapped', `${setup.dispositions.mapped} of ${setup.dispositions.total}`],
      ],
    ),
  );

  // 3. The day of calls; Dialer.io delivers the webhooks as it pleases.
  const groups = dayOfCalls(dialerWorld);
  const scripted = groups.flatMap((group) => group.calls);
  say(`\n${scriptTable(groups)}\n`);
  progress.phase = 'playing the day of calls (webhook deliveries)';
  const sent = await playDay(stack.dialer, dialerWorld, groups, remaining);
  say(`✓ Dialer.io delivered ${sent.length} events; waiting for the service to log every call …\n`);
  progress.phase = 'waiting for the service to log the calls in HubSpot';
  await waitFor('the service to process every webhook and write every call', deadline, async () => {
    const unprocessed = await db
      .selectFrom('webhook_inbox')
      .select('id')
      .where('installation_id', '=', installationId)
      .where('processed_at', 'is', null)
      .execute();
    const open = await db
      .selectFrom('calls')
      .select('call_id')
      .where('installation_id', '=', installationId)
      .where('sync_state', 'in', ['pending', 'sending'])
      .execute();
    return unprocessed.length === 0 && open.length === 0;
  });
  say(`✓ all calls processed ${((Date.now() - started) / 1000).toFixed(1)} s after the start\n\n`);

  // 4. What landed where.
  progress.phase = 'reading what landed in HubSpot and the activity log';
  const portal = stack.hubspot.portal(DEMO_PORTAL_ID);
  const calls = hubspotCallsTable(portal, scripted);
  say(`${calls.text}\n`);
  const stored = await db
    .selectFrom('webhook_inbox')
    .select(['call_id', (eb) => eb.fn.countAll<number>().as('events')])
    .where('installation_id', '=', installationId)
    .groupBy('call_id')
    .execute();
  const storedByCall = new Map(stored.map((row) => [row.call_id ?? '', Number(row.events)]));
  const deliveries = stack.dialer.account(dialerWorld.accountId).deliveries.map((d) => d.eventId);
  const events = eventsVsCallsTable(groups, sent, deliveries, storedByCall, portal);
  say(`${events.text}\n`);
  const activity = activityTables(await fetchActivity(stack, WHO));
  say(`${activity.text}\n`);

  progress.phase = 'a recording played in HubSpot, a transcript sent';
  const media = await showRecordings(stack, dialerWorld.accountId, installationId, scripted, (what, check) =>
    waitFor(what, deadline, check),
  );
  say(`${media.text}\n`);

  const perCall = events.counts;
  const duplicates =
    perCall.reduce((total, c) => total + Math.max(0, c.hubspotCalls - 1), 0) +
    portal.calls.filter((c) => !scripted.some((s) => s.id === c.properties.hs_call_external_id)).length;
  const summary: Omit<DemoSummary, 'elapsedMs' | 'output'> = {
    dialerCalls: scripted.length,
    eventsSent: sent.length,
    deliveries: perCall.reduce((total, c) => total + c.deliveries, 0),
    eventsStored: perCall.reduce((total, c) => total + c.stored, 0),
    hubspotCalls: portal.calls.length,
    duplicates,
    oneCallPerDialerCall: perCall.every((c) => c.hubspotCalls === 1),
    asScripted: calls.problems.length === 0,
    contactsCreated: portal.contacts.length - Object.keys(hubspotWorld.contacts).length,
    recordingPlayed: media.recordingPlayed,
    transcriptSent: media.transcriptSent,
    activity: activity.byStep,
  };
  const failures = [
    ...perCall.filter((c) => c.hubspotCalls !== 1).map((c) => `${c.callId}: ${c.hubspotCalls} HubSpot calls`),
    ...(duplicates > 0 ? [`${duplicates} duplicate HubSpot calls`] : []),
    ...calls.problems,
    ...(summary.contactsCreated !== 0 ? [`call logging created ${summary.contactsCreated} contacts`] : []),
    ...(summary.recordingPlayed ? [] : ['HubSpot could not play the recording']),
    ...(summary.transcriptSent ? [] : ['the transcript did not reach its HubSpot call']),
  ];
  if (failures.length > 0)
    throw new DemoFailure(`HubSpot does not hold what the script expects:\n  - ${failures.join('\n  - ')}`);
  say(
    `✓ ${summary.dialerCalls} Dialer.io calls, ${summary.eventsSent} events in ${summary.deliveries} webhook POSTs → ` +
      `${summary.hubspotCalls} HubSpot calls, ${summary.duplicates} duplicates, ${summary.contactsCreated} contacts created\n`,
  );
  return summary;
}

/** Runs the whole demo and stops everything it started, whatever happens. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 90_000;
  let output = '';
  const write = options.out ?? ((text: string) => void process.stdout.write(text));
  const say = (text: string) => {
    output += text;
    write(text);
  };
  const progress = { phase: 'starting the simulators and the service' };
  const dataDir = createDemoDir();
  let starting: Promise<DemoStack> | undefined;
  /** Set when the run is over (done, failed or timed out): late work must not print or go on. */
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    const seconds = Math.round(timeoutMs / 1000);
    timer = setTimeout(
      () => reject(new DemoFailure(`Timed out after ${seconds} s while ${progress.phase}.`)),
      timeoutMs,
    );
    options.signal?.addEventListener('abort', () => reject(new DemoFailure('Interrupted.')), { once: true });
  });
  giveUp.catch(() => {});
  try {
    say('Dialer Sync demo: the service on an embedded database, with the HubSpot and Dialer.io simulators\n');
    const run = (async () => {
      starting = startStack(dataDir);
      const stack = await starting;
      if (finished) throw new DemoFailure('Gave up before the service was up.');
      say(`✓ service listening on ${stack.url} (embedded database in ${dataDir})\n`);
      // Waits fail a second before the hard limit, with a message naming what they waited for.
      return play(
        stack,
        (text) => void (finished || say(text)),
        progress,
        started + timeoutMs - 1_000,
        started,
      );
    })();
    const summary = await Promise.race([run, giveUp]);
    return { ...summary, elapsedMs: Date.now() - started, output };
  } finally {
    finished = true;
    clearTimeout(timer);
    // A stack still starting is awaited (for a while) so that it can be stopped cleanly.
    const stack = await Promise.race([
      starting?.catch(() => undefined),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000).unref()),
    ]);
    const problems = stack ? await stack.stop() : [];
    try {
      removeDemoDir(dataDir);
    } catch (error) {
      problems.push(`removing ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const problem of problems) say(`! while stopping: ${problem}\n`);
    if (stack) say('✓ stopped the service and the simulators, removed the temporary database\n');
  }
}
