import { DialerApiError } from '../dialer/index.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { isDebugMode } from '../settings/repository.ts';
import { dialerClientFor } from './dialer-access.ts';
import { findConnection } from './repository.ts';
import type { ConnectionHooks } from './hooks.ts';

async function countMapped(
  ctx: AppContext,
  table: 'dialer_agents' | 'dialer_dispositions',
  installationId: string,
) {
  const row = await ctx.db
    .selectFrom(table)
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('mapping_source').filterWhere('mapping_source', '!=', 'none').as('mapped'),
    ])
    .where('installation_id', '=', installationId)
    .executeTakeFirstOrThrow();
  return { mapped: Number(row.mapped), total: Number(row.total) };
}

/** What the settings page shows first: what works, and what to do next. */
export async function setupChecklist(ctx: AppContext, installation: Installation, hooks: ConnectionHooks) {
  const connection = await findConnection(ctx.db, installation.id);
  let webhookActive = false;
  let tokenRejected = false;
  if (connection) {
    try {
      const hooks = await dialerClientFor(ctx, connection).listWebhooks();
      webhookActive = hooks.some((hook) => hook.id === connection.webhook_id && hook.active);
    } catch (error) {
      tokenRejected = error instanceof DialerApiError && error.code === 'invalid_token';
      ctx.logger.warn({ err: error }, 'could not read Dialer.io webhooks for the checklist');
    }
  }
  const sections = Object.fromEntries(
    await Promise.all(
      Object.entries(hooks.checklist).map(async ([name, section]) => [
        name,
        await section(ctx, installation.id),
      ]),
    ),
  );
  const lastEvent = await ctx.db
    .selectFrom('webhook_inbox')
    .select((eb) => eb.fn.max('received_at').as('at'))
    .where('installation_id', '=', installation.id)
    .executeTakeFirst();
  return {
    hubspot: { connected: installation.status === 'active', portalId: installation.portal_id },
    dialer: connection
      ? {
          connected: true,
          accountName: connection.account_name,
          country: connection.country,
          // Dialer.io refuses the stored token: calls still land, the admin should reconnect.
          tokenRejected,
        }
      : { connected: false },
    webhook: {
      active: webhookActive,
      recreatedAt: connection?.webhook_recreated_at
        ? new Date(connection.webhook_recreated_at).toISOString()
        : null,
      problem: connection?.webhook_problem ?? null,
    },
    ...sections,
    lastEventAt: lastEvent?.at ? new Date(lastEvent.at).toISOString() : null,
    agents: await countMapped(ctx, 'dialer_agents', installation.id),
    dispositions: await countMapped(ctx, 'dialer_dispositions', installation.id),
    debugMode: await isDebugMode(ctx.db, installation.id),
  };
}
