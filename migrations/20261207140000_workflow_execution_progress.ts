import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
// What an unfinished workflow execution has already done in Dialer.io (the contact written, the
// list changed), so the job that takes it over, or a retry, does not do it again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workflow_executions').addColumn('progress', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workflow_executions').dropColumn('progress').execute();
}
