import type { DialerCall, DialerCallEventType } from '../../../src/dialer/types.ts';
import { isoSeconds, newId, type SimAccount } from './state.ts';

// Builds the events of one call as Dialer.io would send them: each later event carries the whole
// call as known then, fields only fill in.

export interface CallLifecycleOptions {
  /** Someone (or something) picked up: emits `call.answered`. Default false. */
  answered?: boolean;
  /** Disposition id of the account (or `{id, name}`): emits `call.dispositioned`. */
  disposition?: string | { id: string; name: string };
  notes?: string | null;
  /** Seconds from start to answer (or to giving up). Default 8. */
  ringSeconds?: number;
  /** Seconds of conversation when answered. Default 95. */
  talkSeconds?: number;
}

export type CallEvent = [DialerCallEventType, { call: DialerCall }];

const LIVE_STATUSES = new Set(['ringing', 'in_progress']);

function plus(iso: string, seconds: number): string {
  return isoSeconds(Date.parse(iso) + seconds * 1000);
}

function resolveDisposition(account: SimAccount, disposition: CallLifecycleOptions['disposition']) {
  if (disposition === undefined || typeof disposition === 'object') return disposition;
  const found = account.dispositions.get(disposition);
  if (!found) throw new Error(`Dialer simulator: unknown disposition ${disposition}`);
  return { id: found.id, name: found.name };
}

export function buildCallLifecycle(
  account: SimAccount,
  seed: Partial<DialerCall>,
  opts: CallLifecycleOptions,
  nowMs: number,
): CallEvent[] {
  const answered = opts.answered ?? false;
  const direction = seed.direction ?? 'outbound';
  const firstAgent = [...account.agents.values()].find((agent) => agent.status === 'active');
  const defaultAgent = firstAgent
    ? { id: firstAgent.id, name: firstAgent.name, email: firstAgent.email }
    : null;
  const startedAt = seed.started_at ?? isoSeconds(nowMs);
  const ring = opts.ringSeconds ?? 8;
  const talk = answered ? (seed.talk_seconds ?? opts.talkSeconds ?? 95) : (seed.talk_seconds ?? 0);
  const answeredAt = answered ? (seed.answered_at ?? plus(startedAt, ring)) : null;
  const endedAt = seed.ended_at ?? plus(startedAt, ring + talk);
  const callId = seed.id ?? newId('call');

  const started: DialerCall = {
    id: callId,
    direction,
    status: 'ringing',
    from_number: seed.from_number ?? (direction === 'outbound' ? '+1 415 555 0100' : '(415) 555-0199'),
    to_number: seed.to_number ?? (direction === 'outbound' ? '(415) 555-0199' : '+1 415 555 0100'),
    started_at: startedAt,
    answered_at: null,
    ended_at: null,
    duration_seconds: 0,
    talk_seconds: 0,
    agent: seed.agent !== undefined ? seed.agent : defaultAgent,
    disposition: null,
    notes: null,
    recording_url: null,
    list_id: seed.list_id ?? null,
    contact: seed.contact ?? null,
  };

  const events: CallEvent[] = [['call.started', { call: started }]];
  let latest = started;
  if (answered) {
    latest = { ...started, status: 'in_progress', answered_at: answeredAt };
    events.push(['call.answered', { call: latest }]);
  }

  const finalStatus =
    seed.status && !LIVE_STATUSES.has(seed.status)
      ? seed.status
      : answered
        ? 'completed'
        : direction === 'inbound'
          ? 'missed'
          : 'no_answer';
  const recording =
    seed.recording_url !== undefined
      ? seed.recording_url
      : answered
        ? `https://recordings.dialer.io/${callId}.mp3`
        : null;
  latest = {
    ...latest,
    status: finalStatus,
    ended_at: endedAt,
    duration_seconds:
      seed.duration_seconds ?? Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000),
    talk_seconds: talk,
    recording_url: recording,
  };
  events.push(['call.ended', { call: latest }]);

  const disposition = resolveDisposition(account, opts.disposition) ?? seed.disposition ?? undefined;
  if (disposition) {
    latest = { ...latest, disposition, notes: opts.notes ?? seed.notes ?? null };
    events.push(['call.dispositioned', { call: latest }]);
  }
  return events;
}
