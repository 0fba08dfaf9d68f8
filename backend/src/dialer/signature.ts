import { createHmac, timingSafeEqual } from 'node:crypto';

// Dialer-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

export type DialerSignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';
export type DialerSignatureResult = { ok: true } | { ok: false; reason: DialerSignatureFailure };

export interface VerifyDialerSignatureInput {
  secret: string;
  /** The body exactly as received: never a re-serialised object. */
  rawBody: string | Buffer;
  /** The `Dialer-Signature` header as the HTTP framework gives it. */
  header: string | readonly string[] | null | undefined;
  /** Defaults to the current time. */
  nowSeconds?: number;
  toleranceSeconds?: number;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

function hmac(secret: string, timestamp: string, rawBody: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

export function signDialerBody(secret: string, rawBody: string | Buffer, unixSeconds: number): string {
  const t = String(Math.floor(unixSeconds));
  return `t=${t},v1=${hmac(secret, t, rawBody).toString('hex')}`;
}

interface ParsedHeader {
  timestamp: string;
  signatures: Buffer[];
}

/** Accepts `t=..,v1=..`; several `v1` entries (secret rotation) are allowed, other schemes ignored. */
function parseHeader(header: string): ParsedHeader | null {
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !UNIX_SECONDS.test(value)) return null;
      timestamp = value;
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) return null;
  return { timestamp, signatures };
}

export function verifyDialerSignature(input: VerifyDialerSignatureInput): DialerSignatureResult {
  const raw = Array.isArray(input.header) ? input.header[0] : input.header;
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'missing' };

  const parsed = parseHeader(raw);
  if (!parsed) return { ok: false, reason: 'malformed' };

  const now = input.nowSeconds ?? Date.now() / 1000;
  const tolerance = input.toleranceSeconds ?? 300;
  if (Math.abs(now - Number(parsed.timestamp)) > tolerance) return { ok: false, reason: 'stale' };

  const expected = hmac(input.secret, parsed.timestamp, input.rawBody);
  const matches = parsed.signatures.some(
    (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
  );
  return matches ? { ok: true } : { ok: false, reason: 'mismatch' };
}
