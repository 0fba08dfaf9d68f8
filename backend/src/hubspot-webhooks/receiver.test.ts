import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverHubSpotEvents, hubSpotEvent } from '../../test/support/hubspot-webhooks.ts';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { PermanentJobError } from '../platform/queue.ts';
import type { HubSpotEventHandler, HubSpotWebhookEvent } from './events.ts';
import { hubSpotEventHandlers } from './handlers.ts';

let app: TestApp;
const PORTAL = 710001;
const OTHER_PORTAL = 710002;
const seen: HubSpotWebhookEvent[] = [];
let failNext: Error | undefined;

const recorder: HubSpotEventHandler = {
  subscriptionType: 'test.recorded',
  name: 'recorder',
  async handle(_ctx, _installationId, events) {
    if (failNext) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    seen.push(...events);
  },
};

beforeAll(async () => {
  hubSpotEventHandlers.push(recorder);
  app = await startTestApp();
  await app.install(PORTAL);
});
afterAll(async () => {
  hubSpotEventHandlers.splice(hubSpotEventHandlers.indexOf(recorder), 1);
  await app.stop();
});
afterEach(() => {
  seen.length = 0;
  failNext = undefined;
});

const inbox = () => app.runtime.ctx.db.selectFrom('hubspot_webhook_inbox').selectAll().execute();
const recorded = (portalId = PORTAL, extra = {}) =>
  hubSpotEvent(portalId, { subscriptionType: 'test.recorded', objectId: 51, ...extra });

describe('POST /hubspot/webhooks', () => {
  it('stores a signed delivery once and hands each event to its handler once', async () => {
    const events = [recorded(), recorded()];
    const first = await deliverHubSpotEvents(app, events);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 2, duplicate: 0, ignored: 0 });
    const again = await deliverHubSpotEvents(app, events);
    expect(await again.json()).toEqual({ accepted: 0, duplicate: 2, ignored: 0 });

    await eventually(async () => (await inbox()).every((row) => row.processed_at !== null));
    expect(seen.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
  });

  it('refuses unsigned, wrongly signed and stale deliveries and stores nothing', async () => {
    const before = (await inbox()).length;
    const unsigned = await fetch(`${app.url}/hubspot/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([recorded()]),
    });
    expect(unsigned.status).toBe(401);
    expect((await deliverHubSpotEvents(app, [recorded()], { secret: 'not-the-secret' })).status).toBe(401);
    const stale = await deliverHubSpotEvents(app, [recorded()], { timestampMs: Date.now() - 10 * 60_000 });
    expect(stale.status).toBe(401);
    expect((await inbox()).length).toBe(before);
  });

  it('answers malformed deliveries with a clear 400 and stores nothing', async () => {
    const before = (await inbox()).length;
    for (const body of [
      { not: 'an array' },
      [],
      [{ eventId: 1 }],
      [{ ...recorded(), occurredAt: -210866803200001 }],
      Array.from({ length: 101 }, () => recorded()),
    ]) {
      const res = await deliverHubSpotEvents(app, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_payload');
    }
    expect((await inbox()).length).toBe(before);
  });

  it('answers 200 for a portal that is not installed, stores nothing and counts it', async () => {
    const event = recorded(OTHER_PORTAL);
    const res = await deliverHubSpotEvents(app, [event]);
    expect(await res.json()).toEqual({ accepted: 0, duplicate: 0, ignored: 1 });
    expect((await inbox()).some((row) => row.event_id === event.eventId)).toBe(false);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/hubspot_webhook_events_total\{result="ignored_not_installed"\} [1-9]/);
  });

  it('stores and sets aside events of a type no capability handles', async () => {
    const event = hubSpotEvent(PORTAL, { subscriptionType: 'deal.creation', objectId: 9 });
    expect((await deliverHubSpotEvents(app, [event])).status).toBe(200);
    await eventually(async () => (await inbox()).find((r) => r.event_id === event.eventId)?.processed_at);
    expect(seen).toEqual([]);
  });

  it('stores a signed event whose strings PostgreSQL jsonb would refuse', async () => {
    const event = recorded(PORTAL, { propertyValue: 'a\u0000b \ud800 c' });
    const res = await deliverHubSpotEvents(app, [event]);
    expect(res.status).toBe(200);
    await eventually(() => seen.find((e) => e.eventId === event.eventId));
    expect(seen.find((e) => e.eventId === event.eventId)!.propertyValue).toBe('a\uFFFDb \uFFFD c');
  });

  it('retries events whose handler met a passing failure, and sets aside a permanent one with its reason', async () => {
    failNext = new Error('HubSpot is down');
    const passing = recorded();
    await deliverHubSpotEvents(app, [passing]);
    await eventually(() => seen.find((e) => e.eventId === passing.eventId), 60_000);

    failNext = new PermanentJobError('contact 51 does not exist');
    const refused = recorded();
    await deliverHubSpotEvents(app, [refused]);
    const row = await eventually(async () =>
      (await inbox()).find((r) => r.event_id === refused.eventId && r.processed_at),
    );
    expect(row?.last_error).toContain('contact 51 does not exist');
    expect(seen.find((e) => e.eventId === refused.eventId)).toBeUndefined();
  });
});
