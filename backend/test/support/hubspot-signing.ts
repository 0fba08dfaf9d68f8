import { signV3 } from '../../src/hubspot/signature.ts';

export interface SignedCall {
  method?: string;
  /** Path and query, e.g. `/api/session?portalId=1&userId=2`. */
  path: string;
  body?: unknown;
  secret: string;
  publicBaseUrl: string;
  timestampMs?: number;
  headers?: Record<string, string>;
}

/** Sends a request the way hubspot.fetch / workflows do: v3-signed over the public URL. */
export async function hubspotSignedFetch(appUrl: string, call: SignedCall): Promise<Response> {
  const method = call.method ?? 'GET';
  const raw = call.body === undefined ? '' : JSON.stringify(call.body);
  const timestamp = call.timestampMs ?? Date.now();
  const signature = signV3(call.secret, method, `${call.publicBaseUrl}${call.path}`, raw, timestamp);
  return fetch(`${appUrl}${call.path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': String(timestamp),
      ...call.headers,
    },
    body: call.body === undefined ? undefined : raw,
  });
}
