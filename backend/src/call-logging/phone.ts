import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export interface NormalisedPhone {
  /** +61293744000 */
  e164: string;
  /** 293744000: what HubSpot keeps in hs_searchable_calculated_* (no country code, no trunk prefix). */
  national: string;
}

/**
 * Normalises a number as an agent or importer typed it (`02 9374 4000`, `(415) 555-0100`,
 * `+61 2 9374 4000`), reading numbers without `+` in the account's country.
 */
export function normalisePhone(raw: string | null | undefined, country: string): NormalisedPhone | null {
  if (!raw || !raw.trim()) return null;
  const parsed = parsePhoneNumberFromString(raw, country.toUpperCase() as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return { e164: parsed.number, national: String(parsed.nationalNumber) };
}
