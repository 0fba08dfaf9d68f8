import express, { Router, type Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, listRoutes } from '../../test/support/route-walker.ts';
import { findIsolationViolations, type IsolationCheck } from '../../test/support/tenant-isolation.ts';
import { freePort, startTestApp, TEST_CLIENT_SECRET, type TestApp } from '../../test/support/test-app.ts';
import { waitForFollowUpIdle } from '../call-follow-up/test-support.ts';
import { waitForContactSyncIdle } from '../contact-sync/test-helpers.ts';
import { createApp } from '../app.ts';
import { requireHubSpotSignature, trusted } from '../hubspot/signed-requests.ts';
import { ADMIN, NOT_ADMIN, portalWithJaneAndBob } from './test-helpers.ts';

/** Changing routes open to every user of the portal (a sales rep's own action on a contact). */
const OPEN_TO_ALL_USERS = new Set(['POST /api/contacts/:contactId/sync']);
/** Changing routes open to a super admin or the owner of the record (tested in their own files). */
const ADMIN_OR_RECORD_OWNER = new Set(['POST /api/calls/:callId/contact']);

let app: TestApp;
let check: Omit<IsolationCheck, 'routes' | 'baseUrl'>;
beforeAll(async () => {
  app = await startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
  const a = await portalWithJaneAndBob(app, 830001);
  const b = await portalWithJaneAndBob(app, 830002);
  const db = app.runtime.ctx.db;
  // Contact sync works through the portals' Dialer.io contact.updated events in the background:
  // let it finish first, so that only what a request does is compared.
  for (const installationId of [a.installation.id, b.installation.id])
    await waitForContactSyncIdle(app, installationId);
  // Call follow-up (rollups, tasks) runs after the calls, in the background too.
  for (const portalId of [830001, 830002]) await waitForFollowUpIdle(app, portalId);
  const agents = await db
    .selectFrom('dialer_agents')
    .select('agent_id')
    .where('installation_id', '=', b.installation.id)
    .execute();
  const dispositions = await db
    .selectFrom('dialer_dispositions')
    .select('disposition_id')
    .where('installation_id', '=', b.installation.id)
    .execute();
  const lists = await db
    .selectFrom('dialer_lists')
    .select('list_id')
    .where('installation_id', '=', b.installation.id)
    .execute();
  check = {
    db,
    publicBaseUrl: app.config.publicBaseUrl,
    secret: TEST_CLIENT_SECRET,
    attacker: { portalId: 830001, installationId: a.installation.id, userId: ADMIN },
    victim: { portalId: 830002, installationId: b.installation.id, userId: ADMIN },
    params: {
      contactId: b.jane,
      callId: 'jane-830002-0',
      agentId: agents[0]!.agent_id,
      dispositionId: dispositions[0]!.disposition_id,
      dialerField: 'fields.city',
      operationId: '00000000-0000-4000-8000-000000000000',
    },
    bodies: {
      'PUT /api/agents/:agentId': { ownerId: null },
      'PUT /api/dispositions/:dispositionId': { outcomeId: null },
      'PATCH /api/settings': { debugMode: true },
      'PUT /api/property-mappings/:dialerField': { hubspotProperty: 'city', direction: 'hubspot_to_dialer' },
      'POST /api/sync/operations': { kind: 'pull_contacts' },
      'POST /api/privacy/erasures': { hubspotContactId: b.jane, confirm: 'ERASE' },
    },
    victimMarkers: [
      b.installation.id,
      b.jane,
      b.bob,
      'jane-830002',
      'bob-830002',
      b.account.id,
      ...agents.map((r) => r.agent_id),
      ...dispositions.map((r) => r.disposition_id),
      ...lists.map((r) => r.list_id),
    ],
  };
}, 180_000);
afterAll(() => app.stop());

describe('tenant isolation and who may change what, for every /api route', () => {
  it('lets only a super admin call a route that changes configuration or deletes data', async () => {
    const changing = apiRoutes(createApp(app.runtime.ctx)).filter((r) => r.method !== 'GET');
    expect(changing.length).toBeGreaterThan(8);
    const open: string[] = [];
    for (const route of changing) {
      const key = `${route.method} ${route.path}`;
      if (OPEN_TO_ALL_USERS.has(key) || ADMIN_OR_RECORD_OWNER.has(key)) continue;
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) => check.params[name] ?? 'x');
      const response = await app.api(route.method, path, {
        portalId: check.attacker.portalId,
        userId: NOT_ADMIN,
        body: check.bodies[key] ?? {},
      });
      if (response.status !== 403) open.push(`${key} answered ${response.status}`);
    }
    expect(open).toEqual([]);
  });

  it("portal A's signed requests neither read nor change portal B's data", async () => {
    const routes = apiRoutes(createApp(app.runtime.ctx));
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /api/privacy/erasures');
    const violations = await findIsolationViolations({ ...check, routes, baseUrl: app.url });
    expect(violations).toEqual([]);
  });

  it('the check fails for a route that forgets its tenant filter', async () => {
    const ctx = app.runtime.ctx;
    const leaky = Router();
    leaky.get('/api/leaky/agents', async (req, res) => {
      trusted(req);
      res.json(await ctx.db.selectFrom('dialer_agents').selectAll().execute());
    });
    leaky.put('/api/leaky/agents/:agentId', async (req: Request, res) => {
      trusted(req);
      await ctx.db
        .updateTable('dialer_agents')
        .set({ mapping_source: 'manual', owner_id: null })
        .where('agent_id', '=', String(req.params.agentId))
        .execute();
      res.json({ ok: true });
    });
    const outer = express();
    outer.use(
      '/api',
      express.json({ verify: (req: Request, _res, buffer) => (req.rawBody = buffer) }),
      requireHubSpotSignature(ctx, 'query'),
    );
    outer.use(leaky);
    const port = await freePort();
    const server = outer.listen(port);
    try {
      const routes = listRoutes(outer);
      expect(routes).toHaveLength(2);
      const violations = await findIsolationViolations({
        ...check,
        routes,
        baseUrl: `http://127.0.0.1:${port}`,
      });
      expect(violations).toEqual([
        expect.stringContaining("GET /api/leaky/agents: answered with the other portal's"),
        "PUT /api/leaky/agents/:agentId: changed the other portal's dialer_agents",
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
