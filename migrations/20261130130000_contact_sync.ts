import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
const installationId = (col: any) => col.notNull().references('installations.id').onDelete('cascade');

export async function up(db: Kysely<any>): Promise<void> {
  // Sync settings (the contactSync section of /api/settings) and the custom-property sweep's cursor.
  await db.schema
    .createTable('contact_sync_settings')
    .addColumn('installation_id', 'uuid', (col) => installationId(col).primaryKey())
    .addColumn('creation', 'text', (col) => col.notNull().defaultTo('hubspot_to_dialer'))
    .addColumn('create_from_hubspot', 'text', (col) => col.notNull().defaultTo('sent'))
    .addColumn('updates', 'text', (col) => col.notNull().defaultTo('both'))
    .addColumn('sweep_cursor', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // Changes to the built-in property mapping, and custom mappings (`removed` hides a default one).
  await db.schema
    .createTable('property_mappings')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('dialer_field', 'text', (col) => col.notNull())
    .addColumn('hubspot_property', 'text', (col) => col.notNull())
    .addColumn('direction', 'text', (col) => col.notNull())
    .addColumn('removed', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('property_mappings_pk', ['installation_id', 'dialer_field'])
    .execute();

  // HubSpot contact <-> Dialer.io contact (by the external id its API is keyed on).
  await db.schema
    .createTable('contact_sync_links')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('contact_id', 'text', (col) => col.notNull())
    .addColumn('dialer_external_id', 'text', (col) => col.notNull())
    .addColumn('dialer_contact_id', 'text')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('contact_sync_links_pk', ['installation_id', 'contact_id'])
    .execute();
  await db.schema
    .createIndex('contact_sync_links_dialer_idx')
    .on('contact_sync_links')
    .columns(['installation_id', 'dialer_external_id'])
    .unique()
    .execute();

  // Per contact and field: the value both sides agreed on last, and when that change happened.
  // An incoming change carrying this value is our own echo; an older change loses.
  await db.schema
    .createTable('contact_sync_values')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('contact_id', 'text', (col) => col.notNull())
    .addColumn('dialer_field', 'text', (col) => col.notNull())
    .addColumn('hubspot_value', 'text')
    .addColumn('dialer_value', 'text')
    .addColumn('changed_at', 'timestamptz', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('contact_sync_values_pk', ['installation_id', 'contact_id', 'dialer_field'])
    .execute();

  // Dialer.io contact.updated events handed over by the Dialer.io inbox, until written to HubSpot.
  await db.schema
    .createTable('contact_sync_inbox')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('contact_sync_inbox_event_idx')
    .on('contact_sync_inbox')
    .columns(['installation_id', 'event_id'])
    .unique()
    .execute();

  // One-time pull / push operations: resumable (cursor, in-flight contact), with progress.
  await db.schema
    .createTable('sync_operations')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('total', 'integer')
    .addColumn('done', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cursor', 'text')
    .addColumn('in_flight', 'text')
    .addColumn('last_error', 'text')
    .addColumn('requested_by', 'bigint')
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('sync_operations_installation_idx')
    .on('sync_operations')
    .columns(['installation_id', 'started_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sync_operations',
    'contact_sync_inbox',
    'contact_sync_values',
    'contact_sync_links',
    'property_mappings',
    'contact_sync_settings',
  ])
    await db.schema.dropTable(table).execute();
}
