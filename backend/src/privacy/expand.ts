import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { addContactId, addEmail, addPhone, type Subject } from './subject.ts';

/**
 * Completes the subject from what we stored about it: the contacts its numbers matched, and
 * the numbers and emails we hold for its contacts (links, calls, the Dialer.io contact events
 * and the workflow requests about them). One round: a number that belongs to another contact
 * does not pull that contact in.
 */
export async function expandSubject(db: Db, installationId: string, subject: Subject): Promise<void> {
  await addContactsOfEmails(db, installationId, subject);
  const phones = [...subject.phones.keys()];
  if (phones.length > 0) {
    for (const table of ['phone_lookups', 'contact_links', 'calls'] as const) {
      const rows = await db
        .selectFrom(table)
        .select('contact_id')
        .where('installation_id', '=', installationId)
        .where('phone_e164', 'in', phones)
        .where('contact_id', 'is not', null)
        .execute();
      for (const row of rows) addContactId(subject, row.contact_id);
    }
  }
  const contactIds = [...subject.contactIds];
  if (contactIds.length === 0) return;
  for (const table of ['phone_lookups', 'contact_links', 'calls'] as const) {
    const rows = await db
      .selectFrom(table)
      .select('phone_e164')
      .where('installation_id', '=', installationId)
      .where('contact_id', 'in', contactIds)
      .execute();
    for (const row of rows) addPhone(subject, row.phone_e164);
  }
  await addFromDialerContactEvents(db, installationId, subject, contactIds);
  await addFromWorkflowRequests(db, installationId, subject, contactIds);
}

async function addFromDialerContactEvents(db: Db, installationId: string, subject: Subject, ids: string[]) {
  const rows = await sql<{ contact: { phone?: unknown; email?: unknown } | null }>`
    select payload->'data'->'contact' as contact from webhook_inbox
    where installation_id = ${installationId} and event_type = 'contact.updated'
      and payload->'data'->'contact'->>'external_id' in (${sql.join(ids)})`.execute(db);
  for (const { contact } of rows.rows) {
    addPhone(subject, contact?.phone);
    addEmail(subject, contact?.email);
  }
}

async function addFromWorkflowRequests(db: Db, installationId: string, subject: Subject, ids: string[]) {
  const rows = await sql<{ properties: Record<string, unknown> | null }>`
    select request->'object'->'properties' as properties from workflow_executions
    where installation_id = ${installationId} and contact_id in (${sql.join(ids)})`.execute(db);
  for (const { properties } of rows.rows) {
    addPhone(subject, properties?.phone);
    addPhone(subject, properties?.mobilephone);
    addEmail(subject, properties?.email);
  }
}

/** The Dialer.io contacts (external_id = HubSpot contact id) and workflow requests with the email. */
async function addContactsOfEmails(db: Db, installationId: string, subject: Subject) {
  const emails = [...subject.emails];
  if (emails.length === 0) return;
  const events = await sql<{ contact: { phone?: unknown; external_id?: unknown } | null }>`
    select payload->'data'->'contact' as contact from webhook_inbox
    where installation_id = ${installationId} and event_type = 'contact.updated'
      and lower(trim(payload->'data'->'contact'->>'email')) in (${sql.join(emails)})`.execute(db);
  for (const { contact } of events.rows) {
    addContactId(subject, contact?.external_id);
    addPhone(subject, contact?.phone);
  }
  const requests = await sql<{ contact_id: string }>`
    select contact_id from workflow_executions
    where installation_id = ${installationId}
      and lower(trim(request->'object'->'properties'->>'email')) in (${sql.join(emails)})`.execute(db);
  for (const { contact_id } of requests.rows) addContactId(subject, contact_id);
}
