import type { ActivityEntry } from '../activity/record.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { Db } from '../platform/db/database.ts';
import type { FollowUpCall } from './episodes.ts';
import { linkNumbers, readContacts } from './contacts.ts';
import { createContacts, findCreatedContacts } from './unknown-caller-writes.ts';

export interface UnknownCallerContext {
  db: Db;
  installationId: string;
  client: PortalClient;
  activity: ActivityEntry[];
  country: string;
  searchIndexDelayMs: number;
  now: number;
}

/** A create for these numbers went out and its answer was lost: HubSpot's search may not show it yet. */
export class UnknownCallerPending extends Error {
  constructor(
    readonly phones: string[],
    readonly retryInMs: number,
  ) {
    super(`A contact for ${phones.length} unknown number(s) may have been created: looking again shortly.`);
    this.name = 'UnknownCallerPending';
  }
}

type Row = { phone_e164: string; contact_id: string | null; sent_at: Date | string | null };

/**
 * Creates a non-marketing contact for each unknown caller's number, once whatever answers get
 * lost: a row keyed by the number exists before the create goes out (`sent_at`); a number whose
 * earlier create lost its answer is searched for (once HubSpot's search can show it) before it is
 * created again; creates carry `objectWriteTraceId` = the number, which matches each answer to its
 * number. Links the numbers' calls. Returns number → contact id; throws `UnknownCallerPending`
 * while a lost create cannot be searched for yet.
 */
export async function createUnknownCallers(
  tc: UnknownCallerContext,
  calls: FollowUpCall[],
): Promise<Map<string, string>> {
  const phones = [...new Set(calls.flatMap((c) => (c.phoneE164 ? [c.phoneE164] : [])))];
  if (phones.length === 0) return new Map();
  const rows = await stillInHubSpot(tc, await claimRows(tc, phones));
  const known = new Map(rows.flatMap((r) => (r.contact_id ? [[r.phone_e164, r.contact_id] as const] : [])));
  const lost = rows.filter((r) => !r.contact_id && r.sent_at);
  const youngest = Math.max(0, ...lost.map((r) => new Date(r.sent_at!).getTime()));
  if (lost.length && youngest + tc.searchIndexDelayMs > tc.now)
    throw new UnknownCallerPending(
      lost.map((r) => r.phone_e164),
      youngest + tc.searchIndexDelayMs - tc.now,
    );
  const found = await findCreatedContacts(
    tc.client,
    lost.map((r) => r.phone_e164),
    tc.country,
  );
  await remember(tc, found);
  const toCreate = rows.filter((r) => !r.contact_id && !found.has(r.phone_e164)).map((r) => r.phone_e164);
  const created = await createOnce(tc, toCreate);
  const contacts = new Map([...known, ...found, ...created]);
  await linkNumbers(tc, new Map([...found, ...created]), 'new contact for an unknown caller');
  for (const [phone, contactId] of [...found, ...created])
    tc.activity.push({
      contactId,
      phoneE164: phone,
      level: 'info',
      step: 'contact_created',
      message: found.has(phone)
        ? `HubSpot already had contact ${contactId} for the unknown caller ${phone} from an earlier attempt: using it instead of creating another.`
        : `Created HubSpot contact ${contactId} (non-marketing) for the unknown caller ${phone}.`,
    });
  return contacts;
}

/** A contact made earlier but deleted (or merged away) in HubSpot since: its number starts over. */
async function stillInHubSpot(tc: UnknownCallerContext, rows: Row[]): Promise<Row[]> {
  const made = rows.filter((r) => r.contact_id);
  if (made.length === 0) return rows;
  const live = await readContacts(
    tc.client,
    made.map((r) => r.contact_id!),
  );
  const gone = made.filter((r) => !live.has(r.contact_id!)).map((r) => r.phone_e164);
  if (gone.length === 0) return rows;
  await tc.db
    .updateTable('unknown_caller_contacts')
    .set({ contact_id: null, sent_at: null, updated_at: new Date() })
    .where('installation_id', '=', tc.installationId)
    .where('phone_e164', 'in', gone)
    .execute();
  return rows.map((r) => (gone.includes(r.phone_e164) ? { ...r, contact_id: null, sent_at: null } : r));
}

async function claimRows(tc: UnknownCallerContext, phones: string[]): Promise<Row[]> {
  await tc.db
    .insertInto('unknown_caller_contacts')
    .values(phones.map((phone_e164) => ({ installation_id: tc.installationId, phone_e164 })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return tc.db
    .selectFrom('unknown_caller_contacts')
    .select(['phone_e164', 'contact_id', 'sent_at'])
    .where('installation_id', '=', tc.installationId)
    .where('phone_e164', 'in', phones)
    .execute();
}

/** Marks the numbers sent, then creates; a create HubSpot surely did not make is unmarked. */
async function createOnce(tc: UnknownCallerContext, phones: string[]): Promise<Map<string, string>> {
  phones = await claimSend(tc, phones);
  if (phones.length === 0) return new Map();
  try {
    const { created, refused } = await createContacts(tc.client, phones);
    await remember(tc, created);
    await setSent(tc, [...refused.keys()], null);
    for (const [phone, reason] of refused)
      tc.activity.push({
        phoneE164: phone,
        level: 'warning',
        step: 'contact_create_refused',
        message: `HubSpot refused a contact for the unknown caller ${phone}: ${reason}. The task carries the number.`,
      });
    return created;
  } catch (error) {
    // A 4xx or 429 answer: nothing was made. A 5xx or a broken connection may hide a create.
    if (error instanceof HubSpotError && error.status !== undefined && error.status < 500)
      await setSent(tc, phones, null);
    throw error;
  }
}

/**
 * Marks the numbers sent, in one statement that only takes a number no one else is sending (never
 * sent, or sent before the search delay and not found since): returns the numbers taken.
 */
async function claimSend(tc: UnknownCallerContext, phones: string[]): Promise<string[]> {
  if (phones.length === 0) return [];
  const rows = await tc.db
    .updateTable('unknown_caller_contacts')
    .set({ sent_at: new Date(tc.now), updated_at: new Date() })
    .where('installation_id', '=', tc.installationId)
    .where('phone_e164', 'in', phones)
    .where('contact_id', 'is', null)
    .where((eb) =>
      eb.or([eb('sent_at', 'is', null), eb('sent_at', '<=', new Date(tc.now - tc.searchIndexDelayMs))]),
    )
    .returning('phone_e164')
    .execute();
  return rows.map((r) => r.phone_e164);
}

async function setSent(tc: UnknownCallerContext, phones: string[], sentAt: Date | null) {
  if (phones.length === 0) return;
  await tc.db
    .updateTable('unknown_caller_contacts')
    .set({ sent_at: sentAt, updated_at: new Date() })
    .where('installation_id', '=', tc.installationId)
    .where('phone_e164', 'in', phones)
    .where('contact_id', 'is', null)
    .execute();
}

async function remember(tc: UnknownCallerContext, contacts: Map<string, string>) {
  for (const [phone, contactId] of contacts)
    await tc.db
      .updateTable('unknown_caller_contacts')
      .set({ contact_id: contactId, updated_at: new Date() })
      .where('installation_id', '=', tc.installationId)
      .where('phone_e164', '=', phone)
      .execute();
}
