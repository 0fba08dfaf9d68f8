import type { DialerClient } from '../dialer/index.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { AppContext } from '../platform/context.ts';
import type { Mapping } from './catalog.ts';
import { createContact, findContactByEmailOrPhone } from './hubspot-contacts.ts';
import { findLinkByDialer, saveLink } from './links.ts';
import type { FieldState } from './sync-model.ts';
import { fieldKey, finishWrites, logWrites, saveStates } from './sync-state.ts';
import type { Context, DialerChange, DialerFieldValue } from './to-hubspot.ts';
import { dialerChangedAt } from './values.ts';

/** HubSpot's search can miss a contact created this long ago: a create whose answer was lost waits for it. */
export const CREATE_SETTLE_MS = 60_000;

type ValueRow = (
  c: Context,
  m: Mapping,
  contactId: string,
  contact: DialerChange['contact'],
) => DialerFieldValue | null;

/**
 * The HubSpot contact of a Dialer.io contact: the linked one; else the one we created for it
 * (our own key: the Dialer.io contact id); else one found by email or phone (country-aware);
 * else, when `creation` is "both", one created — never twice: after an attempt whose answer was
 * lost, the search is asked again until HubSpot's index must show the contact. A contact made in
 * Dialer.io itself (no `external_id`) gets the HubSpot contact id as its key (PATCH by-id).
 */
export async function hubspotContactFor(
  ctx: AppContext,
  c: Context & { dialer: DialerClient },
  change: DialerChange,
  valueRow: ValueRow,
): Promise<string | null> {
  const externalId = change.contact.external_id;
  const link = externalId ? await findLinkByDialer(ctx.db, c.installationId, externalId) : undefined;
  if (link) return link.contactId;
  const created = await createdFor(ctx, c.installationId, change.contact.id);
  const found =
    created?.contact_id ??
    (await findContactByEmailOrPhone(c.hubspot, change.contact.email, change.contact.phone ?? '', c.country));
  if (found) return linkDialerContact(ctx, c, change, found, created ? 'dialer' : 'link');
  if (c.settings.creation !== 'both') return null;
  if (created && created.attempted_at.getTime() > ctx.now() - CREATE_SETTLE_MS)
    throw new HubSpotError('server_error', 'A contact created a moment ago is not searchable yet', true);
  const contactId = await createFor(ctx, c, change, valueRow);
  return contactId ? linkDialerContact(ctx, c, change, contactId, 'dialer') : null;
}

async function createdFor(ctx: AppContext, installationId: string, dialerContactId: string) {
  const row = await ctx.db
    .selectFrom('contact_sync_creates')
    .select(['attempted_at', 'contact_id'])
    .where('installation_id', '=', installationId)
    .where('dialer_contact_id', '=', dialerContactId)
    .executeTakeFirst();
  return row && { contact_id: row.contact_id, attempted_at: new Date(row.attempted_at) };
}

/** Records the attempt first (our key), creates with the key as `objectWriteTraceId`, then stores the id. */
async function createFor(
  ctx: AppContext,
  c: Context,
  change: DialerChange,
  valueRow: ValueRow,
): Promise<string | null> {
  const key = change.contact.id;
  const at = dialerChangedAt(change.contact, ctx.now());
  const written = c.mappings.flatMap((m) => valueRow(c, m, '', change.contact) ?? []);
  const propertyOf = (field: string) => c.mappings.find((m) => m.dialerField === field)!.hubspotProperty;
  const properties = Object.fromEntries(
    written.map((row) => [propertyOf(row.dialerField), row.hubspotValue!]),
  );
  const record = {
    installation_id: c.installationId,
    dialer_contact_id: key,
    attempted_at: new Date(ctx.now()),
  };
  await ctx.db
    .insertInto('contact_sync_creates')
    .values(record)
    .onConflict((oc) =>
      oc.columns(['installation_id', 'dialer_contact_id']).doUpdateSet({ attempted_at: record.attempted_at }),
    )
    .execute();
  const startedAt = ctx.now();
  const contactId = await createContact(c.hubspot, properties, key).catch((error: unknown) => {
    if (!(error instanceof HubSpotError) || error.retryable) throw error;
    c.activity.push({
      level: 'warning',
      step: 'contact_sync_failed',
      message: `HubSpot refused a contact created in Dialer.io: ${error.message}`,
    });
    return null;
  });
  if (!contactId) return null;
  await ctx.db
    .updateTable('contact_sync_creates')
    .set({ contact_id: contactId })
    .where('installation_id', '=', c.installationId)
    .where('dialer_contact_id', '=', key)
    .execute();
  await recordCreated(ctx, c.installationId, { contactId, written, at, startedAt });
  c.activity.push({
    contactId,
    level: 'info',
    step: 'contact_created',
    message: 'A contact created in Dialer.io was created in HubSpot (non-marketing).',
  });
  return contactId;
}

/**
 * The values a create carried, in the sync model (decision 0012): logged as our write to HubSpot
 * (its property-change echo is known; the contact id exists only from the answer on, and the echo is
 * judged in this portal's next round), the Dialer.io change the winner, HubSpot holding it from the
 * answer on.
 */
async function recordCreated(
  ctx: AppContext,
  installationId: string,
  create: { contactId: string; written: DialerFieldValue[]; at: number; startedAt: number },
): Promise<void> {
  const { contactId, at } = create;
  const now = ctx.now();
  const planned = create.written.map((row) => ({ ...row, contactId, value: row.hubspotValue, originAt: at }));
  await finishWrites(
    ctx.db,
    await logWrites(ctx.db, installationId, 'hubspot', planned, create.startedAt),
    now,
  );
  const states = new Map<string, FieldState>();
  for (const row of create.written)
    states.set(fieldKey(contactId, row.dialerField), {
      hubspotValue: row.hubspotValue,
      dialerValue: row.dialerValue,
      changedAt: at,
      source: 'dialer',
      held: { dialer: { value: row.dialerValue, at }, hubspot: { value: row.hubspotValue, at: now } },
    });
  await saveStates(ctx.db, installationId, states, states.keys());
}

/** Links the two contacts; a Dialer.io contact with no key gets the HubSpot id as its `external_id`. */
async function linkDialerContact(
  ctx: AppContext,
  c: Context & { dialer: DialerClient },
  change: DialerChange,
  contactId: string,
  createdBy: 'dialer' | 'link',
): Promise<string | null> {
  let externalId = change.contact.external_id;
  if (!externalId) {
    const keyed = await c.dialer.setExternalId(change.contact.id, contactId);
    if (keyed === null) return null; // deleted in Dialer.io meanwhile
    if (keyed === 'conflict') {
      c.activity.push({
        contactId,
        level: 'warning',
        step: 'contact_sync_failed',
        message:
          'A Dialer.io contact matches this contact, but another Dialer.io contact is already linked to it.',
      });
      return null;
    }
    externalId = keyed.external_id ?? contactId;
  }
  await saveLink(ctx.db, c.installationId, {
    contactId,
    dialerExternalId: externalId,
    dialerContactId: change.contact.id,
    createdBy,
  });
  return contactId;
}
