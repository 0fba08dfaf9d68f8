import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverHubSpotEvents, hubSpotEvent } from '../../test/support/hubspot-webhooks.ts';
import {
  eventually,
  startTestApp,
  TEST_CLIENT_SECRET,
  TEST_ENCRYPTION_KEY,
  type TestApp,
} from '../../test/support/test-app.ts';
import { ADMIN, BOB, JANE, portalWithJaneAndBob } from './test-helpers.ts';

const PORTAL = 870001;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
let app: TestApp;
let secrets: string[];

beforeAll(async () => {
  app = await startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
  const { account, jane, installation } = await portalWithJaneAndBob(app, PORTAL);
  const db = app.runtime.ctx.db;
  const tokens = await db
    .selectFrom('installations')
    .select(['access_token_enc', 'refresh_token_enc'])
    .where('id', '=', installation.id)
    .executeTakeFirstOrThrow();
  const connection = await db
    .selectFrom('dialer_connections')
    .select('webhook_secret_enc')
    .where('installation_id', '=', installation.id)
    .executeTakeFirstOrThrow();
  const open = (sealed: string) => app.runtime.ctx.box.decrypt(sealed);
  secrets = [
    TEST_CLIENT_SECRET,
    TEST_ENCRYPTION_KEY,
    account.token,
    open(tokens.access_token_enc!),
    open(tokens.refresh_token_enc!),
    open(connection.webhook_secret_enc),
  ];
  // The rest of a day: HubSpot events carrying an email and a number, the card, an erasure.
  await deliverHubSpotEvents(app, [
    hubSpotEvent(PORTAL, {
      subscriptionType: 'object.propertyChange',
      objectTypeId: '0-1',
      objectId: Number(jane),
      propertyName: 'email',
      propertyValue: JANE.email,
    }),
    hubSpotEvent(PORTAL, {
      subscriptionType: 'object.propertyChange',
      objectTypeId: '0-1',
      objectId: Number(jane),
      propertyName: 'phone',
      propertyValue: JANE.formats[1],
    }),
  ]);
  await app.api('GET', `/api/contacts/${jane}/status`, { portalId: PORTAL, userId: ADMIN });
  await app.api('GET', `/api/activity?phone=${encodeURIComponent(JANE.formats[0]!)}`, {
    portalId: PORTAL,
    userId: ADMIN,
  });
  const erased = await app.api('POST', '/api/privacy/erasures', {
    portalId: PORTAL,
    userId: ADMIN,
    body: { email: JANE.email, phone: JANE.formats[2], deleteInDialer: true, confirm: 'ERASE' },
  });
  expect(erased.status).toBe(200);
  await eventually(async () => {
    const pending = await db
      .selectFrom('hubspot_webhook_inbox')
      .select('id')
      .where('processed_at', 'is', null)
      .execute();
    return pending.length === 0;
  });
}, 180_000);
afterAll(() => app.stop());

describe('the logs of a full day', () => {
  it('hold no token, secret, API key, phone number or email', () => {
    const lines = app.logs.lines;
    expect(lines.length).toBeGreaterThan(20);
    const phones = [...JANE.formats, JANE.e164, JANE.national, BOB.phone, BOB.e164, BOB.e164.slice(3)];
    const leaks = lines.flatMap((line) => [
      ...secrets.filter((secret) => line.includes(secret)).map(() => `secret in: ${line.slice(0, 200)}`),
      ...phones
        .filter((phone) => line.includes(phone))
        .map((phone) => `phone ${phone} in: ${line.slice(0, 200)}`),
      ...(EMAIL.test(line) ? [`email in: ${line.slice(0, 200)}`] : []),
    ]);
    expect(leaks).toEqual([]);
  });
});
