import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editContact } from '../../test/simulators/hubspot/contact-changes.ts';
import { inlineJobContext } from '../../test/support/inline-job.ts';
import { peakPerSecond, recordDialerSends } from '../../test/support/dialer-sends.ts';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import { createHubSpotEventsJob } from '../hubspot-webhooks/process-job.ts';
import { createContactSyncJobs } from './jobs.ts';
import {
  ADMIN,
  deliverPropertyChanges,
  linkedContact,
  runContactSyncJob,
  setUpPortal,
  startContactSyncApp,
} from './test-helpers.ts';

// One-time operations through POST /api/sync/operations; the job is run here in place (this app
// has no workers), so that a test can kill it mid-way and start it again like a new worker would.
// A job runs one slice of SLICE_MS and queues its continuation; `runToEnd` plays the worker that
// takes each continuation.

const PORTAL = 812301;
const PUSH_PORTAL = 812302;
let portal = PORTAL;
const RESUME_PORTAL = 812303;
const CONTACTS = 300;
const SLICE_MS = 2000;
let app: TestApp;
let setup: Awaited<ReturnType<typeof setUpPortal>>;

beforeAll(async () => {
  app = await startContactSyncApp({ workers: false, env: { SYNC_OPERATION_SLICE_MS: String(SLICE_MS) } });
  setup = await setUpPortal(app, PORTAL);
}, 60_000);
afterAll(() => app?.stop());

interface OperationView {
  id: string;
  status: string;
  total: number | null;
  done: number;
  failed: number;
}

const api = (method: string, path: string, body?: unknown, userId = ADMIN) =>
  app.api(method, path, { portalId: portal, userId, body });
/** Another super admin of the portal: a start of theirs while one runs is refused, not joined. */
const OTHER_ADMIN = ADMIN + 1;
async function start(kind: string): Promise<OperationView> {
  const response = await api('POST', '/api/sync/operations', { kind });
  expect(response.status).toBe(202);
  return ((await response.json()) as { operation: OperationView }).operation;
}
async function list() {
  const response = await api('GET', '/api/sync/operations');
  return (await response.json()) as { operations: OperationView[]; lastRuns: Record<string, string | null> };
}
const current = async (id: string) => (await list()).operations.find((op) => op.id === id)!;

function runJob(operationId: string, signal?: AbortSignal) {
  return runContactSyncJob(
    app,
    'contact-sync.operation',
    { installationId: setup.installation.id, operationId },
    signal,
  );
}

