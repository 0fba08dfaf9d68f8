import { type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
// One mapping refresh per portal at a time (the settings page's buttons, the hourly job), across
// processes: a lease row with a holder and an expiry, so a crashed holder's lease runs out.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mapping_refresh_leases')
    .addColumn('installation_id', 'uuid', (col) =>
      col.primaryKey().references('installations.id').onDelete('cascade'),
    )
    .addColumn('holder', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mapping_refresh_leases').execute();
}
