import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
const installationId = (col: any) => col.notNull().references('installations.id').onDelete('cascade');

export async function up(db: Kysely<any>): Promise<void> {
  // One row per HubSpot workflow action call: the idempotency key is HubSpot's callbackId.
  await db.schema
    .createTable('workflow_executions')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('callback_id', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('contact_id', 'text', (col) => col.notNull())
    .addColumn('workflow_id', 'text')
    .addColumn('request', 'jsonb')
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('needs_callback', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('output_fields', 'jsonb')
    .addColumn('result', 'text')
    .addColumn('error_code', 'text')
    .addColumn('message', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('callback_state', 'text')
    .addColumn('callback_error', 'text')
    .addColumn('callback_sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workflow_executions_pk', ['installation_id', 'callback_id'])
    .execute();
  await db.schema
    .createIndex('workflow_executions_callbacks_idx')
    .on('workflow_executions')
    .columns(['installation_id', 'updated_at'])
    .where(sql.ref('callback_state'), '=', 'pending')
    .execute();

  // HubSpot contact <-> Dialer.io contact, as the last workflow action left it (for the contact card).
  await db.schema
    .createTable('contact_links')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('contact_id', 'text', (col) => col.notNull())
    .addColumn('dialer_contact_id', 'text')
    .addColumn('phone_e164', 'text')
    .addColumn('lists', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('last_synced_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('contact_links_pk', ['installation_id', 'contact_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_links').execute();
  await db.schema.dropTable('workflow_executions').execute();
}
