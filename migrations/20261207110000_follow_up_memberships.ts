import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.

const installationId = (col: any) => col.notNull().references('installations.id').onDelete('cascade');

/**
 * Call follow-up under faults (issue 17): which calls belong to a task is stored, not kept in
 * memory; a call's tasks are planned once, on its final status; a contact created for an unknown
 * caller has our own row (keyed by the number) before the create goes out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('follow_up_task_calls')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('task_id', 'text', (col) => col.notNull())
    .addColumn('call_id', 'text', (col) => col.notNull())
    .addColumn('hubspot_call_id', 'text', (col) => col.notNull())
    .addColumn('associated_at', 'timestamptz')
    .addPrimaryKeyConstraint('follow_up_task_calls_pk', ['installation_id', 'task_id', 'call_id'])
    .addForeignKeyConstraint(
      'follow_up_task_calls_task_fk',
      ['installation_id', 'task_id'],
      'follow_up_tasks',
      ['installation_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('follow_up_task_calls_pending_idx')
    .on('follow_up_task_calls')
    .columns(['installation_id', 'task_id'])
    .where(sql.ref('associated_at'), 'is', null)
    .execute();

  // Rows that exist today were planned when first seen: only calls seen from now on wait for their end.
  await db.schema
    .alterTable('call_follow_ups')
    .addColumn('planned', 'boolean', (col) => col.notNull().defaultTo(true))
    .execute();

  await db.schema
    .createTable('unknown_caller_contacts')
    .addColumn('installation_id', 'uuid', (col) => installationId(col))
    .addColumn('phone_e164', 'text', (col) => col.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('unknown_caller_contacts_pk', ['installation_id', 'phone_e164'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('unknown_caller_contacts').execute();
  await db.schema.alterTable('call_follow_ups').dropColumn('planned').execute();
  await db.schema.dropTable('follow_up_task_calls').execute();
}
