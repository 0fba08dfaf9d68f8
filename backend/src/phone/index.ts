/**
 * The phone module: one normaliser and one country-aware matcher, below every capability that
 * handles numbers (call logging, workflow actions, contact card, contact sync, call follow-up).
 */
export { normalisePhone, regionOfContact, supportedRegion, type NormalisedPhone } from './normalise.ts';
export { CONTACT_PHONE_PROPERTIES, contactHasNumber, contactNumbers } from './match.ts';
export { contactPhone, toE164, type ContactPhone } from './contact-phone.ts';
