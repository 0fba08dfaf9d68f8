import { createHash } from 'node:crypto';
import { hmacSha256, safeEqual } from '../platform/crypto.ts';

/** HubSpot decodes exactly these escapes in the URI before signing (v3). */
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function decodeSignedUri(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (match) => DECODED[match.toUpperCase()] ?? match,
  );
}

export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** Full URI as HubSpot called it: PUBLIC_BASE_URL + original URL. */
  uri: string;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
}

export type SignatureCheck = { ok: true; version: 'v3' | 'v2' } | { ok: false; reason: string };

export function signV3(
  secret: string,
  method: string,
  uri: string,
  rawBody: string,
  timestampMs: number,
): string {
  return hmacSha256(secret, `${method}${decodeSignedUri(uri)}${rawBody}${timestampMs}`).toString('base64');
}

export function signV2(secret: string, method: string, uri: string, rawBody: string): string {
  return createHash('sha256').update(`${secret}${method}${uri}${rawBody}`).digest('hex');
}

const header = (headers: SignedRequest['headers'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Verifies `X-HubSpot-Signature-v3` (preferred) or, when `allowV2` and only v2 is present,
 * `X-HubSpot-Signature` v2. Constant-time comparison; v3 older than five minutes is refused.
 */
export function verifyHubSpotSignature(
  secret: string,
  request: SignedRequest,
  options: { allowV2: boolean; nowMs?: number },
): SignatureCheck {
  const v3 = header(request.headers, 'x-hubspot-signature-v3');
  if (v3) {
    const timestamp = header(request.headers, 'x-hubspot-request-timestamp');
    if (!timestamp || !/^\d{1,16}$/.test(timestamp))
      return { ok: false, reason: 'missing or malformed timestamp' };
    const age = (options.nowMs ?? Date.now()) - Number(timestamp);
    if (age > MAX_SIGNATURE_AGE_MS || age < -MAX_SIGNATURE_AGE_MS)
      return { ok: false, reason: 'stale timestamp' };
    const expected = signV3(
      secret,
      request.method.toUpperCase(),
      request.uri,
      request.rawBody,
      Number(timestamp),
    );
    return safeEqual(expected, v3)
      ? { ok: true, version: 'v3' }
      : { ok: false, reason: 'signature mismatch' };
  }
  const v2 = header(request.headers, 'x-hubspot-signature');
  if (v2 && options.allowV2) {
    const version = header(request.headers, 'x-hubspot-signature-version');
    if (version && version.toLowerCase() !== 'v2')
      return { ok: false, reason: `unsupported signature version ${version}` };
    const expected = signV2(secret, request.method.toUpperCase(), request.uri, request.rawBody);
    return safeEqual(expected, v2.toLowerCase())
      ? { ok: true, version: 'v2' }
      : { ok: false, reason: 'signature mismatch' };
  }
  return { ok: false, reason: 'missing signature' };
}
