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
