import { createDialerClient, type DialerClient } from '../dialer/index.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import type { DialerConnection } from './dialer-connection.table.ts';

export async function findConnection(db: Db, installationId: string): Promise<DialerConnection | undefined> {
  return db
    .selectFrom('dialer_connections')
    .selectAll()
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
}

export async function findConnectionByKey(db: Db, webhookKey: string): Promise<DialerConnection | undefined> {
  return db
    .selectFrom('dialer_connections')
    .selectAll()
    .where('webhook_key', '=', webhookKey)
    .executeTakeFirst();
}

/** The Dialer.io client for a stored connection (the token is unsealed only here). */
export function dialerClientFor(
  ctx: AppContext,
  connection: Pick<DialerConnection, 'api_token_enc'>,
): DialerClient {
  return createDialerClient({
    baseUrl: ctx.config.dialer.apiBaseUrl,
    apiToken: ctx.box.decrypt(connection.api_token_enc),
    fetch: ctx.fetch,
  });
}
