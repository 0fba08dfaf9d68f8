import type { DialerCall } from '../dialer/index.ts';
import { normalisePhone } from '../phone/index.ts';

/** HubSpot's default call outcomes (the same ids in every portal). */
export const DEFAULT_OUTCOMES = {
  Busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
  Connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  'Left voicemail': 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  'No answer': '73a0d17f-1163-4015-bdd5-ec830791da20',
} as const;

/** The outcome a call gets from its status when Dialer.io sent no disposition. */
export function outcomeLabelForStatus(status: DialerCall['status']): keyof typeof DEFAULT_OUTCOMES | null {
  switch (status) {
    case 'busy':
      return 'Busy';
    case 'no_answer':
    case 'missed':
      return 'No answer';
    case 'voicemail':
      return 'Left voicemail';
    case 'completed':
      return 'Connected';
    default:
      return null;
  }
}

const HUBSPOT_STATUS: Record<DialerCall['status'], string> = {
  ringing: 'RINGING',
  in_progress: 'IN_PROGRESS',
  completed: 'COMPLETED',
  missed: 'NO_ANSWER',
  voicemail: 'COMPLETED',
  no_answer: 'NO_ANSWER',
  busy: 'BUSY',
  failed: 'FAILED',
  canceled: 'CANCELED',
};

const isOver = (call: DialerCall) => call.ended_at !== null;

/** The other party's number: who we called, or who called us. */
export function otherPartyNumber(call: DialerCall): string {
  return call.direction === 'outbound' ? call.to_number : call.from_number;
}

export interface CallContext {
  contactName: string | null;
  ownerId: string | null;
  outcomeId: string | null;
  listName: string | null;
  country: string;
  /** No final event came from Dialer.io in time: written with what was known. */
  incomplete?: boolean;
  /** Credits the call to our app so HubSpot asks us for its recording (decision 0013). */
  attribution?: CallAttribution | null;
  /** Dialer.io's retention or an admin deleted the recording: the body says so. */
  recordingDeleted?: boolean;
}

export interface CallAttribution {
  appId: string;
  /** The connection's unguessable key: HubSpot's request for a recording must name it. */
  accountKey: string;
}

const displayNumber = (raw: string, country: string) => normalisePhone(raw, country)?.e164 ?? raw;

/** The HubSpot call engagement's properties for a Dialer.io call. */
export function buildCallProperties(call: DialerCall, context: CallContext): Record<string, string> {
  const outbound = call.direction === 'outbound';
  const party = context.contactName ?? displayNumber(otherPartyNumber(call), context.country);
  const body = [
    call.notes ? call.notes : null,
    call.agent ? `Agent: ${call.agent.name}` : null,
    context.listName ? `Dialer.io list: ${context.listName}` : null,
    call.disposition ? `Disposition: ${call.disposition.name}` : null,
    context.incomplete && !isOver(call)
      ? 'Dialer.io never reported the end of this call: logged with what was known.'
      : null,
    context.recordingDeleted ? 'The recording was deleted in Dialer.io.' : null,
    // Dialer.io's web app (behind its login): a link for people, never the recording property.
    call.recording_url?.startsWith('https://') ? `Open in Dialer.io: ${call.recording_url}` : null,
  ].filter((line): line is string => line !== null);
  const properties: Record<string, string> = {
    hs_timestamp: String(new Date(call.started_at ?? call.ended_at ?? Date.now()).getTime()),
    hs_call_title: `${outbound ? 'Outbound call to' : 'Inbound call from'} ${party}`,
    hs_call_body: body.join('\n'),
    hs_call_duration: String(Math.round((call.duration_seconds ?? 0) * 1000)),
    hs_call_from_number: displayNumber(call.from_number, context.country),
    hs_call_to_number: displayNumber(call.to_number, context.country),
    hs_call_status: HUBSPOT_STATUS[call.status],
    hs_call_direction: outbound ? 'OUTBOUND' : 'INBOUND',
    hs_call_external_id: call.id,
  };
  // Never an empty owner or outcome: that would erase one a user set in HubSpot.
  if (context.ownerId) properties.hubspot_owner_id = context.ownerId;
  if (context.outcomeId) properties.hs_call_disposition = context.outcomeId;
  if (context.attribution) Object.assign(properties, attributionProperties(context.attribution));
  return properties;
}

/** HubSpot plays a recording only for calls with these (its "Call recordings and transcripts" page). */
export function attributionProperties(attribution: CallAttribution): Record<string, string> {
  return {
    hs_call_source: 'INTEGRATIONS_PLATFORM',
    hs_call_app_id: attribution.appId,
    hs_call_external_account_id: attribution.accountKey,
  };
}
