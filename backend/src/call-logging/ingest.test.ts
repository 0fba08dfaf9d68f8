import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { signDialerBody } from '../dialer/index.ts';
import { queueWaitingInboxes } from './inbox-sweep.ts';
import { installAndConnect } from './test-setup.ts';

// The inbox writer groups webhooks that arrive together into one transaction: under concurrent
// deliveries (and the same event delivered twice at once) each event is still stored once,
// answered `accepted` once and `duplicate` otherwise, and its portal's sync job is queued.

let app: TestApp;
let url: string;
let secret: string;
let accountId: string;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  const { account } = await installAndConnect(app, 640001);
  accountId = account.id;
  const hook = app.dialer.account(account.id).webhooks[0]!;
  url = `${app.url}${new URL(hook.url).pathname}`;
  secret = hook.secret;
});
afterAll(() => app.stop());

function deliver(eventId: string, type: 'call.started' | 'call.ended' = 'call.ended') {
  const ended = type === 'call.ended';
  const body = JSON.stringify({
    id: eventId,
    type,
    created_at: '2026-11-21T14:00:00Z',
    account_id: accountId,
    data: {
      call: {
        id: `call-${eventId}`,
        direction: 'outbound',
        status: ended ? 'no_answer' : 'ringing',
        from_number: '+61 2 8000 0000',
        to_number: '02 9374 4000',
        started_at: '2026-11-21T14:00:00Z',
        answered_at: null,
        ended_at: ended ? '2026-11-21T14:00:30Z' : null,
        duration_seconds: ended ? 30 : 0,
        talk_seconds: 0,
        agent: null,
        disposition: null,
        notes: null,
        recording_url: null,
        list_id: null,
        contact: null,
      },
    },
  });
  const signature = signDialerBody(secret, body, Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'dialer-signature': signature },
    body,
  }).then(async (response) => ({
    eventId,
    http: response.status,
    answer: ((await response.json()) as { status: string }).status,
  }));
}

it('stores concurrent deliveries once each, accepting one copy of an event delivered twice at once', async () => {
  const ids = Array.from({ length: 60 }, (_, i) => `evt-group-${i}`);
  const answers = await Promise.all([...ids, ...ids.slice(0, 20)].map((id) => deliver(id)));
  expect(answers.every((a) => a.http === 200)).toBe(true);
  for (const id of ids) {
    const mine = answers.filter((a) => a.eventId === id).map((a) => a.answer);
    expect(
      mine.filter((answer) => answer === 'accepted'),
      id,
    ).toHaveLength(1);
    expect(mine.filter((answer) => answer === 'duplicate')).toHaveLength(mine.length - 1);
  }
  const rows = await app.runtime.ctx.db.selectFrom('webhook_inbox').select('event_id').execute();
  expect(rows.map((r) => r.event_id).sort()).toEqual([...ids].sort());
  const jobs = await app.runtime.ctx.queue.raw.fetch('calls.sync', { batchSize: 10 });
  expect(jobs?.length).toBe(1);
});

/** Queued runs not started yet (the first test's run was fetched and counts as running). */
async function queuedRuns(): Promise<number> {
  const jobs = await app.runtime.ctx.queue.raw.findJobs('calls.sync');
  return jobs.filter((job) => job.state === 'created').length;
}

it("a live call's start queues no run of its own; the inbox sweep queues it after the delay", async () => {
  const answer = await deliver('evt-live-start', 'call.started');
  expect(answer).toMatchObject({ http: 200, answer: 'accepted' });
  expect(await queuedRuns()).toBe(0);

  expect(await queueWaitingInboxes(app.runtime.ctx, 60_000)).toBe(0); // not old enough yet
  expect(await queuedRuns()).toBe(0);
  expect(await queueWaitingInboxes(app.runtime.ctx, 0)).toBe(1);
  expect(await queuedRuns()).toBe(1);
  await deliver('evt-live-end'); // a run is queued already: the end adds none
  expect(await queuedRuns()).toBe(1);
});

it('the inbox sweep also re-drives a portal whose pending calls no run picked up', async () => {
  const db = app.runtime.ctx.db;
  await db.updateTable('webhook_inbox').set({ processed_at: new Date() }).execute();
  expect(await queueWaitingInboxes(app.runtime.ctx, 0)).toBe(0);
  const { id } = await db.selectFrom('installations').select('id').executeTakeFirstOrThrow();
  await db
    .insertInto('calls')
    .values({
      installation_id: id,
      call_id: 'stranded',
      data: JSON.stringify({ id: 'stranded' }),
      final: true,
      sync_state: 'pending',
      updated_at: new Date(Date.now() - 120_000),
    })
    .execute();
  expect(await queueWaitingInboxes(app.runtime.ctx, 60_000)).toBe(1);
});
