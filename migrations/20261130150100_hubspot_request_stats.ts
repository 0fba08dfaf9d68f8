import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
// HubSpot requests per portal and hour, succeeded and failed: the settings page's API health
// (success rate over 24 h). Rows older than two days are deleted by the lifecycle job.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hubspot_request_stats')
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().references('installations.id').onDelete('cascade'),
    )
    .addColumn('hour', 'timestamptz', (col) => col.notNull())
    .addColumn('succeeded', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('hubspot_request_stats_pk', ['installation_id', 'hour'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hubspot_request_stats').execute();
}
