import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { signDialerBody } from '../dialer/index.ts';
import { installAndConnect } from './test-setup.ts';

let app: TestApp;
let key: string;
let secret: string;
let accountId: string;

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  const { account } = await installAndConnect(app, 630001);
  accountId = account.id;
  const connection = await app.runtime.ctx.db
    .selectFrom('dialer_connections')
    .selectAll()
    .executeTakeFirstOrThrow();
  key = connection.webhook_key;
  secret = app.dialer.account(account.id).webhooks[0]!.secret;
});
afterAll(() => app.stop());

const envelope = (id: string, type = 'call.ended') => ({
  id,
  type,
  created_at: '2026-11-21T14:03:11Z',
  account_id: accountId,
  data: {
    call: {
      id: `call-${id}`,
      direction: 'outbound',
      status: 'completed',
      from_number: '+61 2 8000 0000',
      to_number: '02 9374 4000',
      started_at: '2026-11-21T14:00:00Z',
      answered_at: '2026-11-21T14:00:05Z',
      ended_at: '2026-11-21T14:03:00Z',
      duration_seconds: 180,
      talk_seconds: 175,
      agent: null,
      disposition: null,
      notes: null,
      recording_url: null,
      list_id: null,
      contact: null,
    },
  },
});

async function post(body: string, options: { path?: string; signature?: string | null; t?: number } = {}) {
  const t = options.t ?? Math.floor(Date.now() / 1000);
  const signature = options.signature === undefined ? signDialerBody(secret, body, t) : options.signature;
  return fetch(`${app.url}${options.path ?? `/dialer/webhooks/${key}`}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'dialer-signature': signature } : {}) },
    body,
  });
}

const inbox = () => app.runtime.ctx.db.selectFrom('webhook_inbox').selectAll().execute();
const jobs = async () => (await app.runtime.ctx.queue.raw.findJobs('calls.sync')).length;

describe('Dialer.io webhook ingest', () => {
  it('stores a signed event once and queues the portal sync in the same step', async () => {
    const body = JSON.stringify(envelope('evt_ok_1'));
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'accepted' });
    const again = await post(body);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    const rows = (await inbox()).filter((r) => r.event_id === 'evt_ok_1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event_type: 'call.ended', call_id: 'call-evt_ok_1', processed_at: null });
    expect(await jobs()).toBeGreaterThanOrEqual(1);
  });

  it('answers 200 and ignores a well-signed event of a type it does not know', async () => {
    const before = (await inbox()).length;
    const response = await post(JSON.stringify({ ...envelope('evt_new_type'), type: 'call.summarized' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ignored' });
    expect(await inbox()).toHaveLength(before);
  });

  it.each([
    [
      'an unknown key',
      404,
      () => post(JSON.stringify(envelope('evt_a')), { path: '/dialer/webhooks/not-a-key' }),
    ],
    ['a bad signature', 401, () => post(JSON.stringify(envelope('evt_b')), { signature: 't=1,v1=deadbeef' })],
    ['a missing signature', 401, () => post(JSON.stringify(envelope('evt_c')), { signature: null })],
    [
      'a stale timestamp',
      401,
      () => post(JSON.stringify(envelope('evt_d')), { t: Math.floor(Date.now() / 1000) - 301 }),
    ],
    [
      'a body signed for other bytes',
      401,
      () =>
        post(JSON.stringify(envelope('evt_e')), {
          signature: signDialerBody(secret, '{}', Math.floor(Date.now() / 1000)),
        }),
    ],
    ['malformed JSON', 400, () => post('{"id": "evt_f", ')],
    [
      'a body that breaks the contract',
      400,
      () => post(JSON.stringify({ ...envelope('evt_g'), data: { call: { id: 'x' } } })),
    ],
  ])('refuses %s with %i and stores nothing', async (_name, status, send) => {
    const before = await inbox();
    const jobsBefore = await jobs();
    const response = await send();
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toEqual(expect.any(String));
    expect(await inbox()).toEqual(before);
    expect(await jobs()).toBe(jobsBefore);
  });
});
