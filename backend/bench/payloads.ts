// Dialer.io call events as the benchmarks send them, signed like Dialer.io signs them.
// Imported by the load generator (its own process) and by the benchmarks.
import { request, type Agent as HttpAgent } from 'node:http';
import { signDialerBody } from '../src/dialer/signature.ts';

export interface Agent {
  id: string;
  name: string;
  email: string;
}

/** What the calls of one portal look like. */
export interface CallTemplate {
  accountId: string;
  agent: Agent | null;
  /** HubSpot contact ids: even call i carries contactIds[i/2 mod n] as the Dialer contact's external_id. */
  contactIds: string[];
  /** Odd call i dials phones[(i-1)/2 mod n] (every call does when contactIds is empty); else a fresh number. */
  phones: string[];
}

export interface Target {
  /** `/dialer/webhooks/<key>` */
  path: string;
  secret: string;
  template: CallTemplate;
}

export const EVENTS_PER_CALL = 3;
const TYPES = ['call.started', 'call.answered', 'call.ended'] as const;

export const callId = (runId: string, i: number) => `call_${runId}_${i}`;

/** A US number HubSpot and libphonenumber accept: +1 617 2XX XXXX. */
export const phoneNumber = (i: number) => `+1617${String(2_000_000 + (i % 8_000_000)).padStart(7, '0')}`;

/** The `step`-th event (0 started, 1 answered, 2 ended) of call `i`, as the JSON Dialer.io posts. */
export function callEventBody(runId: string, i: number, step: number, t: CallTemplate, startedMs: number) {
  const withContact = t.contactIds.length > 0 && i % 2 === 0;
  const started = new Date(startedMs).toISOString().replace(/\.\d+Z$/, 'Z');
  const answered = new Date(startedMs + 8_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const ended = new Date(startedMs + 103_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const call = {
    id: callId(runId, i),
    direction: 'outbound',
    status: step === 0 ? 'ringing' : step === 1 ? 'in_progress' : 'completed',
    from_number: '+1 415 200 0100',
    to_number: withContact
      ? phoneNumber(1_000_000 + i)
      : (t.phones[Math.floor(i / 2) % Math.max(1, t.phones.length)] ?? phoneNumber(i)),
    started_at: started,
    answered_at: step >= 1 ? answered : null,
    ended_at: step >= 2 ? ended : null,
    duration_seconds: step >= 2 ? 103 : 0,
    talk_seconds: step >= 2 ? 95 : 0,
    agent: t.agent,
    disposition: null,
    notes: step >= 2 ? `Benchmark call ${i}: talked about the renewal, follow up next week.` : null,
    recording_url: step >= 2 ? `https://recordings.dialer.io/${callId(runId, i)}.mp3` : null,
    list_id: null,
    contact: withContact
      ? { id: `dc_${i}`, external_id: t.contactIds[Math.floor(i / 2) % t.contactIds.length]! }
      : null,
  };
  return JSON.stringify({
    id: `evt_${runId}_${i}_${step}`,
    type: TYPES[step],
    created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    account_id: t.accountId,
    data: { call },
  });
}

export function signedHeaders(secret: string, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'dialer-signature': signDialerBody(secret, body, Date.now() / 1000),
  };
}

/** POSTs one signed webhook body to `target`; resolves with the HTTP status, or 'error'. */
export function postSigned(baseUrl: string, agent: HttpAgent, target: Target, body: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: target.path,
        method: 'POST',
        agent,
        headers: signedHeaders(target.secret, body),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', () => resolve('error'));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('error'));
    req.end(body);
  });
}
