import type { DialerContact, DialerContactInput } from '../dialer/index.ts';
import type { Db } from '../platform/db/database.ts';
import { toE164 } from '../phone/index.ts';
import type { Mapping } from './catalog.ts';

/** Owners by id and by email, and agents' mapped owners: the owner mapping goes through them. */
export interface OwnerDirectory {
  ownerIdForEmail(email: string): string | null;
  emailForOwnerId(ownerId: string): string | null;
}

export async function loadOwnerDirectory(db: Db, installationId: string): Promise<OwnerDirectory> {
  const agents = await db
    .selectFrom('dialer_agents')
    .select(['email', 'owner_id'])
    .where('installation_id', '=', installationId)
    .where('owner_id', 'is not', null)
    .execute();
  const owners = await db
    .selectFrom('hubspot_owners')
    .select(['owner_id', 'email'])
    .where('installation_id', '=', installationId)
    .where('archived', '=', false)
    .execute();
  const norm = (email: string | null) => email?.trim().toLowerCase() ?? '';
  const ownerByAgentEmail = new Map(agents.map((a) => [norm(a.email), a.owner_id!]));
  const ownerByEmail = new Map(owners.map((o) => [norm(o.email), o.owner_id]));
  const agentEmailByOwner = new Map(agents.map((a) => [a.owner_id!, a.email?.trim() ?? null]));
  const emailByOwner = new Map(owners.map((o) => [o.owner_id, o.email]));
  return {
    ownerIdForEmail: (email) => ownerByAgentEmail.get(norm(email)) ?? ownerByEmail.get(norm(email)) ?? null,
    emailForOwnerId: (id) => agentEmailByOwner.get(id) ?? emailByOwner.get(id) ?? null,
  };
}

/** When the Dialer.io contact last changed (its `updated_at`; `fallback` when Dialer.io did not say). */
export function dialerChangedAt(contact: DialerContact, fallback: number): number {
  return Date.parse(contact.updated_at ?? '') || fallback;
}

/** A Dialer.io contact's value of a mapped field, as text ('' when empty). */
export function dialerValueOf(contact: DialerContact, dialerField: string): string {
  if (dialerField.startsWith('fields.')) return contact.fields[dialerField.slice(7)] ?? '';
  const value = (contact as unknown as Record<string, unknown>)[dialerField];
  if (typeof value === 'boolean') return String(value);
  return typeof value === 'string' ? value : '';
}

/** The HubSpot value for a Dialer.io value; null when it cannot be written (unknown owner). */
export function toHubSpotValue(mapping: Mapping, dialerValue: string, owners: OwnerDirectory): string | null {
  if (mapping.kind === 'owner') return dialerValue === '' ? null : owners.ownerIdForEmail(dialerValue);
  return dialerValue;
}

/** The Dialer.io value for a HubSpot value; null when it cannot be written. */
export function toDialerValue(
  mapping: Mapping,
  hubspotValue: string,
  owners: OwnerDirectory,
  country: string,
): string | null {
  if (mapping.kind === 'owner') return hubspotValue === '' ? '' : owners.emailForOwnerId(hubspotValue);
  if (mapping.kind === 'phone') return hubspotValue === '' ? null : (toE164(hubspotValue, country) ?? null);
  return hubspotValue;
}

/** Puts one field into a `PUT /v1/contacts` body ('' clears a top-level field). */
export function setDialerField(body: DialerContactInput, dialerField: string, value: string): void {
  if (dialerField.startsWith('fields.')) {
    body.fields = { ...body.fields, [dialerField.slice(7)]: value };
    return;
  }
  if (dialerField === 'phone') {
    body.phone = value;
    return;
  }
  (body as unknown as Record<string, string | null>)[dialerField] = value === '' ? null : value;
}

/** Whether the Dialer.io contact already holds everything in `body` (so sending it again is not needed). */
export function dialerContactHolds(contact: DialerContact, body: DialerContactInput): boolean {
  for (const [key, value] of Object.entries(body)) {
    if (key === 'fields') {
      for (const [field, text] of Object.entries(value as Record<string, string>))
        if ((contact.fields[field] ?? '') !== text) return false;
      continue;
    }
    if (key === 'phone') {
      if (contact.phone !== value) return false;
      continue;
    }
    if (dialerValueOf(contact, key) !== (value ?? '')) return false;
  }
  return true;
}
