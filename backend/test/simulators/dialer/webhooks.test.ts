import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDialerClient,
  parseDialerEvent,
  verifyDialerSignature,
  type DialerCall,
} from '../../../src/dialer/index.ts';
import { startDialerSimulator, type DialerSimulator } from './index.ts';
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from './receiver.ts';

// Webhook registration and delivery: signed, retried, disabled, duplicated and shuffled.

let sim: DialerSimulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = await startDialerSimulator({ retrySchedule: [20, 40, 80], deliveryTimeoutMs: 150 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await receiver?.close();
});

const ALL_EVENTS = ['call.started', 'call.answered', 'call.ended', 'call.dispositioned', 'contact.updated'];

async function setup(respond?: Parameters<typeof startWebhookReceiver>[0]) {
  receiver = await startWebhookReceiver(respond);
  const { id: accountId, token } = sim.createAccount();
  sim.addAgent(accountId, { id: 'agt_1', name: 'Ada Lovelace', email: 'ada@example.com' });
  sim.addDisposition(accountId, { id: 'dsp_booked', name: 'Booked meeting', category: 'connected' });
  const client = createDialerClient({ baseUrl: sim.url, apiToken: token });
  const webhook = await client.createWebhook({
    url: receiver.url,
    events: ALL_EVENTS,
    description: 'Dialer Sync',
  });
  return { accountId, client, webhook };
}

function verify(delivery: ReceivedDelivery, secret: string) {
  return verifyDialerSignature({
    secret,
    rawBody: delivery.rawBody,
    header: delivery.headers['dialer-signature'],
    nowSeconds: Date.now() / 1000,
  });
}

function callOf(delivery: ReceivedDelivery): DialerCall {
  const parsed = parseDialerEvent(delivery.rawBody);
  if (parsed.kind !== 'call') throw new Error(`expected a call event, got ${parsed.kind}`);
  return parsed.call;
}

