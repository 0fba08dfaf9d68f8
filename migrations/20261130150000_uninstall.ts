import { type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
// Uninstall deletes the HubSpot tokens (they become null) and schedules the portal's data for
// purge: `purge_after` is set when the installation is uninstalled and cleared by a reinstall.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('installations')
    .alterColumn('access_token_enc', (col) => col.dropNotNull())
    .execute();
  await db.schema
    .alterTable('installations')
    .alterColumn('refresh_token_enc', (col) => col.dropNotNull())
    .execute();
  await db.schema
    .alterTable('installations')
    .alterColumn('access_token_expires_at', (col) => col.dropNotNull())
    .execute();
  await db.schema.alterTable('installations').addColumn('purge_after', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('installations').dropColumn('purge_after').execute();
}
