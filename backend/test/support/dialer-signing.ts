import { signDialerBody } from '../../src/dialer/signature.ts';

/** POSTs a raw body to a Dialer.io webhook URL, signed as Dialer.io signs deliveries. */
export function postDialerWebhook(
  appUrl: string,
  key: string,
  secret: string,
  rawBody: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const signature = signDialerBody(secret, rawBody, Math.floor(Date.now() / 1000));
  return fetch(`${appUrl}/dialer/webhooks/${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'dialer-signature': signature, ...headers },
    body: rawBody,
  });
}

/** A call.ended event whose notes carry `notes` (any text). */
export function callEndedBody(id: string, notes: string): string {
  return JSON.stringify({
    id: `evt_${id}`,
    type: 'call.ended',
    created_at: '2026-11-21T14:03:11Z',
    account_id: 'acc_fuzz',
    data: {
      call: {
        id,
        direction: 'outbound',
        status: 'completed',
        from_number: '+61 2 8000 0000',
        to_number: '+61 2 9000 0000',
        started_at: '2026-11-21T14:00:00Z',
        answered_at: '2026-11-21T14:00:05Z',
        ended_at: '2026-11-21T14:03:00Z',
        duration_seconds: 180,
        talk_seconds: 175,
        agent: null,
        disposition: null,
        notes,
        recording_url: null,
        list_id: null,
        contact: null,
      },
    },
  });
}
