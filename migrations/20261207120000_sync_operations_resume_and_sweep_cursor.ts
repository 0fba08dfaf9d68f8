import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
// 1. One queued or running operation of a kind per portal, held by the database (a partial unique
//    index), not by a check before the insert. Duplicates already there are marked failed first
//    (the newest stays), so the index can be built.
// 2. The custom-property sweep's own cursor: a pass over a time window (from `window_start`),
//    walked in `hs_object_id` order (`after_id`); the next pass starts `pass_started_at` minus an
//    overlap, so contacts that reached HubSpot's search index late are still read.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update sync_operations o set status = 'failed', finished_at = now(),
      last_error = 'Another operation of this kind was running at the same time.'
    where o.status in ('queued', 'running') and exists (
      select 1 from sync_operations newer
      where newer.installation_id = o.installation_id and newer.kind = o.kind
        and newer.status in ('queued', 'running')
        and (newer.started_at, newer.id) > (o.started_at, o.id))
  `.execute(db);
  await sql`
    create unique index sync_operations_one_active_idx on sync_operations (installation_id, kind)
    where status in ('queued', 'running')
  `.execute(db);

  await db.schema
    .createTable('contact_sync_sweeps')
    .addColumn('installation_id', 'uuid', (col) =>
      col.primaryKey().references('installations.id').onDelete('cascade'),
    )
    .addColumn('window_start', 'timestamptz', (col) => col.notNull())
    .addColumn('pass_started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('after_id', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_sync_sweeps').execute();
  await sql`drop index sync_operations_one_active_idx`.execute(db);
}
