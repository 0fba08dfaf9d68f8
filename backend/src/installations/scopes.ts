/**
 * The OAuth scopes the app asks for: exactly what the backend uses (docs/scopes.md says why for
 * each). `hubspot-project/app/app-hsmeta.json` must list the same; a test checks it.
 */
export const REQUIRED_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.write',
  'automation',
  'settings.users.read',
  'crm.extensions_calling_transcripts.read',
  'crm.extensions_calling_transcripts.write',
] as const;
