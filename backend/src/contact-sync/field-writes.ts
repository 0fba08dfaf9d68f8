import type { ActivityEntry } from '../activity/record.ts';
import { DialerApiError, type DialerClient, type DialerContactInput } from '../dialer/index.ts';
import type { PortalClient } from '../hubspot/client.ts';
import type { AppContext } from '../platform/context.ts';
import type { SyncSide } from './contact-sync.table.ts';
import { readContacts, updateContacts, type ContactUpdate } from './hubspot-contacts.ts';
import type { Link } from './links.ts';
import { wrote, type FieldWrite } from './reconcile.ts';
import type { FieldState } from './sync-model.ts';
import { fieldKey, finishWrites, logWrites } from './sync-state.ts';
import { dialerChangedAt, dialerValueOf, setDialerField } from './values.ts';

// Performs the planned writes: only the fields that change, each logged before it is sent (its echo
// can come before the answer) and remembered as held by the target after the answer.

interface Deps {
  ctx: AppContext;
  installationId: string;
  states: Map<string, FieldState>;
  activity: ActivityEntry[];
}

const byContact = (writes: FieldWrite[]) => {
  const groups = new Map<string, FieldWrite[]>();
  for (const w of writes) groups.set(w.contactId, [...(groups.get(w.contactId) ?? []), w]);
  return groups;
};

const markHeld = (d: Deps, side: SyncSide, writes: FieldWrite[], at: number) => {
  for (const w of writes) wrote(d.states.get(fieldKey(w.contactId, w.dialerField)), side, w.value, at);
};

/**
 * One `GET` and at most one `PUT` per contact. The `PUT` carries the fields that change and the
 * phone Dialer.io holds now (its API needs one); a field Dialer.io changed since we last saw it,
 * later than the change we carry, is left for its own event to decide.
 */
export async function writeToDialerFields(
  d: Deps,
  dialer: DialerClient,
  links: Map<string, Link>,
  writes: FieldWrite[],
): Promise<number> {
  let written = 0;
  for (const [contactId, fields] of byContact(writes)) {
    const link = links.get(contactId);
    const current = link ? await dialer.getContact(link.dialerExternalId) : null;
    if (!link || !current) continue;
    const currentAt = dialerChangedAt(current, d.ctx.now());
    const body: Partial<DialerContactInput> = {};
    const sent: FieldWrite[] = [];
    for (const w of fields) {
      const now = dialerValueOf(current, w.dialerField);
      const held = d.states.get(fieldKey(contactId, w.dialerField))?.held.dialer;
      if (now === w.value) markHeld(d, 'dialer', [w], currentAt);
      else if (held?.value != null && now !== held.value && currentAt > w.originAt) continue;
      else {
        setDialerField(body as DialerContactInput, w.dialerField, w.value);
        sent.push(w);
      }
    }
    if (sent.length === 0) continue;
    const ids = await logWrites(d.ctx.db, d.installationId, 'dialer', sent, d.ctx.now());
    try {
      const answer = await dialer.upsertContact(link.dialerExternalId, {
        phone: current.phone ?? '',
        ...body,
      });
      await finishWrites(d.ctx.db, ids, d.ctx.now());
      markHeld(d, 'dialer', sent, dialerChangedAt(answer.contact, d.ctx.now()));
      written++;
    } catch (error) {
      if (!(error instanceof DialerApiError) || error.retryable) throw error;
      d.activity.push({
        contactId,
        level: 'warning',
        step: 'contact_sync_failed',
        message: `Dialer.io refused the contact's changes: ${error.message}`,
      });
    }
  }
  return written;
}

/**
 * One batch read and one batch update per 100 contacts; values HubSpot already holds are not sent.
 * Returns the contacts written and those HubSpot refused.
 */
export async function writeToHubSpotFields(
  d: Deps,
  hubspot: PortalClient,
  writes: FieldWrite[],
): Promise<{ written: number; refused: number }> {
  const groups = byContact(writes);
  if (groups.size === 0) return { written: 0, refused: 0 };
  const properties = [...new Set(writes.map((w) => w.mapping.hubspotProperty))];
  const current = await readContacts(hubspot, [...groups.keys()], properties);
  const holds = new Map(current.map((contact) => [contact.id, contact.properties]));
  const now = d.ctx.now();
  const updates: ContactUpdate[] = [];
  const sent: FieldWrite[] = [];
  for (const [id, fields] of groups) {
    if (!holds.has(id)) continue; // deleted in HubSpot
    const changed = fields.filter((w) => (holds.get(id)?.[w.mapping.hubspotProperty] ?? '') !== w.value);
    markHeld(
      d,
      'hubspot',
      fields.filter((w) => !changed.includes(w)),
      now,
    );
    if (changed.length === 0) continue;
    sent.push(...changed);
    updates.push({
      id,
      properties: Object.fromEntries(changed.map((w) => [w.mapping.hubspotProperty, w.value])),
    });
  }
  const ids = await logWrites(d.ctx.db, d.installationId, 'hubspot', sent, now);
  const refused = await updateContacts(hubspot, updates);
  await finishWrites(d.ctx.db, ids, d.ctx.now());
  // Held from the answer on: a user's edit seen with an earlier time was overwritten by this write.
  markHeld(
    d,
    'hubspot',
    sent.filter((w) => !refused.has(w.contactId)),
    d.ctx.now(),
  );
  for (const id of refused)
    d.activity.push({
      contactId: id,
      level: 'warning',
      step: 'contact_sync_failed',
      message: 'HubSpot refused the Dialer.io values of this contact.',
    });
  return { written: updates.length - refused.size, refused: refused.size };
}