/** The operation's continuation jobs waiting in the queue (what a worker would take next). */
async function queuedContinuations(operationId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pgboss.job
    where name = 'contact-sync.operation' and state = 'created' and data->>'operationId' = ${operationId}
  `.execute(app.runtime.ctx.db);
  return Number(rows[0]?.n ?? 0);
}

/** Runs the job, and each continuation it queues, until the operation is over; returns the slices run. */
async function runToEnd(operationId: string): Promise<number> {
  let slices = 0;
  for (;;) {
    await runJob(operationId);
    slices++;
    const op = await current(operationId);
    if (op.status !== 'queued' && op.status !== 'running') return slices;
    expect(await queuedContinuations(operationId)).toBe(1);
  }
}

/** The operation's job fails for good (its retries used up): what the queue does then. */
async function deadLetter(operationId: string, message: string) {
  const job = createContactSyncJobs(app.runtime.ctx).find((j) => j.name === 'contact-sync.operation')!;
  await job.onDeadLetter!(
    { installationId: setup.installation.id, operationId },
    new Error(message),
    inlineJobContext(app.runtime.ctx.logger),
  );
}

async function linkedIds(): Promise<Set<string>> {
  const rows = await app.runtime.ctx.db
    .selectFrom('contact_sync_links')
    .select('contact_id')
    .where('installation_id', '=', setup.installation.id)
    .execute();
  return new Set(rows.map((row) => row.contact_id));
}

describe('pull_contacts', () => {
  it('sends HubSpot contacts in slices with progress; killed mid-page it resumes without sending a contact twice, links every contact, under 20 requests/s', async () => {
    const ids: string[] = [];
    for (let i = 0; i < CONTACTS; i++)
      ids.push(
        app.hubspot.addContact(PORTAL, {
          firstname: `Pat${i}`,
          lastname: 'Pull',
          phone: `+1 415 555 ${String(1000 + i)}`,
          city: 'Sydney',
        }),
      );
    for (let i = 0; i < 20; i++) app.hubspot.addContact(PORTAL, { firstname: `NoPhone${i}` });
    app.dialer.clearRequests();
    const sent = recordDialerSends(app);

    const operation = await start('pull_contacts');
    expect(operation).toMatchObject({ status: 'queued', done: 0, failed: 0 });
    // The worker dies while Dialer.io handles its 150th contact (mid-page): that write happens,
    // its answer is lost.
    const kill = new AbortController();
    let writes = 0;
    app.dialer.onContactWrite(() => {
      if (++writes === 150) kill.abort(new Error('worker killed'));
    });
    let slices = 0;
    const killed = await (async () => {
      for (;;) {
        try {
          await runJob(operation.id, kill.signal);
          slices++;
        } catch (error) {
          return error;
        }
        if ((await current(operation.id)).status !== 'running') return null;
      }
    })();
    expect(killed).toBeInstanceOf(Error);
    expect(slices).toBeGreaterThan(1); // each job ran its slice and queued the rest
    app.dialer.onContactWrite(null);
    expect(await current(operation.id)).toMatchObject({ status: 'running', total: CONTACTS, done: 149 });

    await runToEnd(operation.id); // a new worker takes the job over
    const finished = await current(operation.id);
    expect(finished).toMatchObject({ status: 'done', total: CONTACTS, done: CONTACTS, failed: 0 });
    expect((await list()).lastRuns.pull_contacts).not.toBeNull();

    const puts = app.dialer.requestsTo('PUT', /^\/v1\/contacts\//).filter((r) => r.status < 300);
    const perContact = new Map<string, number>();
    for (const put of puts) perContact.set(put.path, (perContact.get(put.path) ?? 0) + 1);
    expect(perContact.size).toBe(CONTACTS);
    expect([...perContact.values()].every((n) => n === 1)).toBe(true);
    expect(app.dialer.contact(setup.account.id, ids[CONTACTS - 1]!)).toMatchObject({
      first_name: `Pat${CONTACTS - 1}`,
      fields: { city: 'Sydney' },
    });
    // Paced as they leave this process: never more than 19 in a second (Dialer.io allows 20); a
    // 429 the simulator answered under load was sent again, and each contact written once (above).
    expect(peakPerSecond(sent.times)).toBeLessThanOrEqual(19);
    expect(sent.times.length).toBeGreaterThanOrEqual(CONTACTS);
    sent.stop();

    // Every pulled contact is linked, the one in flight at the kill too: its HubSpot edits reach Dialer.io.
    const linked = await linkedIds();
    expect(ids.filter((id) => !linked.has(id))).toEqual([]);
    const inFlight = ids[149]!;
    const from = setup.portal.propertyChanges.length;
    editContact(setup.portal, inFlight, { firstname: 'Patricia' });
    await deliverPropertyChanges(app, PORTAL, from);
    await createHubSpotEventsJob(app.runtime.ctx).handle(
      { installationId: setup.installation.id },
      inlineJobContext(app.runtime.ctx.logger),
    );
    // HubSpot's changes are judged in the portal's contact-sync round, with Dialer.io's.
    await runContactSyncJob(app, 'contact-sync.dialer-changes', { installationId: setup.installation.id });
    expect(app.dialer.contact(setup.account.id, inFlight)).toMatchObject({ first_name: 'Patricia' });
  }, 240_000);
});

describe('push_contacts', () => {
  it('writes the Dialer.io side of every linked contact in batches of 100, with progress, and can be cancelled', async () => {
    setup = await setUpPortal(app, PUSH_PORTAL); // a portal of its own: only these 250 contacts are linked
    portal = PUSH_PORTAL;
    const linked: string[] = [];
    for (let i = 0; i < 250; i++) {
      const id = await linkedContact(app, setup, {
        firstname: `Old${i}`,
        lastname: 'Push',
        phone: `+1 212 555 ${String(1000 + i)}`,
      });
      app.dialer.setContact(setup.account.id, id, { company: `Company ${i}` });
      linked.push(id);
    }
    const updates = () => app.hubspot.requestsTo('POST', '/crm/objects/2026-03/contacts/batch/update');
    const before = updates().length;

    // Cancelled after the first batch: it stops there.
    const cancelled = await start('push_contacts');
    const running = runToEnd(cancelled.id);
    await eventually(async () => (await current(cancelled.id)).done >= 100, 60_000, 100);
    expect((await api('POST', `/api/sync/operations/${cancelled.id}/cancel`)).status).toBe(200);
    await running;
    const stopped = await current(cancelled.id);
    expect(stopped.status).toBe('cancelled');
    expect(stopped.done).toBeLessThan(250);

    const operation = await start('push_contacts');
    expect(await runToEnd(operation.id)).toBeGreaterThan(1);
    expect(await current(operation.id)).toMatchObject({ status: 'done', total: 250, done: 250, failed: 0 });
    const batches = updates()
      .slice(before)
      .map((r) => (r.body as { inputs: unknown[] }).inputs.length);
    expect(Math.max(...batches)).toBe(100);
    expect(batches.every((n) => n <= 100)).toBe(true);
    for (const [i, id] of linked.entries())
      expect(setup.portal.contact(id)!.properties.company).toBe(`Company ${i}`);
    expect((await list()).lastRuns.push_contacts).not.toBeNull();
    const log = await app.runtime.ctx.db
      .selectFrom('activity_log')
      .select('message')
      .where('installation_id', '=', setup.installation.id)
      .where('step', '=', 'sync_operation_finished')
      .execute();
    expect(log.map((row) => row.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Push contacts was cancelled: /),
        'Push contacts finished: 250 contacts done, 0 failed.',
      ]),
    );
  }, 120_000);
});

describe('a failed operation', () => {
  it('is resumed by the next start (from its cursor: Dialer.io edits made since stay); one operation of a kind at a time: the same start sent again gets that run, another admin gets 409', async () => {
    setup = await setUpPortal(app, RESUME_PORTAL);
    portal = RESUME_PORTAL;
    app.hubspot.setUser(RESUME_PORTAL, OTHER_ADMIN, { superAdmin: true });
    const ids: string[] = [];
    for (let i = 0; i < 120; i++)
      ids.push(
        app.hubspot.addContact(RESUME_PORTAL, {
          firstname: `Res${i}`,
          phone: `+1 646 555 ${String(1000 + i)}`,
        }),
      );
    const operation = await start('pull_contacts');
    const kill = new AbortController();
    let writes = 0;
    app.dialer.onContactWrite(() => {
      if (++writes === 50) kill.abort(new Error('Dialer.io unreachable'));
    });
    for (;;) {
      const error = await runJob(operation.id, kill.signal).then(
        () => null,
        (e: unknown) => e,
      );
      if (error) break;
    }
    app.dialer.onContactWrite(null);
    await deadLetter(operation.id, 'Dialer.io unreachable');
    expect(await current(operation.id)).toMatchObject({ status: 'failed', done: 49, total: 120 });

    // An agent edits a contact that was already pulled; then the admin starts the pull again.
    app.dialer.setContact(setup.account.id, ids[0]!, { first_name: 'Edited in Dialer.io' });
    const attempts = await Promise.all([
      ...[1, 2, 3].map(() => api('POST', '/api/sync/operations', { kind: 'pull_contacts' })),
      api('POST', '/api/sync/operations', { kind: 'pull_contacts' }, OTHER_ADMIN),
    ]);
    const refused = attempts.pop()!;
    expect(attempts.map((r) => r.status)).toEqual([202, 202, 202]);
    const accepted = (await Promise.all(attempts.map((r) => r.json()))) as {
      operation: OperationView;
      resumed?: boolean;
    }[];
    expect(accepted.filter((a) => a.resumed)).toHaveLength(1);
    for (const answer of accepted)
      expect(answer.operation).toMatchObject({ id: operation.id, status: 'queued', done: 49 });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: { code: 'operation_running', message: expect.stringContaining('already running') },
    });

    await runToEnd(operation.id);
    expect(await current(operation.id)).toMatchObject({ status: 'done', done: 120, failed: 0 });
    expect((await list()).operations.filter((op) => op.id !== operation.id)).toEqual([]);
    expect(app.dialer.contact(setup.account.id, ids[0]!)).toMatchObject({
      first_name: 'Edited in Dialer.io',
    });
    const linked = await linkedIds();
    expect(ids.filter((id) => !linked.has(id))).toEqual([]);

    // Done, so the next start is a new run; two admins at once: one is queued, the other refused.
    const fresh = await Promise.all([
      api('POST', '/api/sync/operations', { kind: 'pull_contacts' }),
      api('POST', '/api/sync/operations', { kind: 'pull_contacts' }, OTHER_ADMIN),
    ]);
    expect(fresh.map((r) => r.status).sort()).toEqual([202, 409]);
    const active = await app.runtime.ctx.db
      .selectFrom('sync_operations')
      .select('id')
      .where('installation_id', '=', setup.installation.id)
      .where('status', 'in', ['queued', 'running'])
      .execute();
    expect(active).toHaveLength(1);
  }, 120_000);
});
