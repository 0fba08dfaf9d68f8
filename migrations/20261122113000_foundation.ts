import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('installations')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('portal_id', 'bigint', (col) => col.notNull().unique())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('active', 'uninstalled')`))
    .addColumn('access_token_enc', 'text', (col) => col.notNull())
    .addColumn('refresh_token_enc', 'text', (col) => col.notNull())
    .addColumn('access_token_expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('scopes', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('hub_domain', 'text')
    .addColumn('installed_by_user_id', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('installed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('uninstalled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('oauth_states')
    .addColumn('nonce', 'text', (col) => col.primaryKey())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('rate_limit_slots')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('tat', 'timestamptz', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('hubspot_owners')
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().references('installations.id').onDelete('cascade'),
    )
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('user_id', 'bigint')
    .addColumn('archived', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('hubspot_owners_pk', ['installation_id', 'owner_id'])
    .execute();

  await db.schema
    .createTable('hubspot_outcomes')
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().references('installations.id').onDelete('cascade'),
    )
    .addColumn('outcome_id', 'text', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('deleted', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('hubspot_outcomes_pk', ['installation_id', 'outcome_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hubspot_outcomes').execute();
  await db.schema.dropTable('hubspot_owners').execute();
  await db.schema.dropTable('rate_limit_slots').execute();
  await db.schema.dropTable('oauth_states').execute();
  await db.schema.dropTable('installations').execute();
}
