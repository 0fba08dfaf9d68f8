import { afterEach, describe, expect, it } from 'vitest';
import { deliverHubSpotEvents, hubSpotEvent } from '../../test/support/hubspot-webhooks.ts';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { DialerCall } from '../dialer/index.ts';
import { matchSweepJob } from './job-specs.ts';
import { installAndConnect, installationId, setMissedCalls, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const missed = (id: string, from: string, m: number): Partial<DialerCall> => ({
  id,
  direction: 'inbound',
  status: 'missed',
  from_number: from,
  to_number: '+61 2 8000 0000',
  started_at: minutesAgo(m),
  agent: null,
});

async function unknownCallerWithTask(portalId: number) {
  app = await startTestApp();
  const { account, owner } = await installAndConnect(app, portalId);
  await setMissedCalls(app, portalId, { fallbackOwnerId: owner.id });
  app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, missed('late-1', '02 9374 7777', 5)));
  await waitForFollowUpIdle(app, portalId);
  const hs = app.hubspot.portal(portalId);
  expect(hs.calls[0]!.associations.contacts).toBeUndefined();
  expect(hs.tasks).toHaveLength(1);
  expect(hs.tasks[0]!.associations.contacts).toBeUndefined();
  return { account, hs };
}

/** The call, its rollups and its open task all moved to the contact. */
async function expectFollowedContact(portalId: number, contactId: string) {
  const hs = app!.hubspot.portal(portalId);
  const ids = (assoc: { id: string }[] | undefined) => (assoc ?? []).map((a) => a.id).join(',');
  await eventually(
    () =>
      ids(hs.calls[0]!.associations.contacts) === contactId &&
      ids(hs.tasks[0]!.associations.contacts) === contactId &&
      hs.contact(contactId)!.properties.dialer_sync_total_inbound_calls === '1',
    30_000,
  );
  await waitForFollowUpIdle(app!, portalId);
  expect(hs.tasks).toHaveLength(1);
  expect(hs.contact(contactId)!.properties).toMatchObject({
    dialer_sync_total_inbound_calls: '1',
    dialer_sync_last_inbound_call_disposition: 'missed',
  });
  const row = await app!.runtime.ctx.db
    .selectFrom('calls')
    .select('contact_id')
    .where('call_id', '=', 'late-1')
    .executeTakeFirstOrThrow();
  expect(row.contact_id).toBe(contactId);
}

describe('unknown callers matched late', () => {
  it('a contact created later in HubSpot (object.creation delivery) gains the call, its rollups and its task', async () => {
    await unknownCallerWithTask(550001);
    const contactId = app!.hubspot.addContact(550001, {
      firstname: 'Lara',
      lastname: 'Late',
      phone: '+61293747777',
    });
    const response = await deliverHubSpotEvents(app!, [
      hubSpotEvent(550001, {
        subscriptionType: 'object.creation',
        objectTypeId: '0-1',
        objectId: Number(contactId),
      }),
    ]);
    expect(response.status).toBe(200);
    await expectFollowedContact(550001, contactId);
  }, 120_000);

  it('the same through the hourly sweep alone, with one batched search', async () => {
    await unknownCallerWithTask(550002);
    const contactId = app!.hubspot.addContact(550002, {
      firstname: 'Sid',
      lastname: 'Sweep',
      mobilephone: '+61 2 9374 7777',
    });
    app!.hubspot.clearRequests();
    const id = await installationId(app!, 550002);
    await app!.runtime.ctx.queue.send(matchSweepJob, { installationId: id }, { singletonKey: id });
    await expectFollowedContact(550002, contactId);
    expect(app!.hubspot.requestsTo('POST', '/crm/objects/2026-03/contacts/search')).toHaveLength(1);
  }, 120_000);

  it('a phone number added to an existing contact (object.propertyChange delivery)', async () => {
    await unknownCallerWithTask(550003);
    const contactId = app!.hubspot.addContact(550003, { firstname: 'Pia', lastname: 'Phone' });
    app!.hubspot.portal(550003).contact(contactId)!.properties.phone = '+61293747777';
    await deliverHubSpotEvents(app!, [
      hubSpotEvent(550003, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        objectId: Number(contactId),
        propertyName: 'phone',
        propertyValue: '+61293747777',
      }),
    ]);
    await expectFollowedContact(550003, contactId);
  }, 120_000);

  it("a later Dialer.io event that carries the contact's external_id", async () => {
    const { account } = await unknownCallerWithTask(550004);
    const contactId = app!.hubspot.addContact(550004, { firstname: 'Ed', lastname: 'External' });
    const later = app!.dialer.callLifecycle(
      account.id,
      {
        ...missed('late-1', '02 9374 7777', 5),
        contact: { id: 'dc_1', external_id: contactId },
        notes: 'called back',
      },
      {},
    );
    app!.dialer.emitBatch(account.id, [later.at(-1)!]);
    await eventually(
      () => (app!.hubspot.portal(550004).calls[0]!.associations.contacts ?? []).length > 0,
      30_000,
    );
    await waitForFollowUpIdle(app!, 550004);
    const hs = app!.hubspot.portal(550004);
    expect(hs.calls[0]!.associations.contacts!.map((a) => a.id)).toEqual([contactId]);
    expect(hs.contact(contactId)!.properties.dialer_sync_total_inbound_calls).toBe('1');
  }, 120_000);
});
