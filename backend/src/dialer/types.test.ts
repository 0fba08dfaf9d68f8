import { describe, expect, it } from 'vitest';
import { DialerPayloadError } from './errors.ts';
import { parseDialerEvent, type DialerCall, type DialerContact } from './types.ts';

const call: DialerCall = {
  id: 'call_1',
  direction: 'outbound',
  status: 'completed',
  from_number: '+61 2 9374 4000',
  to_number: '02 9374 4001',
  started_at: '2026-11-21T14:03:11Z',
  answered_at: '2026-11-21T14:03:20Z',
  ended_at: '2026-11-21T14:05:00Z',
  duration_seconds: 109,
  talk_seconds: 100,
  agent: { id: 'agt_1', name: 'Ada', email: 'ada@example.com' },
  disposition: null,
  notes: null,
  recording_url: 'https://recordings.dialer.io/call_1.mp3',
  list_id: null,
  contact: { id: 'con_1', external_id: '101' },
};

const contact: DialerContact = {
  id: 'con_1',
  external_id: '101',
  phone: '02 9374 4001',
  email: null,
  first_name: 'Grace',
  last_name: null,
  company: null,
  timezone: null,
  owner_email: null,
  dnc: true,
  line_type: 'landline',
  fields: {},
  lists: [{ id: 'lst_1', name: 'Leads', added_at: '2026-11-20T10:00:00Z' }],
  updated_at: '2026-11-21T14:03:11Z',
};

function envelope(type: string, data: unknown) {
  return { id: 'evt_1', type, created_at: '2026-11-21T14:05:01Z', account_id: 'acc_1', data };
}

describe('parseDialerEvent', () => {
  it.each(['call.started', 'call.answered', 'call.ended', 'call.dispositioned'] as const)(
    'parses %s',
    (type) => {
      const parsed = parseDialerEvent(envelope(type, { call }));
      expect(parsed).toMatchObject({ kind: 'call', type, call });
      expect(parsed.event.id).toBe('evt_1');
    },
  );

  it('parses raw JSON strings and Buffers and ignores unknown extra fields', () => {
    const raw = JSON.stringify({
      ...envelope('call.ended', { call: { ...call, new_field: 1 } }),
      extra: true,
    });
    for (const input of [raw, Buffer.from(raw)]) {
      const parsed = parseDialerEvent(input);
      expect(parsed.kind).toBe('call');
      if (parsed.kind === 'call') expect(parsed.call).toEqual(call);
    }
  });

  it('parses contact.updated and agent.updated', () => {
    expect(parseDialerEvent(envelope('contact.updated', { contact, changed: ['dnc'] }))).toMatchObject({
      kind: 'contact',
      type: 'contact.updated',
      contact,
      changed: ['dnc'],
    });
    const agent = { id: 'agt_1', name: 'Ada', email: 'ada@example.com', status: 'disabled' };
    expect(parseDialerEvent(envelope('agent.updated', { agent }))).toMatchObject({ kind: 'agent', agent });
  });

  it('answers unknown for a well-formed envelope of a type it does not know', () => {
    expect(parseDialerEvent(envelope('sms.sent', { sms: {} }))).toMatchObject({
      kind: 'unknown',
      type: 'sms.sent',
    });
  });

  it('throws a readable DialerPayloadError for bodies that break the contract', () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not JSON/],
      [{ type: 'call.ended', data: { call } }, /id: .*created_at: .*account_id/s],
      [envelope('call.ended', { call: { ...call, status: 'exploded' } }), /data\.call\.status/],
      [envelope('call.ended', { call: { ...call, agent: 'bob' } }), /data\.call\.agent/],
      [envelope('call.answered', {}), /data\.call/],
      [
        envelope('contact.updated', { contact: { ...contact, dnc: 'yes' }, changed: [] }),
        /data\.contact\.dnc/,
      ],
      [envelope('call.ended', 'nope'), /data/],
      [{ ...envelope('call.ended', { call }), created_at: 'yesterday' }, /created_at: expected an ISO-8601/],
    ];
    for (const [input, message] of cases) {
      expect(() => parseDialerEvent(input)).toThrow(DialerPayloadError);
      expect(() => parseDialerEvent(input)).toThrow(message);
    }
  });

  it('keeps phone numbers and emails out of error messages', () => {
    try {
      parseDialerEvent(envelope('call.ended', { call: { ...call, status: 'exploded' } }));
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('9374');
      expect(String(error)).not.toContain('ada@example.com');
    }
  });
});
