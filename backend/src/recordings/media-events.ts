import { sql } from 'kysely';
import { resyncCalls } from '../call-logging/state-machine.ts';
import type { Db } from '../platform/db/database.ts';
import { forgetRecordingLink } from './link-cache.ts';

export const MEDIA_EVENT_TYPES = new Set([
  'call.recording_ready',
  'call.transcribed',
  'call.recording_deleted',
]);

export interface MediaEvent {
  callId: string;
  type: string;
}

/**
 * Folds Dialer.io's recording events into `call_media`, inside the inbox fold's transaction, in
 * the order received. A deleted recording stays deleted (a late `recording_ready` does not bring
 * it back) and its call is written again, once, with a body that says so. HubSpot is told about
 * ready recordings and transcripts by `media-notices.ts` once the call exists there.
 */
export async function recordMediaEvents(trx: Db, installationId: string, events: MediaEvent[]) {
  const deleted: string[] = [];
  for (const { callId, type } of events) {
    const key = { installation_id: installationId, call_id: callId };
    if (type === 'call.recording_ready')
      await trx
        .insertInto('call_media')
        .values({ ...key, recording: 'ready' })
        .onConflict((oc) =>
          oc.columns(['installation_id', 'call_id']).doUpdateSet({
            recording: sql`case when call_media.recording = 'deleted' then 'deleted' else 'ready' end`,
            updated_at: new Date(),
          }),
        )
        .execute();
    else if (type === 'call.transcribed')
      await trx
        .insertInto('call_media')
        .values({ ...key, transcript: 'available' })
        .onConflict((oc) =>
          oc.columns(['installation_id', 'call_id']).doUpdateSet({
            transcript: sql`case when call_media.transcript = 'none' then 'available' else call_media.transcript end`,
            updated_at: new Date(),
          }),
        )
        .execute();
    else if (type === 'call.recording_deleted') {
      await trx
        .insertInto('call_media')
        .values({ ...key, recording: 'deleted' })
        .onConflict((oc) =>
          oc
            .columns(['installation_id', 'call_id'])
            .doUpdateSet({ recording: 'deleted', updated_at: new Date() }),
        )
        .execute();
      deleted.push(callId);
    }
  }
  await resyncCalls(trx, installationId, deleted);
  deleted.forEach((callId) => forgetRecordingLink(installationId, callId));
}
