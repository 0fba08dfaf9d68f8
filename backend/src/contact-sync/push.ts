import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import type { DialerConnection } from '../dialer-connection/dialer-connection.table.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { ActivityEntry } from '../activity/record.ts';
import { recordActivity } from '../activity/record.ts';
import { movesToHubSpot } from './catalog.ts';
import type { SyncOperation } from './contact-sync.table.ts';
import { writeToHubSpotFields } from './field-writes.ts';
import { BATCH } from './hubspot-contacts.ts';
import { countLinkedContacts, linkedContactsPage } from './links.ts';
import { loadMappings } from './mapping-repository.ts';
import { recordProgress, type SliceResult } from './operations.ts';
import { observeAll, type FieldObservation, type FieldWrite, type Rules } from './reconcile.ts';
import { getContactSyncSettings } from './settings.ts';
import { fieldKey, loadStates, loadWrites, saveStates } from './sync-state.ts';
import { dialerChangedAt, dialerValueOf, loadOwnerDirectory } from './values.ts';

/**
 * `push_contacts`: the Dialer.io side of every linked contact, for the fields mapped towards
 * HubSpot, written 100 contacts per HubSpot batch update through the sync model: the values read
 * are observations of Dialer.io (dated by `updated_at`), a later HubSpot change of a field stays,
 * and the writes are logged (their property-change echo is known). Progress is stored per batch; a
 * resumed push starts at the first batch not written. Runs one slice: it returns `paused` at
 * `endsAt` (wall clock, ms) and the job queues the rest.
 */
export async function runPush(
  ctx: AppContext,
  installation: Installation,
  connection: DialerConnection,
  operation: SyncOperation,
  signal: AbortSignal,
  endsAt: number,
): Promise<SliceResult> {
  const installationId = installation.id;
  const mappings = (await loadMappings(ctx.db, installationId)).filter(movesToHubSpot);
  const rules: Rules = {
    mappings: new Map(mappings.map((m) => [m.dialerField, m])),
    settings: await getContactSyncSettings(ctx.db, installationId),
    owners: await loadOwnerDirectory(ctx.db, installationId),
    country: connection.country,
  };
  const dialer = dialerClientFor(ctx, connection, signal);
  const batch = { ctx, installation, rules, activity: [] as ActivityEntry[] };
  if (operation.total === null)
    await recordProgress(ctx.db, installationId, operation.id, {
      total: await countLinkedContacts(ctx.db, installationId),
    });
  let cursor = operation.cursor;
  for (;;) {
    const links = await linkedContactsPage(ctx.db, installationId, cursor, BATCH);
    if (links.length === 0) return 'done';
    const observations: FieldObservation[] = [];
    let missing = 0;
    for (const link of links) {
      signal.throwIfAborted();
      const contact = await dialer.getContact(link.dialerExternalId);
      if (!contact) {
        missing++;
        continue;
      }
      const at = dialerChangedAt(contact, ctx.now());
      for (const m of mappings)
        observations.push({
          contactId: link.contactId,
          dialerField: m.dialerField,
          side: 'dialer',
          value: dialerValueOf(contact, m.dialerField),
          at,
        });
    }
    const refused = await pushBatch(batch, observations);
    await recordActivity(ctx.db, installationId, batch.activity.splice(0));
    cursor = links.at(-1)!.contactId;
    const status = await recordProgress(ctx.db, installationId, operation.id, {
      done: links.length - missing - refused,
      failed: missing + refused,
      cursor,
    });
    if (status === 'cancelled') return 'cancelled';
    if (Date.now() >= endsAt) return 'paused';
  }
}

/**
 * Judges one batch's Dialer.io values and writes HubSpot each field whose winner is the Dialer.io
 * value (one batch read, one batch update); returns the contacts HubSpot refused.
 */
async function pushBatch(
  b: { ctx: AppContext; installation: Installation; rules: Rules; activity: ActivityEntry[] },
  observations: FieldObservation[],
): Promise<number> {
  const { ctx, rules } = b;
  const installationId = b.installation.id;
  const contactIds = [...new Set(observations.map((o) => o.contactId))];
  const states = await loadStates(ctx.db, installationId, contactIds);
  const logged = await loadWrites(ctx.db, installationId, contactIds);
  const touched = observeAll(observations, states, logged, rules);
  const writes = observations.flatMap((o): FieldWrite[] => {
    const state = states.get(fieldKey(o.contactId, o.dialerField));
    if (!state?.hubspotValue || state.dialerValue !== o.value) return [];
    const mapping = rules.mappings.get(o.dialerField)!;
    const { contactId, dialerField } = o;
    return [{ contactId, dialerField, mapping, value: state.hubspotValue, originAt: state.changedAt }];
  });
  try {
    const deps = { ctx, installationId, states, activity: b.activity };
    const hubspot = ctx.hubspot.forInstallation(b.installation);
    return (await writeToHubSpotFields(deps, hubspot, writes)).refused;
  } finally {
    await saveStates(ctx.db, installationId, states, touched);
  }
}
