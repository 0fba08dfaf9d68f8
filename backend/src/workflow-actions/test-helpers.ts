import { seedDialerConnection } from '../../test/support/dialer-fixtures.ts';
import { hubspotSignedFetch } from '../../test/support/hubspot-signing.ts';
import { TEST_CLIENT_SECRET, type TestApp } from '../../test/support/test-app.ts';
import { WORKFLOW_ACTION_PATHS } from './routes.ts';

// Shared by the workflow action tests: a portal with Dialer.io connected, and calls signed as HubSpot does.

export const DEFAULT_PROPERTIES = {
  phone: '(415) 555-0100',
  mobilephone: '',
  email: 'ada@example.com',
  firstname: 'Ada',
  lastname: 'Lovelace',
  company: 'Analytical Engines',
  hubspot_owner_id: '',
};

export async function connectedPortal(app: TestApp, portalId: number) {
  await app.install(portalId);
  const seeded = await seedDialerConnection(app, portalId);
  const hot = app.dialer.addList(seeded.accountId, { name: 'Hot leads' });
  const cold = app.dialer.addList(seeded.accountId, { name: 'Cold leads', kind: 'campaign' });
  const archived = app.dialer.addList(seeded.accountId, { name: 'Old campaign', archived: true });
  return { ...seeded, lists: { hot, cold, archived } };
}

let sequence = 0;

export function actionCall(
  portalId: number,
  input: {
    callbackId?: string;
    contactId?: number;
    inputFields: Record<string, unknown>;
    properties?: Record<string, string | null>;
  },
) {
  return {
    callbackId: input.callbackId ?? `ap-${portalId}-${Date.now()}-${++sequence}`,
    origin: { portalId, actionDefinitionId: 77, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: 9001 },
    object: {
      objectId: input.contactId ?? 501,
      objectType: 'CONTACT',
      properties: input.properties ?? DEFAULT_PROPERTIES,
    },
    inputFields: input.inputFields,
  };
}

type Path = keyof typeof WORKFLOW_ACTION_PATHS;

/** POSTs a body signed (v3) over the public URL, as HubSpot's workflow engine does. */
export function postSigned(app: TestApp, path: Path, body: unknown): Promise<Response> {
  return hubspotSignedFetch(app.url, {
    method: 'POST',
    path: WORKFLOW_ACTION_PATHS[path],
    body,
    secret: TEST_CLIENT_SECRET,
    publicBaseUrl: app.config.publicBaseUrl,
  });
}

export async function callAction(
  app: TestApp,
  path: 'addToList' | 'removeFromList',
  body: unknown,
): Promise<{ status: number; outputFields: Record<string, string> }> {
  const response = await postSigned(app, path, body);
  const json = (await response.json()) as { outputFields: Record<string, string> };
  return { status: response.status, outputFields: json.outputFields };
}

/** Requests that change something in Dialer.io. */
export function dialerWrites(app: TestApp) {
  return app.dialer.requests.filter((r) => r.method !== 'GET');
}
