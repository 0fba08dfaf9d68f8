import { describe, expect, it } from 'vitest';
import { normalisePhone } from './normalise.ts';

describe('normalisePhone', () => {
  it('reads the same Australian number however it was typed', () => {
    for (const typed of ['+61 2 9374 4000', '02 9374 4000', '(02) 9374-4000', '+61293744000']) {
      expect(normalisePhone(typed, 'AU')).toEqual({ e164: '+61293744000', national: '293744000' });
    }
  });

  it('reads US numbers in a US account and keeps foreign numbers foreign', () => {
    expect(normalisePhone('(415) 555-0100', 'US')?.e164).toBe('+14155550100');
    expect(normalisePhone('+44 20 7946 0958', 'US')?.e164).toBe('+442079460958');
  });

  it('refuses what is not a phone number', () => {
    expect(normalisePhone('', 'AU')).toBeNull();
    expect(normalisePhone('n/a', 'AU')).toBeNull();
    expect(normalisePhone('123', 'AU')).toBeNull();
  });
});
