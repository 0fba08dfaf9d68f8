// The demo's recordings: one call whose recording HubSpot plays from Dialer.io (it asks our URL,
// then fetches a Range of the audio), and one whose Dialer.io transcript is sent to HubSpot.
import type { DialerCall } from '../src/dialer/types.ts';
import { DEMO_ADMIN_USER_ID, DEMO_PORTAL_ID, type ScriptedCall } from './scenario.ts';
import type { DemoStack } from './stack.ts';
import { renderTable } from './table.ts';

const WHO = { portalId: DEMO_PORTAL_ID, userId: DEMO_ADMIN_USER_ID };

export interface RecordingsShown {
  recordingPlayed: boolean;
  transcriptSent: boolean;
  text: string;
}

export async function showRecordings(
  stack: DemoStack,
  accountId: string,
  installationId: string,
  scripted: ScriptedCall[],
  waitFor: (what: string, check: () => Promise<boolean>) => Promise<void>,
): Promise<RecordingsShown> {
  const [recorded, transcribed] = scripted.filter((call) => call.opts.answered);
  if (!recorded || !transcribed) throw new Error('the demo script needs two answered calls');
  const dataOf = async (callId: string) =>
    (
      await stack.runtime.ctx.db
        .selectFrom('calls')
        .select('data')
        .where('installation_id', '=', installationId)
        .where('call_id', '=', callId)
        .executeTakeFirstOrThrow()
    ).data as DialerCall;
  await stack.api('PATCH', '/api/settings', WHO, { sendTranscripts: true });
  stack.dialer.setRecording(accountId, recorded.id, 'ready');
  stack.dialer.setTranscript(accountId, transcribed.id, [
    {
      speaker: 'agent',
      text: 'Hi, it is Harbour Realty about the open home.',
      start_ms: 0,
      end_ms: 3200,
    },
    { speaker: 'contact', text: 'Great, Saturday at ten suits me.', start_ms: 3400, end_ms: 5600 },
  ]);
  stack.dialer.emitBatch(accountId, [
    ['call.recording_ready', { call: await dataOf(recorded.id) }],
    ['call.transcribed', { call: await dataOf(transcribed.id) }],
  ]);
  const portal = stack.hubspot.portal(DEMO_PORTAL_ID);
  const hubspotId = (id: string) => portal.calls.find((c) => c.properties.hs_call_external_id === id)!.id;
  await waitFor('HubSpot to be told of the recording and the transcript', async () => {
    const ready = stack.hubspot.recordingsReady(DEMO_PORTAL_ID).includes(Number(hubspotId(recorded.id)));
    return ready && stack.hubspot.transcripts(DEMO_PORTAL_ID).length > 0;
  });
  const played = await stack.hubspot.playRecording(DEMO_PORTAL_ID, hubspotId(recorded.id));
  const transcript = stack.hubspot.transcripts(DEMO_PORTAL_ID)[0]!;
  const speakers = [...new Set(transcript.utterances.map((u) => u.speaker.name))].join(', ');
  const text = renderTable(
    'Recordings and transcripts in HubSpot',
    ['Dialer.io call', 'in HubSpot', 'how'],
    [
      [recorded.id, 'recording played', `our URL ${played.status}, Dialer.io ${played.audio?.status}`],
      [transcribed.id, 'transcript sent', `${transcript.utterances.length} lines: ${speakers}`],
    ],
  );
  return {
    recordingPlayed: played.status === 200 && played.audio?.status === 206,
    transcriptSent: transcript.engagementId === Number(hubspotId(transcribed.id)),
    text,
  };
}
