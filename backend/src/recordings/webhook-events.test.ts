import { afterEach, describe, expect, it } from 'vitest';
import { inlineJobContext } from '../../test/support/inline-job.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { installAndConnect } from '../call-logging/test-setup.ts';
import { WEBHOOK_EVENTS } from '../dialer-connection/connect.ts';
import { webhookHealth } from '../dialer-connection/webhook-health.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const OLD_EVENTS = ['call.started', 'call.answered', 'call.ended', 'call.dispositioned', 'contact.updated'];

describe('the webhook of a connection made before recordings', { timeout: 120_000 }, () => {
  it('gains the recording events at the next health check, without reconnecting', async () => {
    app = await startTestApp({ workers: false });
    const { account } = await installAndConnect(app, 560001);
    // As connected before issue 19: a webhook without the recording events.
    const created = await fetch(`${app.dialer.url}/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${app.url}/dialer/webhooks/x`, events: OLD_EVENTS }),
    });
    const old = (await created.json()) as { id: string };
    const db = app.runtime.ctx.db;
    await db.updateTable('dialer_connections').set({ webhook_id: old.id }).execute();

    await webhookHealth(app.runtime.ctx).definition.handle({}, inlineJobContext(app.runtime.ctx.logger));
    const connection = await db.selectFrom('dialer_connections').selectAll().executeTakeFirstOrThrow();
    const hook = app.dialer.account(account.id).webhooks.find((h) => h.id === connection.webhook_id)!;
    expect(hook.id).not.toBe(old.id);
    expect(hook.events).toEqual(expect.arrayContaining([...WEBHOOK_EVENTS]));
    expect(app.dialer.account(account.id).webhooks.some((h) => h.id === old.id)).toBe(false);
    expect(connection.webhook_problem).toContain('call.recording_ready');
  });
});
