import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import { ADMIN, installAndConnect, waitForSyncIdle } from '../call-logging/test-setup.ts';
import {
  activitySteps,
  callStates,
  hubspotCallCounts,
  startRecoveryApp,
} from '../call-logging/test-recovery-setup.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('POST /api/activity/calls/retry-failed', { timeout: 120_000 }, () => {
  it('a super admin sends every failed call back to the queue; others get 403 and change nothing', async () => {
    app = await startRecoveryApp();
    const { account } = await installAndConnect(app, 590001);
    app.hubspot.setUser(590001, 7, { superAdmin: false });
    // HubSpot refuses the batch, then each half: both calls fail for themselves.
    app.hubspot.failNext(3, { status: 400, pathPrefix: '/crm/objects/2026-03/calls/batch/create' });
    app.dialer.emitBatch(account.id, [
      ...app.dialer.callLifecycle(account.id, { id: 'rf-1' }, {}),
      ...app.dialer.callLifecycle(account.id, { id: 'rf-2' }, {}),
    ]);
    await waitForSyncIdle(app, 590001);
    await eventually(async () => Object.values(await callStates(app!, 590001)).every((s) => s === 'failed'));
    expect(Object.keys(await callStates(app, 590001)).sort()).toEqual(['rf-1', 'rf-2']);

    const refused = await app.api('POST', '/api/activity/calls/retry-failed', {
      portalId: 590001,
      userId: 7,
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'super_admin_required' } });
    const badBody = await app.api('POST', '/api/activity/calls/retry-failed', {
      portalId: 590001,
      userId: ADMIN,
      body: { everything: true },
    });
    expect(badBody.status).toBe(400);
    expect(Object.values(await callStates(app, 590001))).toEqual(['failed', 'failed']);

    const retried = await app.api('POST', '/api/activity/calls/retry-failed', {
      portalId: 590001,
      userId: ADMIN,
    });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ retried: 2 });
    await waitForSyncIdle(app, 590001);
    await eventually(() => hubspotCallCounts(app!, 590001).size === 2);
    expect([...hubspotCallCounts(app, 590001).values()]).toEqual([1, 1]);
    const steps = (await activitySteps(app, 590001)).map((a) => a.step);
    expect(steps.filter((s) => s === 'retry_requested')).toHaveLength(2);

    const again = await app.api('POST', '/api/activity/calls/retry-failed', {
      portalId: 590001,
      userId: ADMIN,
    });
    expect(await again.json()).toEqual({ retried: 0 });
  });
});
