import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { activitySteps } from '../call-logging/test-recovery-setup.ts';
import type { DialerCall } from '../dialer/index.ts';
import { ADMIN, installAndConnect, setMissedCalls, waitForFollowUpIdle } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const inbound = (id: string, from: string, m: number): Partial<DialerCall> => ({
  id,
  direction: 'inbound',
  from_number: from,
  to_number: '+61 2 8000 0000',
  started_at: minutesAgo(m),
});

async function unmatchedCalls(portalId: number, ...seeds: Partial<DialerCall>[]) {
  app = await startTestApp();
  const connected = await installAndConnect(app, portalId);
  await setMissedCalls(app, portalId, { enabled: false });
  for (const seed of seeds)
    app.dialer.emitBatch(
      connected.account.id,
      app.dialer.callLifecycle(connected.account.id, seed, { answered: true }),
    );
  await waitForFollowUpIdle(app, portalId);
  return { ...connected, hs: app.hubspot.portal(portalId) };
}

const contactOf = (id: string) =>
  app!.runtime.ctx.db
    .selectFrom('calls')
    .select('contact_id')
    .where('call_id', '=', id)
    .executeTakeFirstOrThrow()
    .then((r) => r.contact_id);

describe('unmatched calls under faults', () => {
  it('a link HubSpot refuses (its call deleted there) is not recorded as made; the others are', async () => {
    const portal = 560101;
    const { hs } = await unmatchedCalls(
      portal,
      inbound('k-1', '02 9374 3131', 20),
      inbound('k-2', '02 9374 3131', 10),
    );
    const kim = app!.hubspot.addContact(portal, { firstname: 'Kim', lastname: 'Known' });
    const gone = hs.calls.find((c) => c.properties.hs_call_external_id === 'k-2')!;
    gone.archived = true; // deleted in HubSpot: HubSpot answers that one input with an error (207)

    const linked = await app!.api('POST', '/api/calls/k-1/contact', {
      portalId: portal,
      userId: ADMIN,
      body: { contactId: kim },
    });
    expect(linked.status).toBe(200);
    const kept = hs.calls.find((c) => c.properties.hs_call_external_id === 'k-1')!;
    expect(kept.associations.contacts!.map((a) => a.id)).toEqual([kim]);
    expect(await contactOf('k-1')).toBe(kim);
    expect(await contactOf('k-2')).toBeNull();
    const log = (await activitySteps(app!, portal)).filter((a) => a.callId === 'k-2');
    expect(log.map((a) => a.step)).toContain('contact_link_refused');
    expect(log.map((a) => a.step)).not.toContain('contact_matched_late');
  }, 120_000);
});
