import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, buildUrl } from '@dialer-sync/ui-shared/api';
import * as schemas from '@dialer-sync/ui-shared/schemas';
import { startTestApp, type TestApp } from '../../backend/test/support/test-app.ts';
import { PENDING_ROUTES } from '../checks/pending-routes.ts';

/**
 * Every route in api.ts's table against the real app: signed like hubspot.fetch, after an install.
 * A route answers anything but the app's own "No such route." 404 — except the ones still listed in
 * checks/pending-routes.ts (being built by other issues). GET answers must parse with the UI's schemas.
 */
const NO_SUCH_ROUTE = { error: { code: 'not_found', message: 'No such route.' } };
const SUPER_ADMIN = 1000; // the simulator's installing user
const GET_SCHEMAS: Partial<Record<keyof typeof ROUTES, { safeParse: (v: unknown) => { success: boolean } }>> =
  {
    session: schemas.sessionSchema,
    setup: schemas.setupSchema,
    getSettings: schemas.settingsSchema,
    activity: schemas.activityPageSchema,
    agents: schemas.agentsSchema,
    owners: schemas.ownersSchema,
    dispositions: schemas.dispositionsSchema,
    outcomes: schemas.outcomesSchema,
    unmatchedCalls: schemas.unmatchedCallsSchema,
    propertyMappings: schemas.propertyMappingsSchema,
    contactProperties: schemas.contactPropertiesSchema,
    syncOperations: schemas.syncOperationsSchema,
  };

let app: TestApp;
let portalId: number;
beforeAll(async () => {
  app = await startTestApp({ workers: false });
  portalId = await app.install();
});
afterAll(() => app?.stop());

describe('the routes the UI calls exist in the backend', () => {
  const entries = Object.entries(ROUTES) as [keyof typeof ROUTES, (typeof ROUTES)[keyof typeof ROUTES]][];
  const live = entries.filter(([, route]) => !PENDING_ROUTES.includes(`${route.method} ${route.path}`));

  it.each(live)('%s answers', async (name, route) => {
    const path = new URL(
      buildUrl(route, {
        callId: 'call-1',
        agentId: 'agent-1',
        dispositionId: 'disp-1',
        contactId: '501',
        dialerField: 'fields.colour',
        operationId: '00000000-0000-4000-8000-000000000000',
      }),
    ).pathname;
    const response = await app.api(route.method, path, {
      portalId,
      userId: SUPER_ADMIN,
      body: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
    });
    const body = await response.json().catch(() => null);
    expect(body, `${route.method} ${route.path}`).not.toEqual(NO_SUCH_ROUTE);
    const schema = GET_SCHEMAS[name];
    if (schema) {
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(schema.safeParse(body).success, JSON.stringify(body)).toBe(true);
    }
  });
});
