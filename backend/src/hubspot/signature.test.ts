import { describe, expect, it } from 'vitest';
import { decodeSignedUri, signV2, signV3, verifyHubSpotSignature } from './signature.ts';

const SECRET = 'f6e94c08-85d0-4608-bcc6-e1850176e7b8';
const TS = 1632188626483;

const request = (
  headers: Record<string, string>,
  overrides: Partial<{ uri: string; rawBody: string; method: string }> = {},
) => ({
  method: overrides.method ?? 'POST',
  uri: overrides.uri ?? 'https://www.hubspot.com/webhook',
  rawBody: overrides.rawBody ?? 'REQUEST_BODY',
  headers,
});

describe('HubSpot request signatures', () => {
  it("matches HubSpot's published v3 vector", () => {
    expect(signV3(SECRET, 'POST', 'https://www.hubspot.com/webhook', 'REQUEST_BODY', TS)).toBe(
      'jf872r5vscVcxCiDRHA4rGrqe/8BPLNVkdJSHdMnGTU=',
    );
    const check = verifyHubSpotSignature(
      SECRET,
      request({
        'x-hubspot-signature-v3': 'jf872r5vscVcxCiDRHA4rGrqe/8BPLNVkdJSHdMnGTU=',
        'x-hubspot-request-timestamp': String(TS),
      }),
      { allowV2: false, nowMs: TS + 1000 },
    );
    expect(check).toEqual({ ok: true, version: 'v3' });
  });

  const valid = {
    'x-hubspot-signature-v3': signV3(SECRET, 'POST', 'https://www.hubspot.com/webhook', 'REQUEST_BODY', TS),
    'x-hubspot-request-timestamp': String(TS),
  };

  it.each([
    ['wrong secret', 'other-secret', request(valid), TS],
    ['changed body', SECRET, request(valid, { rawBody: 'REQUEST_BODY2' }), TS],
    ['changed query', SECRET, request(valid, { uri: 'https://www.hubspot.com/webhook?portalId=2' }), TS],
    ['changed method', SECRET, request(valid, { method: 'PUT' }), TS],
    ['timestamp older than 5 minutes', SECRET, request(valid), TS + 5 * 60 * 1000 + 1],
    ['missing headers', SECRET, request({}), TS],
    ['missing timestamp', SECRET, request({ 'x-hubspot-signature-v3': valid['x-hubspot-signature-v3'] }), TS],
  ])('refuses %s', (_name, secret, req, now) => {
    expect(verifyHubSpotSignature(secret, req, { allowV2: true, nowMs: now }).ok).toBe(false);
  });

  it('decodes exactly the escapes HubSpot decodes before signing', () => {
    expect(decodeSignedUri('https://x.test/a%3Ab%2Fc?q=%40%20%2a')).toBe('https://x.test/a:b/c?q=@%20*');
    const uri = 'https://x.test/api?email=a%40b.com';
    const sig = signV3(SECRET, 'GET', uri, '', TS);
    expect(
      verifyHubSpotSignature(
        SECRET,
        request(
          { 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': String(TS) },
          { uri, method: 'GET', rawBody: '' },
        ),
        {
          allowV2: false,
          nowMs: TS,
        },
      ).ok,
    ).toBe(true);
  });

  it('accepts v2 only where allowed', () => {
    const sig = signV2(SECRET, 'POST', 'https://www.hubspot.com/webhook', 'REQUEST_BODY');
    const req = request({ 'x-hubspot-signature': sig, 'x-hubspot-signature-version': 'v2' });
    expect(verifyHubSpotSignature(SECRET, req, { allowV2: true })).toEqual({ ok: true, version: 'v2' });
    expect(verifyHubSpotSignature(SECRET, req, { allowV2: false }).ok).toBe(false);
    expect(verifyHubSpotSignature('other', req, { allowV2: true }).ok).toBe(false);
  });
});
