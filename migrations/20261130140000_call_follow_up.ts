import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
const installationId = (col: any) => col.notNull().references('installations.id').onDelete('cascade');

export async function up(db: Kysely<any>): Promise<void> {
  // Missed-call settings of a portal (PATCH /api/settings `missedCalls`); no row = the defaults.
  await db.schema
    .createTable('missed_call_settings')
    .addColumn('installation_id', 'uuid', (col) => installationId(col).primaryKey())
    .addColumn('enabled', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('due_minutes', 'integer', (col) => col.notNull().defaultTo(60))
    .addColumn('fallback_owner_id', 'text')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // Per portal: which version of the "Dialer Sync" properties exists, when the last sweep ran.
  await db.schema
    .createTable('follow_up_portals')
    .addColumn('installation_id', 'uuid', (col) => installationId(col).primaryKey())
    .addColumn('properties_version', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('swept_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // What the follow-up job has seen of each written call (version and contact).
  await db.schema
    .createTable('call_follow_ups')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('call_id', 'text', (col) => col.notNull())
    .addColumn('seen_version', 'integer', (col) => col.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('call_follow_ups_pk', ['installation_id', 'call_id'])
    .execute();

  // Rollups of a contact: `dirty` until written; `written` = the values HubSpot last got from us.
  await db.schema
    .createTable('contact_rollups')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('contact_id', 'text', (col) => col.notNull())
    .addColumn('dirty', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('written', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('contact_rollups_pk', ['installation_id', 'contact_id'])
    .execute();
  await db.schema
    .createIndex('contact_rollups_dirty_idx')
    .on('contact_rollups')
    .columns(['installation_id'])
    .where(sql.ref('dirty'), '=', true)
    .execute();

  // Follow-up tasks in HubSpot: one open task per episode (a number's misses, an unmapped agent).
  await db.schema
    .createTable('follow_up_tasks')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('episode_key', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('hubspot_task_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('phone_e164', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('due_at', 'timestamptz', (col) => col.notNull())
    .addColumn('miss_count', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('first_call_id', 'text', (col) => col.notNull())
    .addColumn('last_call_at', 'timestamptz', (col) => col.notNull())
    .addColumn('pending_update', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('closed_reason', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('follow_up_tasks_pk', ['installation_id', 'id'])
    .execute();
  await db.schema
    .createIndex('follow_up_tasks_open_idx')
    .on('follow_up_tasks')
    .columns(['installation_id', 'kind', 'episode_key'])
    .unique()
    .where(sql.ref('state'), '<>', 'closed')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('follow_up_tasks').execute();
  await db.schema.dropTable('contact_rollups').execute();
  await db.schema.dropTable('call_follow_ups').execute();
  await db.schema.dropTable('follow_up_portals').execute();
  await db.schema.dropTable('missed_call_settings').execute();
}
