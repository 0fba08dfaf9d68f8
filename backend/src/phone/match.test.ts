import { describe, expect, it } from 'vitest';
import { contactHasNumber, contactNumbers, contactPhone, regionOfContact } from './index.ts';

describe('country-aware phone matching', () => {
  it('never matches by the national number alone', () => {
    expect(contactHasNumber({ phone: '+1 207-946-0958' }, '+442079460958', 'US')).toBe(false);
    expect(contactHasNumber({ phone: '+44 20 7946 0958' }, '+442079460958', 'US')).toBe(true);
  });

  it("reads a number without + in the contact's country, else the account's", () => {
    expect(contactNumbers({ phone: '020 7946 0958', country: 'United Kingdom' }, 'US')).toEqual([
      '+442079460958',
    ]);
    expect(contactNumbers({ phone: '020 7946 0958', hs_country_region_code: 'gb' }, 'US')).toEqual([
      '+442079460958',
    ]);
    expect(contactNumbers({ phone: '(207) 946-0958', country: 'Narnia' }, 'US')).toEqual(['+12079460958']);
    expect(contactNumbers({ mobilephone: '0412 345 678' }, 'AU')).toEqual(['+61412345678']);
    expect(contactNumbers({ phone: 'n/a' }, 'US')).toEqual([]);
  });

  it('names countries by code, English name or common alias', () => {
    expect(regionOfContact({ country: 'Deutschland' })).toBeNull();
    expect(regionOfContact({ country: 'Germany' })).toBe('DE');
    expect(regionOfContact({ country: 'USA' })).toBe('US');
    expect(regionOfContact({ country: 'au' })).toBe('AU');
  });

  it("a workflow contact's phone is read in its country too", () => {
    expect(contactPhone({ phone: '020 7946 0958', country: 'GB' }, 'US')).toEqual({
      ok: true,
      e164: '+442079460958',
      source: 'phone',
    });
  });
});
