// Many portals at once, through the real entry points: 100 portals installed (OAuth) and
// connected (Dialer.io), then every account's calls delivered by the Dialer.io simulator at the
// same time, shuffled and each event twice. Counts only (speed is measured by `npm run bench`):
// every call reaches its own portal in HubSpot exactly once, nothing is left pending, no 429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAndConnectMany, type InstalledPortal } from './support/many-portals.ts';
import { eventually, startTestApp, type TestApp } from './support/test-app.ts';

// 100 on PostgreSQL (CI); the embedded database serves every query on one connection in the
// test's own process, so there a fifth of the portals keeps the file within a minute.
const PORTALS = process.env.DATABASE_URL ? 100 : 20;
const CALLS_PER_PORTAL = 5;

describe('many portals at once', () => {
  let app: TestApp;
  let portals: InstalledPortal[];

  beforeAll(async () => {
    // HubSpot answers after a short delay, so jobs of many portals really overlap.
    app = await startTestApp({ hubspot: { latencyMs: 20, latencyJitterMs: 10 }, env: { LOG_LEVEL: 'warn' } });
    const ids = Array.from({ length: PORTALS }, (_, i) => 610_001 + i);
    portals = await installAndConnectMany({ ...app, db: app.runtime.ctx.db, api: app.api }, ids, 8);
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('logs every call of every portal once, in its own portal, with no 429', async () => {
    for (const portal of portals) {
      const events = Array.from({ length: CALLS_PER_PORTAL }, (_, i) =>
        app.dialer.callLifecycle(
          portal.accountId,
          { id: `call-${portal.portalId}-${i}`, to_number: `+1 617 555 ${String(1000 + i)}` },
          { answered: i % 2 === 0 },
        ),
      ).flat();
      app.dialer.emitBatch(portal.accountId, events, { shuffle: true, duplicate: true });
    }
    await app.dialer.waitForDeliveries(240_000);
    const db = app.runtime.ctx.db;
    await eventually(
      async () => {
        const open = await db
          .selectFrom('calls')
          .select(({ fn }) => fn.countAll<number>().as('n'))
          .where('sync_state', '!=', 'synced')
          .executeTakeFirstOrThrow();
        const synced = await db
          .selectFrom('calls')
          .select(({ fn }) => fn.countAll<number>().as('n'))
          .where('sync_state', '=', 'synced')
          .executeTakeFirstOrThrow();
        return Number(open.n) === 0 && Number(synced.n) === PORTALS * CALLS_PER_PORTAL;
      },
      240_000,
      200,
    );

    for (const portal of portals) {
      const ids = app.hubspot
        .portal(portal.portalId)
        .calls.map((call) => call.properties.hs_call_external_id)
        .sort();
      const expected = Array.from(
        { length: CALLS_PER_PORTAL },
        (_, i) => `call-${portal.portalId}-${i}`,
      ).sort();
      expect(ids, `portal ${portal.portalId}`).toEqual(expected);
    }
    // A late duplicate of a call's start queues no run: the inbox sweep folds it (1 s in tests).
    await eventually(async () => {
      const unprocessed = await db
        .selectFrom('webhook_inbox')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .where('processed_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(unprocessed.n) === 0;
    }, 120_000);
    expect(app.hubspot.count429).toBe(0);
    expect(app.runtime.ctx.config.callSyncConcurrency).toBeGreaterThan(1);
  }, 600_000);
});
