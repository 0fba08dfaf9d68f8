import { sql } from 'kysely';
import type { ActivityEntry } from '../activity/record.ts';
import { DialerApiError, type DialerCall } from '../dialer/index.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { mapSpeakers, toHubSpotUtterances } from './transcript-speakers.ts';

const BATCH = 50;
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 6 * 3600_000;
/** After this many refusals (about two days) the call's notice is given up, with an error in the log. */
const MAX_ATTEMPTS = 12;
const NEVER = new Date('9999-01-01T00:00:00Z');

interface Due {
  call_id: string;
  hubspot_call_id: string;
  contact_id: string | null;
  data: DialerCall;
  recording: string;
  ready_sent_at: Date | null;
  transcript: string;
  attempts: number;
  send_transcripts: boolean | null;
}

export interface MediaRound {
  ctx: AppContext;
  db: Db;
  installationId: string;
  client: PortalClient;
  country: string;
  activity: ActivityEntry[];
}

/**
 * Tells HubSpot about recordings and transcripts of calls that exist there (a transcript that came
 * first waits for its call): `recordings/ready` once per call, the transcript once per call when
 * the portal's switch is on. Through the portal's HubSpot budget; a failure about one call is
 * that call's (retried with backoff); one about the portal (rate limit, outage, token) is thrown
 * for the call pipeline to pause the portal, as for calls. Returns how many calls it handled.
 */
export async function sendMediaNotices(round: MediaRound): Promise<number> {
  const { rows } = await sql<Due>`
    select m.call_id, c.hubspot_call_id, c.contact_id, c.data, m.recording, m.ready_sent_at,
           m.transcript, m.attempts, s.send_transcripts
    from call_media m
    join calls c on c.installation_id = m.installation_id and c.call_id = m.call_id
    left join installation_settings s on s.installation_id = m.installation_id
    where m.installation_id = ${round.installationId} and m.next_attempt_at <= now()
      and ((m.recording = 'ready' and m.ready_sent_at is null) or m.transcript = 'available')
      and c.hubspot_call_id is not null
    order by m.next_attempt_at limit ${BATCH}
  `.execute(round.db);
  for (const row of rows) {
    try {
      if (row.recording === 'ready' && !row.ready_sent_at) await markReady(round, row);
      if (row.transcript === 'available') await sendTranscript(round, row);
    } catch (error) {
      if (aboutThePortal(error)) throw error;
      await noteFailure(round, row, error as Error);
    }
  }
  return rows.length;
}

function aboutThePortal(error: unknown): boolean {
  return error instanceof HubSpotError && (error.retryable || error.code === 'unauthorized');
}

async function markReady(round: MediaRound, row: Due) {
  await round.client.send('markRecordingReady', { body: { engagementId: Number(row.hubspot_call_id) } });
  await update(round, row.call_id, { ready_sent_at: new Date(), last_error: null, attempts: 0 });
  round.activity.push({
    callId: row.call_id,
    contactId: row.contact_id,
    level: 'info',
    step: 'recording_ready',
    message: `Recording ready: HubSpot call ${row.hubspot_call_id} plays it from Dialer.io.`,
  });
}

async function sendTranscript(round: MediaRound, row: Due) {
  if (!row.send_transcripts) return update(round, row.call_id, { transcript: 'skipped' });
  const connection = await findConnection(round.db, round.installationId);
  if (!connection) return update(round, row.call_id, { transcript: 'skipped' });
  const transcript = await dialerClientFor(round.ctx, connection).getTranscript(row.call_id);
  if (transcript === 'not_ready') throw new Error('Dialer.io is still making the transcript');
  if (transcript === 'missing') return update(round, row.call_id, { transcript: 'none' });
  const speakers = await mapSpeakers(round.db, round.installationId, row.data, row.contact_id, round.country);
  const utterances = toHubSpotUtterances(transcript, speakers);
  if (utterances.length === 0) return update(round, row.call_id, { transcript: 'skipped' });
  const created = await round.client.send<{ id?: unknown }>('createTranscript', {
    body: { engagementId: Number(row.hubspot_call_id), transcriptCreateUtterances: utterances },
  });
  await update(round, row.call_id, {
    transcript: 'sent',
    transcript_id: created?.id === undefined ? null : String(created.id),
    last_error: null,
    attempts: 0,
  });
  round.activity.push({
    callId: row.call_id,
    contactId: row.contact_id,
    level: 'info',
    step: 'transcript_sent',
    message: `Transcript sent to HubSpot call ${row.hubspot_call_id} (${utterances.length} utterances).`,
  });
}

async function noteFailure(round: MediaRound, row: Due, error: Error) {
  const attempts = row.attempts + 1;
  const waitMs = Math.min(RETRY_BASE_MS * 2 ** (attempts - 1), RETRY_MAX_MS);
  const reason = error instanceof DialerApiError ? `Dialer.io: ${error.message}` : error.message;
  const givenUp = attempts >= MAX_ATTEMPTS;
  await update(round, row.call_id, {
    attempts,
    last_error: reason.slice(0, 500),
    next_attempt_at: givenUp ? NEVER : new Date(round.ctx.now() + waitMs),
  });
  round.activity.push({
    callId: row.call_id,
    contactId: row.contact_id,
    level: givenUp ? 'error' : 'warning',
    step: 'recording_notice_failed',
    message: givenUp
      ? `Gave up telling HubSpot about this call's recording or transcript after ${attempts} refusals (${reason}).`
      : `Could not tell HubSpot about this call's recording or transcript (${reason}). Tried again in ${Math.round(waitMs / 60_000)} min by itself.`,
  });
}

async function update(
  round: MediaRound,
  callId: string,
  set: Partial<{
    ready_sent_at: Date;
    transcript: 'none' | 'sent' | 'skipped';
    transcript_id: string | null;
    attempts: number;
    last_error: string | null;
    next_attempt_at: Date;
  }>,
) {
  await round.db
    .updateTable('call_media')
    .set({ ...set, updated_at: new Date() })
    .where('installation_id', '=', round.installationId)
    .where('call_id', '=', callId)
    .execute();
}
