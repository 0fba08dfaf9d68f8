import { recordActivity } from '../activity/record.ts';
import { DialerApiError } from '../dialer/index.ts';
import type { AppContext } from '../platform/context.ts';
import { recurringJob } from '../platform/recurring-job.ts';
import { WEBHOOK_EVENTS } from './connect.ts';
import { dialerClientFor } from './dialer-access.ts';
import type { DialerConnection } from './dialer-connection.table.ts';
import { forgetWebhookKey } from './webhook-keys.ts';

export const WEBHOOK_CHECK_EVERY_SECONDS = 15 * 60;

/** `dialer-connection.webhook-health`, every 15 minutes: each connected portal's webhook is checked. */
export function webhookHealth(ctx: AppContext) {
  return recurringJob(ctx, {
    name: 'dialer-connection.webhook-health',
    everySeconds: WEBHOOK_CHECK_EVERY_SECONDS,
    async handle() {
      const connections = await ctx.db
        .selectFrom('dialer_connections as d')
        .innerJoin('installations as i', 'i.id', 'd.installation_id')
        .selectAll('d')
        .where('i.status', '=', 'active')
        .execute();
      for (const connection of connections) await checkWebhook(ctx, connection);
    },
  });
}

/**
 * Dialer.io disables a webhook after 24 h of failed deliveries or a 410: the portal would receive
 * no call at all. A missing or inactive webhook is re-created (same URL, new secret) and noted on
 * the connection (the setup checklist shows it) and in the activity log. Returns what it did.
 */
export async function checkWebhook(
  ctx: AppContext,
  connection: DialerConnection,
): Promise<'healthy' | 'recreated' | 'unreachable'> {
  const installationId = connection.installation_id;
  const client = dialerClientFor(ctx, connection);
  try {
    const hooks = await client.listWebhooks();
    const ours = hooks.find((hook) => hook.id === connection.webhook_id);
    const lacking = WEBHOOK_EVENTS.filter((event) => !ours?.events.includes(event));
    if (ours?.active && lacking.length === 0) {
      await note(ctx, installationId, { webhook_problem: null });
      return 'healthy';
    }
    const problem = !ours
      ? 'the webhook was deleted in Dialer.io'
      : ours.active
        ? `the webhook lacked newer events (${lacking.join(', ')})`
        : 'Dialer.io had disabled the webhook';
    const created = await client.createWebhook({
      url: `${ctx.config.publicBaseUrl}/dialer/webhooks/${connection.webhook_key}`,
      events: [...WEBHOOK_EVENTS],
      description: 'Dialer Sync for HubSpot (re-created)',
    });
    if (ours) await client.deleteWebhook(ours.id).catch(() => false);
    await note(ctx, installationId, {
      webhook_id: created.id,
      webhook_secret_enc: ctx.box.encrypt(created.secret),
      webhook_recreated_at: new Date(ctx.now()),
      webhook_problem: problem,
    });
    forgetWebhookKey(connection.webhook_key);
    await recordActivity(ctx.db, installationId, [
      {
        level: 'warning',
        step: 'webhook_recreated',
        message: `${problem[0]!.toUpperCase()}${problem.slice(1)}: Dialer Sync created it again. Calls Dialer.io could not deliver meanwhile may be missing.`,
      },
    ]);
    return 'recreated';
  } catch (error) {
    const problem =
      error instanceof DialerApiError && error.code === 'invalid_token'
        ? 'Dialer.io refuses the API token: the webhook cannot be checked. Connect Dialer.io again.'
        : `Dialer.io could not be reached to check the webhook (${(error as Error).message}).`;
    await note(ctx, installationId, { webhook_problem: problem });
    return 'unreachable';
  }
}

async function note(
  ctx: AppContext,
  installationId: string,
  values: Partial<
    Pick<DialerConnection, 'webhook_id' | 'webhook_secret_enc' | 'webhook_recreated_at' | 'webhook_problem'>
  >,
) {
  await ctx.db
    .updateTable('dialer_connections')
    .set({ ...values, webhook_checked_at: new Date(ctx.now()) })
    .where('installation_id', '=', installationId)
    .execute();
}
