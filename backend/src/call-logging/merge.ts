import type { DialerCall } from '../dialer/index.ts';

const FINAL_STATUSES = new Set([
  'completed',
  'missed',
  'voicemail',
  'no_answer',
  'busy',
  'failed',
  'canceled',
]);
const RANK: Record<string, number> = { ringing: 0, in_progress: 1 };
const rank = (status: string) => (FINAL_STATUSES.has(status) ? 2 : (RANK[status] ?? 0));

export function isFinal(call: DialerCall): boolean {
  return FINAL_STATUSES.has(call.status);
}

/**
 * Merges what an event says about a call into what we knew. Events arrive twice and in any
 * order, so fields only fill in: a late `call.answered` never undoes `call.ended`.
 */
export function mergeCall(known: DialerCall | null, incoming: DialerCall): DialerCall {
  if (!known) return incoming;
  const status = rank(incoming.status) >= rank(known.status) ? incoming.status : known.status;
  return {
    ...known,
    direction: known.direction ?? incoming.direction,
    status,
    from_number: known.from_number || incoming.from_number,
    to_number: known.to_number || incoming.to_number,
    started_at: known.started_at ?? incoming.started_at,
    answered_at: known.answered_at ?? incoming.answered_at,
    ended_at: known.ended_at ?? incoming.ended_at,
    duration_seconds: Math.max(known.duration_seconds ?? 0, incoming.duration_seconds ?? 0),
    talk_seconds: Math.max(known.talk_seconds ?? 0, incoming.talk_seconds ?? 0),
    agent: incoming.agent ?? known.agent,
    disposition: incoming.disposition ?? known.disposition,
    notes: incoming.notes ?? known.notes,
    recording_url: incoming.recording_url ?? known.recording_url,
    list_id: incoming.list_id ?? known.list_id,
    contact: incoming.contact?.external_id ? incoming.contact : (known.contact ?? incoming.contact),
  };
}

/** True when merging changed anything worth writing. */
export function changed(before: DialerCall | null, after: DialerCall): boolean {
  return JSON.stringify(before) !== JSON.stringify(after);
}
