import { normalisePhone, regionOfContact } from './normalise.ts';

export type ContactPhone =
  | { ok: true; e164: string; source: 'phone' | 'mobilephone' }
  | { ok: false; code: 'NO_PHONE' | 'INVALID_PHONE' };

/** A number as typed, in E.164 (see `normalisePhone`); null when it is not a number. */
export function toE164(raw: string, defaultCountry: string): string | null {
  return normalisePhone(raw, defaultCountry)?.e164 ?? null;
}

/**
 * The contact's phone number in E.164: `phone`, or `mobilephone` when there is no usable `phone`.
 * A number without `+` is read in the contact's country when its properties name one, else in
 * `defaultCountry` (the Dialer.io account's).
 */
export function contactPhone(
  properties: Record<string, string | null | undefined>,
  defaultCountry: string,
): ContactPhone {
  const region = regionOfContact(properties) ?? defaultCountry;
  let typed = false;
  for (const source of ['phone', 'mobilephone'] as const) {
    const raw = properties[source]?.trim();
    if (!raw) continue;
    typed = true;
    const e164 = toE164(raw, region);
    if (e164) return { ok: true, e164, source };
  }
  return { ok: false, code: typed ? 'INVALID_PHONE' : 'NO_PHONE' };
}
