import fc from 'fast-check';
import { signDialerBody } from '../../src/dialer/signature.ts';
import { signV3 } from '../../src/hubspot/signature.ts';

/** One request the fuzzer sends: everything a caller controls. */
export interface FuzzRequest {
  method: string;
  path: string;
  body: string | undefined;
  contentType: string | undefined;
  signing: 'none' | 'garbled' | 'stale' | 'valid';
}

export interface Target {
  method: string;
  /** Path with `:param` segments, filled by `params`. */
  path: string;
  /** How it is signed: HubSpot v3 over the URL and body, Dialer.io over the body, or not at all. */
  auth: 'hubspot' | 'dialer' | 'none';
  /** A valid body to mutate. */
  body?: unknown;
  params?: Record<string, string>;
  query?: Record<string, string>;
}

const NASTY_SEGMENTS = [
  '%00',
  '%',
  '%ZZ',
  '%ED%A0%80',
  '%C0%AF',
  '..',
  '%2e%2e%2f',
  '%F0%9F%98',
  'a'.repeat(3000),
];
const NASTY_BODIES = [
  '{"a":"\\u0000"}',
  '[{"eventId":"\\ud800","portalId":1}]',
  '{"x":"\\udfff"}',
  '\u0000',
  '{',
  '[]',
  'null',
  '1e999999',
  '{"__proto__":{"polluted":1}}',
  '"\\u0000"',
  // Deep nesting (a recursive walk over the parsed body once answered 500): refused at the edge.
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"origin":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  undefined,
];

const segment = (valid: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(valid) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_SEGMENTS) },
  );

/** A valid body with one value replaced at a random place, or something else entirely. */
function bodyFor(sample: unknown): fc.Arbitrary<string | undefined> {
  const replaced = fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.nat()).map(([value, pick]) => {
    const copy = structuredClone(sample ?? {}) as Record<string, unknown>;
    const target = Array.isArray(copy) ? ((copy[0] as Record<string, unknown> | undefined) ?? copy) : copy;
    const keys = Object.keys(target);
    if (keys.length > 0) target[keys[pick % keys.length]!] = value;
    return JSON.stringify(copy);
  });
  const unicode = fc
    .string({ maxLength: 20, unit: 'binary' })
    .chain((text) => fc.constantFrom(text, `${text}\u0000`, `\ud800${text}`))
    .map((text) => JSON.stringify(withText(sample, text)));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(sample === undefined ? undefined : JSON.stringify(sample)) },
    { weight: 4, arbitrary: replaced },
    { weight: 2, arbitrary: unicode },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_BODIES) },
  );
}

/** The sample with every string replaced by `text` (keys included): \u0000 and lone surrogates reach every field. */
function withText(sample: unknown, text: string): unknown {
  if (typeof sample === 'string') return text;
  if (Array.isArray(sample)) return sample.map((item) => withText(item, text));
  if (sample && typeof sample === 'object')
    return Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, withText(v, text)]));
  return sample;
}

export function fuzzRequest(target: Target, signings: FuzzRequest['signing'][]): fc.Arbitrary<FuzzRequest> {
  const names = [...target.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const params = fc.tuple(...names.map((name) => segment(target.params?.[name] ?? 'x')));
  const extraQuery = fc.option(
    fc.tuple(fc.constantFrom('callId', 'phone', 'level', 'cursor', 'limit', 'code', 'state'), segment('1')),
  );
  return fc
    .record({
      params: names.length ? params : fc.constant([] as string[]),
      extraQuery,
      body: bodyFor(target.body),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      signing: fc.constantFrom(...signings),
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(target.method) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') },
      ),
    })
    .map(({ params: values, extraQuery: extra, body, contentType, signing, method }) => {
      let i = 0;
      const path = target.path.replace(/:(\w+)/g, () => values[i++]!);
      const query = new URLSearchParams(target.query);
      const suffix = extra ? `${query.size ? '&' : ''}${extra[0]}=${extra[1]}` : '';
      const search = query.size || suffix ? `?${query}${suffix}` : '';
      return {
        method,
        path: `${path}${search}`,
        body: method === 'GET' ? undefined : body,
        contentType,
        signing,
      };
    });
}

/** Headers that sign (or pretend to sign) the request as its caller would. */
export function signingHeaders(
  request: FuzzRequest,
  target: Target,
  secrets: { hubspot: string; dialer: string; publicBaseUrl: string },
): Record<string, string> {
  if (request.signing === 'none' || target.auth === 'none') return {};
  const now = Date.now() - (request.signing === 'stale' ? 10 * 60_000 : 0);
  const raw = request.body ?? '';
  if (target.auth === 'dialer') {
    const signature = signDialerBody(secrets.dialer, raw, Math.floor(now / 1000));
    return {
      'dialer-signature':
        request.signing === 'garbled'
          ? signature.replace(/v1=(.)/, (_m, first: string) => `v1=${first === '0' ? '1' : '0'}`)
          : signature,
    };
  }
  const signature = signV3(
    secrets.hubspot,
    request.method,
    `${secrets.publicBaseUrl}${request.path}`,
    raw,
    now,
  );
  return {
    'x-hubspot-signature-v3': request.signing === 'garbled' ? garble(signature) : signature,
    'x-hubspot-request-timestamp': String(now),
  };
}

/** The same signature with one character in its middle changed (not padding): never valid. */
function garble(signature: string): string {
  const at = signature.length - 12;
  return `${signature.slice(0, at)}${signature[at] === 'a' ? 'b' : 'a'}${signature.slice(at + 1)}`;
}
