import { describe, expect, it } from 'vitest';
import { contactPhone, toE164 } from './contact-phone.ts';

describe('phone numbers in E.164', () => {
  it.each([
    ['+61 2 9374 4000', 'US', '+61293744000'],
    ['02 9374 4000', 'AU', '+61293744000'],
    ['(415) 555-0100', 'US', '+14155550100'],
    ['415.555.0100', 'us', '+14155550100'],
    ['0044 20 7946 0958', 'GB', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
  ])('reads %s in %s as %s', (raw, country, expected) => {
    expect(toE164(raw, country)).toBe(expected);
  });

  it.each([[''], ['   '], ['12'], ['call me'], ['+1 555']])('refuses %j', (raw) => {
    expect(toE164(raw, 'US')).toBeNull();
  });

  it('reads numbers with + even when the default country is unknown', () => {
    expect(toE164('+1 415 555 0100', 'XX')).toBe('+14155550100');
    expect(toE164('415 555 0100', 'XX')).toBeNull();
  });

  it('takes the phone, then the mobile phone when there is no usable phone', () => {
    expect(contactPhone({ phone: '(415) 555-0100', mobilephone: '(415) 555-0199' }, 'US')).toEqual({
      ok: true,
      e164: '+14155550100',
      source: 'phone',
    });
    expect(contactPhone({ phone: '', mobilephone: '(415) 555-0199' }, 'US')).toMatchObject({
      e164: '+14155550199',
      source: 'mobilephone',
    });
    expect(contactPhone({ phone: 'n/a', mobilephone: '(415) 555-0199' }, 'US')).toMatchObject({
      source: 'mobilephone',
    });
  });

  it('says whether the number is missing or unreadable', () => {
    expect(contactPhone({}, 'US')).toEqual({ ok: false, code: 'NO_PHONE' });
    expect(contactPhone({ phone: null, mobilephone: ' ' }, 'US')).toEqual({ ok: false, code: 'NO_PHONE' });
    expect(contactPhone({ phone: 'ask reception' }, 'US')).toEqual({ ok: false, code: 'INVALID_PHONE' });
  });
});
