import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signV3 } from './signature.ts';
import { startTestApp, TEST_CLIENT_SECRET, type TestApp } from '../../test/support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ workers: false });
  await app.install(888001);
  app.hubspot.setUser(888001, 5, { superAdmin: true });
  app.hubspot.setUser(888001, 6, { superAdmin: false });
});
afterAll(() => app.stop());

const send = (
  path: string,
  init: {
    method?: string;
    sign?: { secret?: string; path?: string; body?: string; ts?: number };
    body?: string;
    headers?: Record<string, string>;
  },
) => {
  const method = init.method ?? 'GET';
  const ts = init.sign?.ts ?? Date.now();
  const signature = signV3(
    init.sign?.secret ?? TEST_CLIENT_SECRET,
    method,
    `${app.config.publicBaseUrl}${init.sign?.path ?? path}`,
    init.sign?.body ?? init.body ?? '',
    ts,
  );
  return fetch(`${app.url}${path}`, {
    method,
    body: init.body,
    headers: init.headers ?? {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': String(ts),
    },
  });
};

describe('HubSpot-signed API requests', () => {
  it('hands the route the portal and user from the signed URL', async () => {
    const admin = await app.api('GET', '/api/session', { portalId: 888001, userId: 5 });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toMatchObject({
      portalId: 888001,
      userId: 5,
      superAdmin: true,
      installation: { status: 'active' },
    });
    const rep = await app.api('GET', '/api/session', { portalId: 888001, userId: 6 });
    expect(await rep.json()).toMatchObject({ superAdmin: false });
  });

  it.each([
    [
      'a wrong secret',
      () => send('/api/session?portalId=888001&userId=5', { sign: { secret: 'not-the-secret' } }),
    ],
    [
      'a changed body',
      () =>
        send('/api/session?portalId=888001&userId=5', {
          method: 'POST',
          body: '{"a":2}',
          sign: { body: '{"a":1}' },
        }),
    ],
    [
      'another portalId in the query',
      () =>
        send('/api/session?portalId=999999&userId=5', {
          sign: { path: '/api/session?portalId=888001&userId=5' },
        }),
    ],
    [
      'a timestamp older than 5 minutes',
      () =>
        send('/api/session?portalId=888001&userId=5', { sign: { ts: Date.now() - 5 * 60 * 1000 - 1000 } }),
    ],
    ['missing headers', () => send('/api/session?portalId=888001&userId=5', { headers: {} })],
  ])('answers 401 JSON to %s and stores nothing', async (_name, call) => {
    const before = await app.runtime.ctx.db.selectFrom('installations').selectAll().execute();
    const response = await call();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_signature', message: expect.any(String) },
    });
    expect(await app.runtime.ctx.db.selectFrom('installations').selectAll().execute()).toEqual(before);
  });

  it('answers 403 for a portal without an installation', async () => {
    const response = await app.api('GET', '/api/session', { portalId: 123, userId: 5 });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'not_installed' } });
  });
});
