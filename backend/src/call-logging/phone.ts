import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export interface NormalisedPhone {
  /** +61293744000 */
  e164: string;
  /** 293744000: what HubSpot keeps in hs_searchable_calculated_* (no country code, no trunk prefix). */
  national: string;
}

/**
 * Normalises a number as an agent or importer typed it (`02 9374 4000`, `(415) 555-0100`,
 * `+61 2 9374 4000`), reading numbers without `+` in the account's country. The one phone
 * normaliser of the app: call matching, the activity filter and workflow actions all use it.
 */
export function normalisePhone(raw: string | null | undefined, country: string): NormalisedPhone | null {
  const text = raw?.trim();
  if (!text) return null;
  const region = country.toUpperCase();
  const parsed = parsePhoneNumberFromString(
    text,
    isSupportedCountry(region) ? (region as CountryCode) : undefined,
  );
  if (!parsed || !parsed.isValid()) return null;
  return { e164: parsed.number, national: String(parsed.nationalNumber) };
}
