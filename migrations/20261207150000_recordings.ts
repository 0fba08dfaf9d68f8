import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration.
// Recordings that play in HubSpot while the audio stays in Dialer.io (decision 0013):
// 1. Each Dialer.io connection gets an unguessable key, written on its calls as
//    `hs_call_external_account_id`: HubSpot's (unsigned) request for a recording must name it.
//    244 random bits from PostgreSQL's strong random source; existing rows get one too.
// 2. `call_media`: per call, whether Dialer.io has a recording (none, ready, deleted), when HubSpot
//    was told it is ready, and whether a transcript was sent (only HubSpot's id is kept: no text).
// 3. The portal's "Send Dialer.io transcripts to HubSpot" switch (off by default).
// 4. `recording_registrations`: the recording URL registered with HubSpot per app, so it is set once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('dialer_connections')
    .addColumn('recording_account_key', 'text', (col) =>
      col.notNull().defaultTo(sql`replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`),
    )
    .execute();
  await db.schema
    .createIndex('dialer_connections_recording_key_idx')
    .on('dialer_connections')
    .column('recording_account_key')
    .unique()
    .execute();

  await db.schema
    .createTable('call_media')
    .addColumn('installation_id', 'uuid', (col) =>
      col.notNull().references('installations.id').onDelete('cascade'),
    )
    .addColumn('call_id', 'text', (col) => col.notNull())
    .addColumn('recording', 'text', (col) => col.notNull().defaultTo('none'))
    .addColumn('ready_sent_at', 'timestamptz')
    .addColumn('transcript', 'text', (col) => col.notNull().defaultTo('none'))
    .addColumn('transcript_id', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('call_media_pkey', ['installation_id', 'call_id'])
    .execute();
  await sql`
    create index call_media_due_idx on call_media (installation_id, next_attempt_at)
    where (recording = 'ready' and ready_sent_at is null) or transcript = 'available'
  `.execute(db);

  await db.schema
    .alterTable('installation_settings')
    .addColumn('send_transcripts', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable('recording_registrations')
    .addColumn('app_id', 'text', (col) => col.primaryKey())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('registered_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recording_registrations').execute();
  await db.schema.alterTable('installation_settings').dropColumn('send_transcripts').execute();
  await db.schema.dropTable('call_media').execute();
  await db.schema.dropIndex('dialer_connections_recording_key_idx').execute();
  await db.schema.alterTable('dialer_connections').dropColumn('recording_account_key').execute();
}
