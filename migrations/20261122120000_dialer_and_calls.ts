import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
const installationId = (col: any) => col.notNull().references('installations.id').onDelete('cascade');

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dialer_connections')
    .addColumn('installation_id', 'uuid', (col) => installationId(col).primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('account_name', 'text', (col) => col.notNull())
    .addColumn('country', 'text', (col) => col.notNull())
    .addColumn('timezone', 'text')
    .addColumn('api_token_enc', 'text', (col) => col.notNull())
    .addColumn('webhook_id', 'text', (col) => col.notNull())
    .addColumn('webhook_secret_enc', 'text', (col) => col.notNull())
    .addColumn('webhook_key', 'text', (col) => col.notNull().unique())
    .addColumn('connected_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('connected_by_user_id', 'bigint')
    .execute();

  await db.schema
    .createTable('installation_settings')
    .addColumn('installation_id', 'uuid', (col) => installationId(col).primaryKey())
    .addColumn('debug_mode', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('dialer_agents')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('agent_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('mapping_source', 'text', (col) => col.notNull().defaultTo('none'))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('dialer_agents_pk', ['installation_id', 'agent_id'])
    .execute();

  await db.schema
    .createTable('dialer_dispositions')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('disposition_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('outcome_id', 'text')
    .addColumn('mapping_source', 'text', (col) => col.notNull().defaultTo('none'))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('dialer_dispositions_pk', ['installation_id', 'disposition_id'])
    .execute();

  await db.schema
    .createTable('dialer_lists')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('list_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('archived', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('contact_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('dialer_lists_pk', ['installation_id', 'list_id'])
    .execute();

  await db.schema
    .createTable('webhook_inbox')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('event_type', 'text', (col) => col.notNull())
    .addColumn('call_id', 'text')
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .addUniqueConstraint('webhook_inbox_event_uq', ['installation_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('webhook_inbox_pending_idx')
    .on('webhook_inbox')
    .columns(['installation_id', 'id'])
    .where(sql.ref('processed_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('calls')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('call_id', 'text', (col) => col.notNull())
    .addColumn('data', 'jsonb', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('final', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('sync_state', 'text', (col) => col.notNull().defaultTo('waiting'))
    .addColumn('synced_version', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('hubspot_call_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('outcome_id', 'text')
    .addColumn('phone_e164', 'text')
    .addColumn('properties', 'jsonb')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sending_at', 'timestamptz')
    .addColumn('started_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('calls_pk', ['installation_id', 'call_id'])
    .execute();
  await db.schema
    .createIndex('calls_sync_idx')
    .on('calls')
    .columns(['installation_id', 'sync_state', 'updated_at'])
    .execute();

  await db.schema
    .createTable('phone_lookups')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('phone_e164', 'text', (col) => col.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('phone_lookups_pk', ['installation_id', 'phone_e164'])
    .execute();

  await db.schema
    .createTable('contact_cache')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('contact_id', 'text', (col) => col.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('contact_cache_pk', ['installation_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('activity_log')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('call_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('phone_e164', 'text')
    .addColumn('level', 'text', (col) => col.notNull())
    .addColumn('step', 'text', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('details', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('activity_log_installation_idx')
    .on('activity_log')
    .columns(['installation_id', 'id'])
    .execute();
  await db.schema
    .createIndex('activity_log_call_idx')
    .on('activity_log')
    .columns(['installation_id', 'call_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'activity_log',
    'contact_cache',
    'phone_lookups',
    'calls',
    'webhook_inbox',
    'dialer_lists',
    'dialer_dispositions',
    'dialer_agents',
    'installation_settings',
    'dialer_connections',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
