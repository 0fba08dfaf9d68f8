import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
// The contact-sync model (decision 0012): per contact and field, what each side holds as far as we
// know and since when (`*_held`, `*_held_at`; null = unknown), next to the winning change kept in
// `hubspot_value` / `dialer_value` / `changed_at` / `source`; and the log of our own writes to each
// side (value, the time of the change it carries, when it was sent and answered), by which an echo
// is recognised by value and time whatever the delivery order.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('contact_sync_values')
    .addColumn('hubspot_held', 'text')
    .addColumn('hubspot_held_at', 'timestamptz')
    .addColumn('dialer_held', 'text')
    .addColumn('dialer_held_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('contact_sync_writes')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().references('installations.id').onDelete('cascade'),
    )
    .addColumn('contact_id', 'text', (col) => col.notNull())
    .addColumn('dialer_field', 'text', (col) => col.notNull())
    .addColumn('side', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('origin_at', 'timestamptz', (col) => col.notNull())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('contact_sync_writes_field_idx')
    .on('contact_sync_writes')
    .columns(['installation_id', 'contact_id', 'dialer_field'])
    .execute();
  // A HubSpot contact being created for a Dialer.io contact (our own key): a retry after a lost
  // answer searches before it creates again.
  await db.schema
    .createTable('contact_sync_creates')
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().references('installations.id').onDelete('cascade'),
    )
    .addColumn('dialer_contact_id', 'text', (col) => col.notNull())
    .addColumn('attempted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('contact_id', 'text')
    .addPrimaryKeyConstraint('contact_sync_creates_pk', ['installation_id', 'dialer_contact_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_sync_creates').execute();
  await db.schema.dropTable('contact_sync_writes').execute();
  await db.schema
    .alterTable('contact_sync_values')
    .dropColumn('hubspot_held')
    .dropColumn('hubspot_held_at')
    .dropColumn('dialer_held')
    .dropColumn('dialer_held_at')
    .execute();
}
