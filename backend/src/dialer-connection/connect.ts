import { DialerApiError, createDialerClient, type DialerClient } from '../dialer/index.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { randomToken } from '../platform/crypto.ts';
import { HttpError } from '../platform/http-errors.ts';
import { forgetWebhookKey } from './webhook-keys.ts';
import { replaceLists, upsertAgents, upsertDispositions } from './mirror.ts';
import { dialerClientFor } from './dialer-access.ts';
import { findConnection } from './repository.ts';
import type { ConnectionHooks } from './hooks.ts';

export const WEBHOOK_EVENTS = [
  'call.started',
  'call.answered',
  'call.ended',
  'call.dispositioned',
  'contact.updated',
  'agent.updated',
  'call.recording_ready',
  'call.transcribed',
  'call.recording_deleted',
] as const;

function dialerFailure(error: unknown): never {
  if (error instanceof DialerApiError && error.code === 'invalid_token') {
    throw new HttpError(
      400,
      'dialer_token_invalid',
      'Dialer.io did not accept this API token. Create a token in Dialer.io under Settings → Integrations → API Tokens and paste it here.',
    );
  }
  if (error instanceof DialerApiError) {
    throw new HttpError(
      502,
      'dialer_unavailable',
      `Dialer.io could not be reached (${error.code}). Try again in a minute.`,
    );
  }
  throw error;
}

/**
 * Connects the portal to a Dialer.io account: checks the token, (re)creates our webhook, mirrors
 * agents, dispositions and lists, runs the connection hooks (auto-mapping, re-driving failed calls)
 * and stores token and secret sealed. A bad token
 * stores nothing; connecting again replaces the old webhook.
 */
export async function connectDialer(
  ctx: AppContext,
  installation: Installation,
  apiToken: string,
  userId: number | null,
  hooks: ConnectionHooks,
) {
  const client = createDialerClient({ baseUrl: ctx.config.dialer.apiBaseUrl, apiToken, fetch: ctx.fetch });
  const account = await client.getAccount().catch(dialerFailure);
  const [agents, dispositions, lists] = await Promise.all([
    client.listAgents(),
    client.listDispositions(),
    client.listLists(),
  ]).catch(dialerFailure);
  const previous = await findConnection(ctx.db, installation.id);
  if (previous) await deleteWebhookQuietly(ctx, dialerClientFor(ctx, previous), previous.webhook_id);

  const webhookKey = randomToken(24);
  const webhook = await client
    .createWebhook({
      url: `${ctx.config.publicBaseUrl}/dialer/webhooks/${webhookKey}`,
      events: [...WEBHOOK_EVENTS],
      description: `Dialer Sync for HubSpot (portal ${installation.portal_id})`,
    })
    .catch(dialerFailure);

  const row = {
    account_id: account.id,
    account_name: account.name,
    country: account.country.toUpperCase(),
    timezone: account.timezone ?? null,
    api_token_enc: ctx.box.encrypt(apiToken),
    webhook_id: webhook.id,
    webhook_secret_enc: ctx.box.encrypt(webhook.secret),
    webhook_key: webhookKey,
    connected_at: new Date(),
    connected_by_user_id: userId,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('dialer_connections')
      .values({ installation_id: installation.id, ...row })
      .onConflict((oc) => oc.column('installation_id').doUpdateSet(row))
      .execute();
    await upsertAgents(trx, installation.id, agents);
    await upsertDispositions(trx, installation.id, dispositions);
    await replaceLists(trx, installation.id, lists);
    for (const onConnected of hooks.onConnected) await onConnected(ctx, trx, installation.id);
  });
  if (previous) forgetWebhookKey(previous.webhook_key);
  ctx.logger.info({ installationId: installation.id, accountId: account.id }, 'Dialer.io connected');
  return {
    accountId: account.id,
    accountName: account.name,
    country: row.country,
    agents: agents.length,
    dispositions: dispositions.length,
    lists: lists.length,
  };
}

/** Deletes our webhook in Dialer.io and forgets the token and secret. */
export async function disconnectDialer(ctx: AppContext, installation: Installation): Promise<boolean> {
  const connection = await findConnection(ctx.db, installation.id);
  if (!connection) return false;
  await deleteWebhookQuietly(ctx, dialerClientFor(ctx, connection), connection.webhook_id);
  await ctx.db.deleteFrom('dialer_connections').where('installation_id', '=', installation.id).execute();
  forgetWebhookKey(connection.webhook_key);
  ctx.logger.info({ installationId: installation.id }, 'Dialer.io disconnected');
  return true;
}

async function deleteWebhookQuietly(ctx: AppContext, client: DialerClient, webhookId: string): Promise<void> {
  try {
    await client.deleteWebhook(webhookId);
  } catch (error) {
    // A revoked token or an outage must not keep the customer connected against their will.
    ctx.logger.warn({ err: error, webhookId }, 'could not delete the Dialer.io webhook');
  }
}
