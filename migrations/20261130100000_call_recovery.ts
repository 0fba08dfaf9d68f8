import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
// Issue 9: the portal's call pipeline gets a claim (fencing) and a pause (portal-level failures);
// calls remember what we last sent and whether they were written incomplete; the Dialer.io
// webhook's health is kept on the connection; a refused workflow callback completion is retried.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('call_sync_portals')
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().primaryKey().references('installations.id').onDelete('cascade'),
    )
    .addColumn('claim_token', 'text')
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('paused_code', 'text')
    .addColumn('paused_reason', 'text')
    .addColumn('paused_since', 'timestamptz')
    .addColumn('pause_attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('resume_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable('calls')
    .addColumn('incomplete', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable('calls').addColumn('failed_at', 'timestamptz').execute();
  await db.schema
    .alterTable('calls')
    .addColumn('lost_searches', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await db.schema.alterTable('dialer_connections').addColumn('webhook_checked_at', 'timestamptz').execute();
  await db.schema.alterTable('dialer_connections').addColumn('webhook_recreated_at', 'timestamptz').execute();
  await db.schema.alterTable('dialer_connections').addColumn('webhook_problem', 'text').execute();

  await db.schema
    .alterTable('workflow_executions')
    .addColumn('callback_attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('workflow_executions').addColumn('callback_retry_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['callback_retry_at', 'callback_attempts'])
    await db.schema.alterTable('workflow_executions').dropColumn(column).execute();
  for (const column of ['webhook_problem', 'webhook_recreated_at', 'webhook_checked_at'])
    await db.schema.alterTable('dialer_connections').dropColumn(column).execute();
  for (const column of ['lost_searches', 'failed_at', 'incomplete'])
    await db.schema.alterTable('calls').dropColumn(column).execute();
  await db.schema.dropTable('call_sync_portals').execute();
}
