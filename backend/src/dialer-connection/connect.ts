import { DialerApiError, createDialerClient, type DialerClient } from '../dialer/index.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { randomToken } from '../platform/crypto.ts';
import { HttpError, UPSTREAM_FAILED } from '../platform/http-errors.ts';
import { forgetWebhookKey } from './webhook-keys.ts';
import { replaceLists, upsertAgents, upsertDispositions } from './mirror.ts';
import { dialerClientFor } from './dialer-access.ts';
import { findConnection } from './repository.ts';
import type { DialerConnection } from './dialer-connection.table.ts';
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
      UPSTREAM_FAILED,
      'dialer_unavailable',
      `Dialer.io could not be reached (${error.code}). Try again in a minute.`,
    );
  }
  throw error;
}

/**
 * Connects the portal to a Dialer.io account: checks the token, (re)creates our webhook, mirrors
 * agents, dispositions and lists, runs the connection hooks (auto-mapping, re-driving failed calls)
 * and stores token and secret sealed. A bad token stores nothing; connecting again with another
 * token or account replaces the old webhook. Connecting again with the same token while our
 * webhook is active keeps the connection as it is (a replayed request changes nothing).
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
  const kept = await unchangedConnection(ctx, previous, account.id, apiToken, client);
  const row = {
    account_id: account.id,
    account_name: account.name,
    country: account.country.toUpperCase(),
    timezone: account.timezone ?? null,
    ...(kept ? keptFields(kept) : await newWebhook(ctx, installation, previous, apiToken, userId, client)),
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
  if (previous && !kept) forgetWebhookKey(previous.webhook_key);
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

/** The stored connection when this connect repeats it: same account and token, webhook active. */
async function unchangedConnection(
  ctx: AppContext,
  previous: DialerConnection | undefined,
  accountId: string,
  apiToken: string,
  client: DialerClient,
): Promise<DialerConnection | undefined> {
  if (!previous || previous.account_id !== accountId) return undefined;
  if (ctx.box.decrypt(previous.api_token_enc) !== apiToken) return undefined;
  const webhooks = await client.listWebhooks().catch(dialerFailure);
  return webhooks.some((hook) => hook.id === previous.webhook_id && hook.active) ? previous : undefined;
}

function keptFields(kept: DialerConnection) {
  return {
    api_token_enc: kept.api_token_enc,
    webhook_id: kept.webhook_id,
    webhook_secret_enc: kept.webhook_secret_enc,
    webhook_key: kept.webhook_key,
    connected_at: kept.connected_at,
    connected_by_user_id: kept.connected_by_user_id,
  };
}

/** Replaces the previous connection's webhook (if any) with a new one under a new key. */
async function newWebhook(
  ctx: AppContext,
  installation: Installation,
  previous: DialerConnection | undefined,
  apiToken: string,
  userId: number | null,
  client: DialerClient,
) {
  if (previous) await deleteWebhookQuietly(ctx, dialerClientFor(ctx, previous), previous.webhook_id);
  const webhookKey = randomToken(24);
  const webhook = await client
    .createWebhook({
      url: `${ctx.config.publicBaseUrl}/dialer/webhooks/${webhookKey}`,
      events: [...WEBHOOK_EVENTS],
      description: `Dialer Sync for HubSpot (portal ${installation.portal_id})`,
    })
    .catch(dialerFailure);
  return {
    api_token_enc: ctx.box.encrypt(apiToken),
    webhook_id: webhook.id,
    webhook_secret_enc: ctx.box.encrypt(webhook.secret),
    webhook_key: webhookKey,
    connected_at: new Date(),
    connected_by_user_id: userId,
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
