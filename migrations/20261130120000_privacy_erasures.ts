import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  // The erasure audit: who erased, when, how much; the person only as salted hashes.
  await db.schema
    .createTable('privacy_erasures')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().references('installations.id').onDelete('cascade'),
    )
    .addColumn('source', 'text', (col) =>
      col.notNull().check(sql`source in ('api', 'hubspot_privacy_deletion')`),
    )
    .addColumn('requested_by_user_id', 'bigint')
    .addColumn('hubspot_event_id', 'text')
    .addColumn('salt', 'text', (col) => col.notNull())
    .addColumn('identifier_hashes', 'jsonb', (col) => col.notNull())
    .addColumn('counts', 'jsonb', (col) => col.notNull())
    .addColumn('dialer_deletion', 'text', (col) => col.notNull().defaultTo('not_requested'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('privacy_erasures_event_uq', ['installation_id', 'hubspot_event_id'])
    .execute();
  await db.schema
    .createIndex('privacy_erasures_installation_idx')
    .on('privacy_erasures')
    .columns(['installation_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('privacy_erasures').execute();
}