describe('webhook registration', () => {
  it('shows the secret only on creation, lists and deletes webhooks', async () => {
    const { client, webhook } = await setup();
    expect(webhook).toMatchObject({ url: receiver.url, events: ALL_EVENTS, active: true });
    expect(webhook.secret).toMatch(/^whsec_/);
    const listed = await client.listWebhooks();
    expect(listed).toEqual([{ id: webhook.id, url: receiver.url, events: ALL_EVENTS, active: true }]);
    expect(listed[0]).not.toHaveProperty('secret');
    expect(await client.deleteWebhook(webhook.id)).toBe(true);
    expect(await client.deleteWebhook(webhook.id)).toBe(false);
    expect(await client.listWebhooks()).toEqual([]);
  });

  it('rejects a webhook with no or unknown events', async () => {
    const { client } = await setup();
    await expect(client.createWebhook({ url: receiver.url, events: [] })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      client.createWebhook({ url: receiver.url, events: ['call.exploded'] }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('webhook delivery', () => {
  it('delivers a signed envelope that the receiver can verify and parse', async () => {
    const { accountId, webhook } = await setup();
    const [type, data] = sim.callLifecycle(accountId, {
      id: 'call_1',
      contact: { id: 'con_1', external_id: '101' },
    })[0]!;
    const event = sim.emit(accountId, type, data);
    await sim.waitForDeliveries();

    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0]!;
    expect(delivery.headers).toMatchObject({
      'content-type': 'application/json',
      'dialer-webhook-id': webhook.id,
      'dialer-event-id': event.id,
    });
    expect(verify(delivery, webhook.secret)).toEqual({ ok: true });
    expect(
      verify({ ...delivery, rawBody: delivery.rawBody.replace('call_1', 'call_2') }, webhook.secret),
    ).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const parsed = parseDialerEvent(delivery.rawBody);
    expect(parsed).toMatchObject({
      kind: 'call',
      type: 'call.started',
      event: { id: event.id, account_id: accountId },
    });
    expect(callOf(delivery)).toMatchObject({ id: 'call_1', status: 'ringing', agent: { id: 'agt_1' } });
  });

  it('stamps envelopes and signatures with the simulator clock, so a skewed clock reads as stale', async () => {
    const skewed = await startDialerSimulator({ now: () => Date.parse('2026-11-21T14:03:11Z') });
    try {
      receiver = await startWebhookReceiver();
      const { id: accountId, token } = skewed.createAccount();
      const client = createDialerClient({ baseUrl: skewed.url, apiToken: token });
      const webhook = await client.createWebhook({ url: receiver.url, events: ['call.started'] });
      const event = skewed.emit(accountId, ...skewed.callLifecycle(accountId)[0]!);
      await skewed.waitForDeliveries();
      expect(event.created_at).toBe('2026-11-21T14:03:11Z');
      expect(receiver.received[0]!.headers['dialer-signature']).toMatch(/^t=1795269791,v1=/);
      expect(verify(receiver.received[0]!, webhook.secret)).toEqual({ ok: false, reason: 'stale' });
    } finally {
      await skewed.close();
    }
  });

  it('only delivers the event types a webhook subscribed to', async () => {
    const { accountId } = await setup();
    sim.emit(accountId, 'agent.updated', { agent: sim.account(accountId).agents[0] });
    await sim.waitForDeliveries();
    expect(receiver.received).toHaveLength(0);
  });

  it('retries after 500s on the schedule and stops at the first 2xx', async () => {
    const { accountId, webhook } = await setup((_delivery, index) => (index < 2 ? 500 : 204));
    const event = sim.emit(accountId, ...sim.callLifecycle(accountId)[0]!);
    await sim.waitForDeliveries();

    const attempts = sim.account(accountId).deliveries;
    expect(attempts.map((d) => [d.eventId, d.attempt, d.status])).toEqual([
      [event.id, 1, 500],
      [event.id, 2, 500],
      [event.id, 3, 204],
    ]);
    expect(receiver.received.every((d) => verify(d, webhook.secret).ok)).toBe(true);
    expect(new Set(receiver.received.map((d) => d.rawBody)).size).toBe(1);
    expect(sim.account(accountId).webhooks[0]!.active).toBe(true);
  });

  it('disables the webhook when the schedule runs out, counting timeouts as failures', async () => {
    const { accountId } = await setup(async (_delivery, index) => {
      if (index === 0) await new Promise((resolve) => setTimeout(resolve, 300));
      return 503;
    });
    sim.emit(accountId, ...sim.callLifecycle(accountId)[0]!);
    await sim.waitForDeliveries();
    const attempts = sim.account(accountId).deliveries;
    expect(attempts.map((d) => d.status)).toEqual([null, 503, 503, 503]);
    expect(attempts[0]!.error).toBe('timeout');
    expect(sim.account(accountId).webhooks[0]!.active).toBe(false);

    sim.emit(accountId, ...sim.callLifecycle(accountId)[0]!);
    await sim.waitForDeliveries();
    expect(sim.account(accountId).deliveries).toHaveLength(4);
  });

  it('disables the webhook at once on 410 Gone', async () => {
    const { accountId } = await setup(() => 410);
    sim.emit(accountId, ...sim.callLifecycle(accountId)[0]!);
    await sim.waitForDeliveries();
    expect(sim.account(accountId).deliveries.map((d) => d.status)).toEqual([410]);
    expect(sim.account(accountId).webhooks[0]!.active).toBe(false);
  });

  it('can deliver the same event twice', async () => {
    const { accountId } = await setup();
    const event = sim.emit(accountId, ...sim.callLifecycle(accountId)[0]!, {
      duplicate: true,
      eventId: 'evt_fixed',
    });
    await sim.waitForDeliveries();
    expect(event.id).toBe('evt_fixed');
    expect(receiver.received.map((d) => d.headers['dialer-event-id'])).toEqual(['evt_fixed', 'evt_fixed']);
    expect(receiver.received[0]!.rawBody).toBe(receiver.received[1]!.rawBody);
  });
});

describe('call lifecycle', () => {
  it('builds events whose later calls only fill fields in', async () => {
    const { accountId } = await setup();
    const events = sim.callLifecycle(
      accountId,
      { id: 'call_9', direction: 'inbound', from_number: '02 9374 4000', list_id: 'lst_1' },
      { answered: true, disposition: 'dsp_booked', notes: 'Call back Tuesday' },
    );
    expect(events.map(([type]) => type)).toEqual([
      'call.started',
      'call.answered',
      'call.ended',
      'call.dispositioned',
    ]);
    const calls = events.map(([, data]) => data.call);
    expect(calls.map((c) => c.status)).toEqual(['ringing', 'in_progress', 'completed', 'completed']);
    for (let i = 1; i < calls.length; i++) {
      for (const [key, value] of Object.entries(calls[i - 1]!)) {
        if (value !== null && key !== 'status' && key !== 'duration_seconds' && key !== 'talk_seconds') {
          expect(calls[i]![key as keyof DialerCall], key).toEqual(value);
        }
      }
    }
    expect(calls[3]).toMatchObject({
      disposition: { id: 'dsp_booked', name: 'Booked meeting' },
      notes: 'Call back Tuesday',
      talk_seconds: 95,
      duration_seconds: 103,
    });
    expect(calls[2]!.recording_url).toMatch(/^https:\/\//);

    const missed = sim.callLifecycle(accountId, { direction: 'outbound' });
    expect(missed.map(([type, data]) => [type, data.call.status])).toEqual([
      ['call.started', 'ringing'],
      ['call.ended', 'no_answer'],
    ]);
  });

  it('delivers a whole lifecycle shuffled and duplicated; every body verifies and parses', async () => {
    const { accountId, webhook } = await setup();
    const lifecycle = sim.callLifecycle(
      accountId,
      { id: 'call_shuffled' },
      { answered: true, disposition: 'dsp_booked' },
    );
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const order = sim.emitBatch(accountId, lifecycle, { shuffle: true, duplicate: true, random });
    await sim.waitForDeliveries();

    expect(receiver.received).toHaveLength(8);
    expect(receiver.received.map((d) => d.headers['dialer-event-id'])).toEqual(order.map((e) => e.id));
    expect(order.map((e) => e.type)).not.toEqual(lifecycle.flatMap(([type]) => [type, type]));
    expect(new Set(order.map((e) => e.id)).size).toBe(4);
    for (const delivery of receiver.received) {
      expect(verify(delivery, webhook.secret)).toEqual({ ok: true });
      expect(callOf(delivery).id).toBe('call_shuffled');
    }
    const final = receiver.received.find(
      (d) => d.headers['dialer-event-id'] === order.find((e) => e.type === 'call.dispositioned')!.id,
    )!;
    expect(callOf(final)).toMatchObject({ status: 'completed', disposition: { id: 'dsp_booked' } });
  });
});
