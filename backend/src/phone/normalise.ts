import {
  getCountries,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';

export interface NormalisedPhone {
  /** +61293744000 */
  e164: string;
  /** 293744000: what HubSpot keeps in hs_searchable_calculated_* (no country code, no trunk prefix). */
  national: string;
}

/** An ISO 3166-1 alpha-2 code libphonenumber knows, upper case; null for anything else. */
export function supportedRegion(country: string | null | undefined): CountryCode | null {
  const region = country?.trim().toUpperCase();
  return region && isSupportedCountry(region) ? (region as CountryCode) : null;
}

/**
 * Normalises a number as an agent or importer typed it (`02 9374 4000`, `(415) 555-0100`,
 * `+61 2 9374 4000`), reading numbers without `+` in `country` (ISO alpha-2). The one phone
 * normaliser of the app: call matching, the activity filter, workflow actions and the contact
 * card all use it (directly or through `contact-phone.ts`). Null when it is not a valid number.
 */
export function normalisePhone(raw: string | null | undefined, country: string): NormalisedPhone | null {
  const text = raw?.trim();
  if (!text) return null;
  const key = `${country}\u0000${text}`;
  const known = recent.get(key);
  if (known !== undefined) return known && { ...known };
  const parsed = parsePhoneNumberFromString(text, supportedRegion(country) ?? undefined);
  const result = parsed?.isValid() ? { e164: parsed.number, national: String(parsed.nationalNumber) } : null;
  if (recent.size >= RECENT_LIMIT) recent.clear();
  recent.set(key, result);
  return result && { ...result };
}

/**
 * Numbers normalised lately: a call's number is normalised several times on its way (matching,
 * properties, follow-up), and parsing is the costliest step of preparing a call. Bounded.
 */
const recent = new Map<string, NormalisedPhone | null>();
const RECENT_LIMIT = 10_000;

let regionByName: Map<string, CountryCode> | undefined;

/**
 * A HubSpot contact's country as a region code: `hs_country_region_code` ("GB") or the free-text
 * `country` property ("GB", "United Kingdom", "united states"). Null when it names no country.
 */
export function regionOfContact(properties: Record<string, string | null | undefined>): CountryCode | null {
  for (const value of [properties.hs_country_region_code, properties.country]) {
    const text = value?.trim();
    if (!text) continue;
    const byCode = text.length === 2 ? supportedRegion(text) : null;
    if (byCode) return byCode;
    const byName = regionNames().get(text.toLowerCase());
    if (byName) return byName;
  }
  return null;
}

function regionNames(): Map<string, CountryCode> {
  if (regionByName) return regionByName;
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  regionByName = new Map(getCountries().map((code) => [names.of(code)!.toLowerCase(), code]));
  for (const [alias, code] of [
    ['usa', 'US'],
    ['united states of america', 'US'],
    ['uk', 'GB'],
    ['great britain', 'GB'],
    ['england', 'GB'],
  ] as const)
    regionByName.set(alias, code);
  return regionByName;
}
