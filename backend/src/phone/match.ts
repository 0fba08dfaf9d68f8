import { normalisePhone, regionOfContact } from './normalise.ts';

/**
 * Country-aware phone matching, shared by call logging, contact sync and call follow-up.
 *
 * HubSpot keeps a contact's numbers as typed (`phone`, `mobilephone`) and searches them by the
 * national number only (`hs_searchable_calculated_*`), so +44 20 7946 0958 and +1 207-946-0958
 * look alike there. A search hit is therefore only a candidate: it matches when one of its
 * numbers, read as E.164, equals the number we look for. A stored number without `+` is read in
 * the contact's country (`hs_country_region_code` or `country`), else in the account's.
 */

/** The HubSpot contact properties `contactNumbers` reads: ask the search for these. */
export const CONTACT_PHONE_PROPERTIES = [
  'phone',
  'mobilephone',
  'country',
  'hs_country_region_code',
] as const;

/** The contact's numbers in E.164 (invalid ones left out), read as described above. */
export function contactNumbers(
  properties: Record<string, string | null | undefined>,
  accountCountry: string,
): string[] {
  const region = regionOfContact(properties) ?? accountCountry;
  return [properties.phone, properties.mobilephone].flatMap((raw) => {
    const e164 = normalisePhone(raw, region)?.e164;
    return e164 ? [e164] : [];
  });
}

/** Whether a HubSpot contact has this number (E.164), never by the national number alone. */
export function contactHasNumber(
  properties: Record<string, string | null | undefined>,
  e164: string,
  accountCountry: string,
): boolean {
  return contactNumbers(properties, accountCountry).includes(e164);
}
