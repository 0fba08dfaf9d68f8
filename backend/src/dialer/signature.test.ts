import { describe, expect, it } from 'vitest';
import { signDialerBody, verifyDialerSignature } from './signature.ts';

const secret = 'whsec_test_secret';
const body =
  '{"id":"evt_1","type":"call.ended","created_at":"2026-11-21T14:03:11Z","account_id":"acc_1","data":{}}';
const now = 1_795_000_000;

describe('Dialer webhook signature', () => {
  it('signs as t=<t>,v1=<hex hmac> and verifies its own signature', () => {
    const header = signDialerBody(secret, body, now);
    expect(header).toMatch(/^t=1795000000,v1=[0-9a-f]{64}$/);
    expect(verifyDialerSignature({ secret, rawBody: body, header, nowSeconds: now })).toEqual({ ok: true });
    expect(
      verifyDialerSignature({ secret, rawBody: Buffer.from(body), header, nowSeconds: now + 299 }),
    ).toEqual({
      ok: true,
    });
  });

  it('matches an independently computed HMAC over "<t>.<raw body>"', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signDialerBody(secret, Buffer.from(body), now)).toBe(`t=${now},v1=${expected}`);
  });

  it('rejects a tampered body or a wrong secret as mismatch', () => {
    const header = signDialerBody(secret, body, now);
    const tampered = body.replace('call.ended', 'call.started');
    expect(verifyDialerSignature({ secret, rawBody: tampered, header, nowSeconds: now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyDialerSignature({ secret: 'other', rawBody: body, header, nowSeconds: now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a timestamp more than the tolerance away from now, either way', () => {
    const header = signDialerBody(secret, body, now);
    for (const nowSeconds of [now + 301, now - 301]) {
      expect(verifyDialerSignature({ secret, rawBody: body, header, nowSeconds })).toEqual({
        ok: false,
        reason: 'stale',
      });
    }
    expect(
      verifyDialerSignature({ secret, rawBody: body, header, nowSeconds: now + 301, toleranceSeconds: 600 })
        .ok,
    ).toBe(true);
  });

  it('reports a missing header', () => {
    for (const header of [undefined, null, '', '  ', []]) {
      expect(verifyDialerSignature({ secret, rawBody: body, header, nowSeconds: now })).toEqual({
        ok: false,
        reason: 'missing',
      });
    }
  });

  it('reports malformed headers', () => {
    const v1 = signDialerBody(secret, body, now).split(',')[1]!;
    const malformed = [
      'garbage',
      `t=${now}`,
      v1,
      `t=abc,${v1}`,
      `t=${now},v1=zz`,
      `t=${now},v1=${'a'.repeat(63)}`,
      `t=${now},t=${now},${v1}`,
      `t=${now},=x,${v1}`,
    ];
    for (const header of malformed) {
      expect(verifyDialerSignature({ secret, rawBody: body, header, nowSeconds: now }), header).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('accepts any matching v1 among several (secret rotation) and a header given as an array', () => {
    const good = signDialerBody(secret, body, now);
    const other = signDialerBody('old', body, now).split(',')[1]!;
    expect(
      verifyDialerSignature({ secret, rawBody: body, header: `${good},${other}`, nowSeconds: now }).ok,
    ).toBe(true);
    expect(verifyDialerSignature({ secret, rawBody: body, header: [good], nowSeconds: now }).ok).toBe(true);
  });

  it('is fast enough for 2,000 deliveries a second', () => {
    const header = signDialerBody(secret, body, now);
    const started = performance.now();
    for (let i = 0; i < 2_000; i++) verifyDialerSignature({ secret, rawBody: body, header, nowSeconds: now });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
