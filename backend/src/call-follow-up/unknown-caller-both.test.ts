import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, installAndConnect, setMissedCalls, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

describe('missed-call tasks: an unknown number when contact sync may create contacts', () => {
  it('creation "both": a new non-marketing contact with the number, the call on it, a task on it for the fallback owner', async () => {
    app = await startTestApp();
    const { account, owner } = await installAndConnect(app, 540005);
    await setMissedCalls(app, 540005, { fallbackOwnerId: owner.id });
    const set = await app.api('PATCH', '/api/settings', {
      portalId: 540005,
      userId: ADMIN,
      body: { contactSync: { creation: 'both' } },
    });
    expect(set.status).toBe(200);
    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(account.id, {
        id: 'both-1',
        direction: 'inbound',
        status: 'missed',
        from_number: '02 9374 8888',
        to_number: '+61 2 8000 0000',
        started_at: minutesAgo(5),
        agent: null,
      }),
    );
    await waitForFollowUpIdle(app, 540005);
    const hs = app.hubspot.portal(540005);
    expect(hs.contacts).toHaveLength(1);
    const contact = hs.contacts[0]!;
    expect(contact.properties).toMatchObject({ phone: '+61293748888', hs_marketable_status: 'false' });
    expect(hs.calls[0]!.associations.contacts!.map((a) => a.id)).toEqual([contact.id]);
    expect(hs.tasks).toHaveLength(1);
    expect(hs.tasks[0]!.properties).toMatchObject({
      hs_task_subject: 'Call back +61293748888',
      hubspot_owner_id: owner.id,
    });
    expect(hs.tasks[0]!.associations.contacts!.map((a) => a.id)).toEqual([contact.id]);
    expect(contact.properties.dialer_sync_total_inbound_calls).toBe('1');
  }, 120_000);
});
