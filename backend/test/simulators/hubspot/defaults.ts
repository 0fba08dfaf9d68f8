// HubSpot's defaults that every simulated portal starts with.
import type { SimOutcome } from './state.ts';

export const DEFAULT_OUTCOMES: readonly SimOutcome[] = [
  { id: '9d9162e7-6cf3-4944-bf63-4dff82258764', label: 'Busy', deleted: false },
  { id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected', deleted: false },
  { id: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff', label: 'Left live message', deleted: false },
  { id: 'b2cf5968-551e-4856-9783-52b3da59a7d0', label: 'Left voicemail', deleted: false },
  { id: '73a0d17f-1163-4015-bdd5-ec830791da20', label: 'No answer', deleted: false },
  { id: '17b47fee-58de-441e-a44c-c6300d46f273', label: 'Wrong number', deleted: false },
];

export const DEFAULT_CONTACT_PROPERTIES: Array<[name: string, type: string, fieldType: string]> = [
  ['email', 'string', 'text'],
  ['firstname', 'string', 'text'],
  ['lastname', 'string', 'text'],
  ['phone', 'string', 'phonenumber'],
  ['mobilephone', 'string', 'phonenumber'],
  ['company', 'string', 'text'],
  ['jobtitle', 'string', 'text'],
  ['website', 'string', 'text'],
  ['address', 'string', 'text'],
  ['city', 'string', 'text'],
  ['state', 'string', 'text'],
  ['zip', 'string', 'text'],
  ['country', 'string', 'text'],
  ['lifecyclestage', 'enumeration', 'radio'],
  ['hs_lead_status', 'enumeration', 'radio'],
  ['hubspot_owner_id', 'enumeration', 'select'],
  ['hs_timezone', 'enumeration', 'select'],
  ['hs_marketable_status', 'enumeration', 'booleancheckbox'],
  ['notes_last_contacted', 'datetime', 'date'],
  ['num_contacted_notes', 'number', 'number'],
  ['createdate', 'datetime', 'date'],
  ['lastmodifieddate', 'datetime', 'date'],
  ['hs_lastmodifieddate', 'datetime', 'date'],
  ['hs_object_id', 'number', 'number'],
  ['hs_searchable_calculated_phone_number', 'string', 'calculation_equation'],
  ['hs_searchable_calculated_mobile_number', 'string', 'calculation_equation'],
];
