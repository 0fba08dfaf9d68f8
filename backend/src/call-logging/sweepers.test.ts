import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type TestApp } from '../../test/support/test-app.ts';
import { checkWebhook, webhookHealth } from '../dialer-connection/webhook-health.ts';
import { callSweep } from './sweeper.ts';
import { ADMIN, installAndConnect, waitForSyncIdle } from './test-setup.ts';
import { activitySteps, callStates, hubspotCallCounts, startRecoveryApp } from './test-recovery-setup.ts';

// Finding 5 of issue 9: nothing waits forever, and a disabled Dialer.io webhook is noticed by itself.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const jobContext = (test: TestApp) => ({
  jobId: 'test',
  attempt: 1,
  isFinalAttempt: false,
  logger: test.runtime.ctx.logger,
  signal: new AbortController().signal,
});

describe('sweepers', { timeout: 120_000 }, () => {
  it('a call with no final event is logged with what is known after the limit, flagged, and updated when the end comes', async () => {
    app = await startRecoveryApp({ env: { CALL_WAITING_LIMIT_MS: '1000' } });
    const { account } = await installAndConnect(app, 540001);
    const [started, ...rest] = app.dialer.callLifecycle(account.id, { id: 'stuck' }, { answered: true });
    app.dialer.emitBatch(account.id, [started!]);
    await waitForSyncIdle(app, 540001);
    expect(await callStates(app, 540001)).toEqual({ stuck: 'waiting' });
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    await callSweep(app.runtime.ctx).definition.handle({}, jobContext(app));
    await eventually(() => hubspotCallCounts(app!, 540001).get('stuck') === 1);
    const logged = app.hubspot.portal(540001).calls[0]!;
    expect(logged.properties.hs_call_body).toContain('Dialer.io never reported the end of this call');
    const flagged = (await activitySteps(app, 540001)).find((a) => a.step === 'call_incomplete');
    expect(flagged?.level).toBe('warning');

    app.dialer.emitBatch(account.id, rest); // the end arrives after all
    await waitForSyncIdle(app, 540001);
    await eventually(() => app!.hubspot.portal(540001).calls[0]!.properties.hs_call_status === 'COMPLETED');
    expect(hubspotCallCounts(app, 540001).get('stuck')).toBe(1);
    expect(app.hubspot.portal(540001).calls[0]!.properties.hs_call_body).not.toContain('never reported');
  });

  it('a webhook Dialer.io disabled is re-created within one check, and the checklist shows it', async () => {
    app = await startRecoveryApp({ workers: false });
    const { account } = await installAndConnect(app, 540002);
    const [hook] = app.dialer.account(account.id).webhooks;
    app.dialer.disableWebhook(account.id, hook!.id);

    await webhookHealth(app.runtime.ctx).definition.handle({}, jobContext(app));
    const hooks = app.dialer.account(account.id).webhooks;
    expect(hooks.filter((h) => h.active)).toHaveLength(1);
    const connection = await app.runtime.ctx.db
      .selectFrom('dialer_connections')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(connection.webhook_id).toBe(hooks.find((h) => h.active)!.id);
    const setup = (await (
      await app.api('GET', '/api/setup', { portalId: 540002, userId: ADMIN })
    ).json()) as {
      webhook: { active: boolean; recreatedAt: string | null; problem: string | null };
    };
    expect(setup.webhook).toMatchObject({ active: true, problem: 'Dialer.io had disabled the webhook' });
    expect(setup.webhook.recreatedAt).not.toBeNull();
    expect((await activitySteps(app, 540002)).map((a) => a.step)).toContain('webhook_recreated');

    // The new webhook's deliveries are accepted (the new secret is used at once).
    expect(await checkWebhook(app.runtime.ctx, connection)).toBe('healthy');
    app.dialer.emitBatch(account.id, app.dialer.callLifecycle(account.id, { id: 'after-recreate' }, {}));
    await app.dialer.waitForDeliveries();
    const inbox = await app.runtime.ctx.db.selectFrom('webhook_inbox').select('call_id').execute();
    expect(inbox.map((row) => row.call_id)).toContain('after-recreate');
  });
});
