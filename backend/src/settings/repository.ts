import type { Db } from '../platform/db/database.ts';

export async function isDebugMode(db: Db, installationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('installation_settings')
    .select('debug_mode')
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  return row?.debug_mode ?? false;
}

export async function setDebugMode(db: Db, installationId: string, debugMode: boolean): Promise<void> {
  await db
    .insertInto('installation_settings')
    .values({ installation_id: installationId, debug_mode: debugMode, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('installation_id').doUpdateSet({ debug_mode: debugMode, updated_at: new Date() }),
    )
    .execute();
}

export async function sendsTranscripts(db: Db, installationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('installation_settings')
    .select('send_transcripts')
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  return row?.send_transcripts ?? false;
}

export async function setSendTranscripts(db: Db, installationId: string, on: boolean): Promise<void> {
  await db
    .insertInto('installation_settings')
    .values({
      installation_id: installationId,
      debug_mode: false,
      send_transcripts: on,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc.column('installation_id').doUpdateSet({ send_transcripts: on, updated_at: new Date() }),
    )
    .execute();
}
