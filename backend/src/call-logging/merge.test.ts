import { describe, expect, it } from 'vitest';
import type { DialerCall } from '../dialer/index.ts';
import { isFinal, mergeCall } from './merge.ts';

const base: DialerCall = {
  id: 'call_1',
  direction: 'outbound',
  status: 'ringing',
  from_number: '+61 2 9000 0000',
  to_number: '02 9374 4000',
  started_at: '2026-11-21T14:00:00Z',
  answered_at: null,
  ended_at: null,
  duration_seconds: 0,
  talk_seconds: 0,
  agent: { id: 'ag_1', name: 'Ann', email: 'ann@example.com' },
  disposition: null,
  notes: null,
  recording_url: null,
  list_id: null,
  contact: null,
};
const answered = { ...base, status: 'in_progress' as const, answered_at: '2026-11-21T14:00:05Z' };
const ended = {
  ...answered,
  status: 'completed' as const,
  ended_at: '2026-11-21T14:03:00Z',
  duration_seconds: 180,
  talk_seconds: 175,
};
const dispositioned = { ...ended, disposition: { id: 'd1', name: 'Interested' }, notes: 'Call back Tuesday' };

describe('mergeCall', () => {
  it('gives the same result in any order', () => {
    const orders = [
      [base, answered, ended, dispositioned],
      [dispositioned, ended, answered, base],
      [ended, base, dispositioned, answered],
      [answered, dispositioned, base, ended, ended],
    ];
    const results = orders.map((events) =>
      events.reduce<DialerCall | null>((known, e) => mergeCall(known, e), null),
    );
    for (const result of results) expect(result).toEqual(dispositioned);
    expect(isFinal(results[0]!)).toBe(true);
  });

  it('never lets a late answered event undo the end', () => {
    const merged = mergeCall(ended, answered);
    expect(merged.status).toBe('completed');
    expect(merged.ended_at).toBe(ended.ended_at);
    expect(merged.duration_seconds).toBe(180);
  });
});
