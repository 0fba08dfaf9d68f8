import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { installAndConnect, waitForSyncIdle } from '../call-logging/test-setup.ts';
import { mappingRefreshJob, refreshSweepJob } from './job-specs.ts';
import {
  activity,
  agents,
  dispositions,
  hubspotCall,
  installationId,
  waitForBackfill,
} from './test-helpers.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const start = () => startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });

async function queuedSweeps(app: TestApp) {
  const jobs = await app.runtime.ctx.queue.raw.findJobs(refreshSweepJob.name);
  return jobs.filter((job) => job.state === 'created');
}

describe('hourly mapping refresh', () => {
  it('is scheduled an hour ahead at start, once, and refreshes every connected portal', async () => {
    app = await start();
    const [scheduled] = await queuedSweeps(app);
    expect(scheduled).toMatchObject({ singletonKey: 'hourly' });
    expect(new Date(scheduled!.startAfter).getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);

    const portal = 540001;
    const { account, stranger } = await installAndConnect(app, portal);
    const sam = { id: stranger.id, name: stranger.name, email: stranger.email };
    app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, { id: 'h-1', agent: sam }, {}));
    await waitForSyncIdle(app, portal);
    const samOwner = app.hubspot.addOwner(portal, { email: 'sam@elsewhere.example', userId: 902 });
    const noAnswer = app.dialer.addDisposition(account.id, { name: 'No-Answer', category: 'not_connected' });

    // What the scheduled sweep does when its hour comes (sent now, without the schedule's key).
    await app.runtime.ctx.queue.send(refreshSweepJob, {});
    await eventually(async () => {
      const sam = (await agents(app!, portal)).find((a) => a.agentId === stranger.id);
      return sam?.ownerId === samOwner.id;
    }, 15_000);
    await waitForBackfill(app, portal);
    expect(hubspotCall(app, portal, 'h-1').properties.hubspot_owner_id).toBe(samOwner.id);
    expect((await dispositions(app, portal)).find((d) => d.dispositionId === noAnswer.id)).toMatchObject({
      outcomeLabel: 'No answer',
      mappingSource: 'auto',
    });
    // The chain is not duplicated: still exactly one sweep waiting for the next hour.
    expect(await queuedSweeps(app)).toHaveLength(1);
  });

  it('records a revoked Dialer.io token in the activity log instead of retrying, and keeps the mappings', async () => {
    app = await start();
    const portal = 540002;
    const { account, agent } = await installAndConnect(app, portal);
    app.dialer.revokeToken(account.token);
    const key = await installationId(app, portal);
    await app.runtime.ctx.queue.send(mappingRefreshJob, { installationId: key }, { singletonKey: key });
    await eventually(async () =>
      (await activity(app!, portal)).some((e) => e.step === 'mapping_refresh_failed'),
    );
    const entry = (await activity(app, portal)).find((e) => e.step === 'mapping_refresh_failed')!;
    expect(entry).toMatchObject({ level: 'warning' });
    expect(entry.message).toContain('Reconnect Dialer.io');
    expect((await agents(app, portal)).find((a) => a.agentId === agent.id)).toMatchObject({
      state: 'mapped',
    });
  });
});
