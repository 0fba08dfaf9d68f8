import { normalisePhone } from '../phone/index.ts';

/**
 * The person being erased, as identifiers we may have stored: HubSpot contact ids, phone
 * numbers (E.164, with the national digits used to pre-filter rows) and emails (lower case).
 */
export interface Subject {
  contactIds: Set<string>;
  phones: Map<string, string>;
  emails: Set<string>;
  /** The account's country: numbers stored without `+` are read in it. */
  country: string;
}

export function emptySubject(country: string): Subject {
  return { contactIds: new Set(), phones: new Map(), emails: new Set(), country };
}

export function addPhone(subject: Subject, raw: unknown): boolean {
  if (typeof raw !== 'string') return false;
  const phone = normalisePhone(raw, subject.country);
  if (!phone) return false;
  subject.phones.set(phone.e164, phone.national);
  return true;
}

export function addEmail(subject: Subject, raw: unknown): void {
  if (typeof raw === 'string' && raw.includes('@')) subject.emails.add(raw.trim().toLowerCase());
}

export function addContactId(subject: Subject, raw: unknown): void {
  if ((typeof raw === 'string' && /^\d{1,20}$/.test(raw)) || typeof raw === 'number')
    subject.contactIds.add(String(raw));
}

const PHONE_LIKE = /^[+\d\s().\-/]{6,40}$/;
/** Fields that carry a HubSpot contact id in the payloads we store. */
const CONTACT_ID_KEYS = new Set(['external_id', 'objectId', 'contactId', 'contact_id', 'primaryObjectId']);

/** Whether a stored JSON document mentions the subject: by any phone format, email or contact id. */
export function mentionsSubject(document: unknown, subject: Subject): boolean {
  const visit = (value: unknown, key: string | null): boolean => {
    if (typeof value === 'string') {
      if (key && CONTACT_ID_KEYS.has(key) && subject.contactIds.has(value)) return true;
      if (subject.emails.has(value.trim().toLowerCase())) return true;
      if (PHONE_LIKE.test(value)) {
        const phone = normalisePhone(value, subject.country);
        return phone !== null && subject.phones.has(phone.e164);
      }
      return false;
    }
    if (typeof value === 'number')
      return key !== null && CONTACT_ID_KEYS.has(key) && subject.contactIds.has(String(value));
    if (Array.isArray(value)) return value.some((item) => visit(item, key));
    if (value && typeof value === 'object')
      return Object.entries(value).some(([childKey, child]) => visit(child, childKey));
    return false;
  };
  return visit(document, null);
}

/** Strings a JSON column is pre-filtered with (in SQL) before `mentionsSubject` decides. */
export function needles(subject: Subject): { digits: string[]; texts: string[] } {
  return {
    digits: [...subject.phones.values()],
    texts: [...subject.emails, ...subject.contactIds],
  };
}
