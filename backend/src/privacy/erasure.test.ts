import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, pgDump } from '../../test/support/database-dump.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, BOB, JANE, NOT_ADMIN, janeTraces, portalWithJaneAndBob } from './test-helpers.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function dumps(test: TestApp): Promise<string> {
  const logical = await dumpDatabase(test.runtime.ctx.db);
  const physical = test.database.databaseUrl ? await pgDump(test.database.databaseUrl) : null;
  return `${logical}\n${physical ?? ''}`;
}

const erase = (test: TestApp, portalId: number, userId: number, body: unknown) =>
  test.api('POST', '/api/privacy/erasures', { portalId, userId, body });

describe.each([
  { database: 'the configured database', embedded: false },
  { database: 'the embedded default', embedded: true },
])('GDPR erasure on $database', ({ embedded }) => {
  it('by phone: no trace of the person in a dump, the audit row exists, Bob is untouched, non-admins get 403', async () => {
    app = await startTestApp({ embedded, env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
    const portalId = embedded ? 810002 : 810001;
    const { jane, account } = await portalWithJaneAndBob(app, portalId);
    const before = await dumps(app);
    for (const trace of janeTraces().filter((t) => t !== JANE.email.toLowerCase()))
      expect(before, `seeded ${trace}`).toContain(trace);

    const refused = await erase(app, portalId, NOT_ADMIN, { phone: JANE.formats[0], confirm: 'ERASE' });
    expect(refused.status).toBe(403);
    expect(await dumps(app)).toContain(JANE.e164);
    const unconfirmed = await erase(app, portalId, ADMIN, { phone: JANE.formats[0] });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.json()).toMatchObject({ error: { code: 'invalid_request' } });

    const response = await erase(app, portalId, ADMIN, {
      phone: '+61 (2) 9374 4000',
      deleteInDialer: true,
      confirm: 'ERASE',
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { counts: Record<string, number>; dialerDeletion: string };
    expect(result.counts).toMatchObject({ calls: 3, contactLinks: 1, workflowRequests: 1 });
    expect(result.dialerDeletion).toBe('deleted');
    expect(app.dialer.contact(account.id, jane)).toBeUndefined();

    const after = await dumps(app);
    for (const trace of janeTraces()) expect(after, `left ${trace}`).not.toContain(trace);
    expect(after).toContain(BOB.e164);
    expect(after).toContain(BOB.email);
    const bobCall = await app.runtime.ctx.db
      .selectFrom('calls')
      .select('call_id')
      .where('call_id', '=', `bob-${portalId}`)
      .execute();
    expect(bobCall).toHaveLength(1);

    const audit = await app.api('GET', '/api/privacy/erasures', { portalId, userId: NOT_ADMIN });
    expect(audit.status).toBe(200);
    const { items } = (await audit.json()) as { items: { requestedBy: string; counts: object }[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ requestedBy: `HubSpot user ${ADMIN}`, counts: result.counts });
  }, 120_000);

  it('by email: the person goes, with the calls of the contact the email belonged to', async () => {
    app = await startTestApp({ embedded, env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });
    const portalId = embedded ? 810004 : 810003;
    await portalWithJaneAndBob(app, portalId);
    const response = await erase(app, portalId, ADMIN, { email: JANE.email.toUpperCase(), confirm: 'ERASE' });
    expect(response.status).toBe(200);
    const after = await dumps(app);
    for (const trace of janeTraces()) expect(after, `left ${trace}`).not.toContain(trace);
    expect(after).toContain(BOB.e164);
    expect(after).toContain(BOB.email);
  }, 120_000);
});
