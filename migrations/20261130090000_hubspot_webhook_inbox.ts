import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hubspot_webhook_inbox')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().references('installations.id').onDelete('cascade'),
    )
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('subscription_type', 'text', (col) => col.notNull())
    .addColumn('object_type_id', 'text')
    .addColumn('object_id', 'bigint')
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addUniqueConstraint('hubspot_webhook_inbox_event_uq', ['installation_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('hubspot_webhook_inbox_pending_idx')
    .on('hubspot_webhook_inbox')
    .columns(['installation_id', 'occurred_at', 'id'])
    .where(sql.ref('processed_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('hubspot_webhook_inbox_received_idx')
    .on('hubspot_webhook_inbox')
    .column('received_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hubspot_webhook_inbox').execute();
}
