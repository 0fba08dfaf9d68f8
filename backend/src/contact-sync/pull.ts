import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import type { DialerConnection } from '../dialer-connection/dialer-connection.table.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { movesToDialer } from './catalog.ts';
import type { SyncOperation } from './contact-sync.table.ts';
import { writeContactToDialer } from './dialer-write.ts';
import { contactsWithPhoneAfter, readContacts, type HubSpotContact } from './hubspot-contacts.ts';
import { findLinks } from './links.ts';
import { loadMappings } from './mapping-repository.ts';
import { recordProgress, type SliceResult } from './operations.ts';
import { getContactSyncSettings } from './settings.ts';
import { buildDialerContact } from './to-dialer.ts';
import { loadOwnerDirectory } from './values.ts';

/**
 * `pull_contacts`: every HubSpot contact with a phone number, in id order, becomes (or updates)
 * its Dialer.io contact, through the sync model (`writeContactToDialer`: logged, so its echo is
 * known; a field Dialer.io changed later than the read is left as it is). Progress and the cursor are stored after each contact; the contact in
 * flight when a worker died is read back from Dialer.io before it is sent again, so a resumed
 * pull never sends a contact twice (and links it, as if its answer had come). Runs one slice:
 * it returns `paused` at `endsAt` (wall clock, ms) and the job queues the rest.
 */
export async function runPull(
  ctx: AppContext,
  installation: Installation,
  connection: DialerConnection,
  operation: SyncOperation,
  signal: AbortSignal,
  endsAt: number,
): Promise<SliceResult> {
  const installationId = installation.id;
  const mappings = (await loadMappings(ctx.db, installationId)).filter(movesToDialer);
  const deps = {
    mappings,
    owners: await loadOwnerDirectory(ctx.db, installationId),
    country: connection.country,
  };
  const rules = {
    ...deps,
    mappings: new Map(mappings.map((m) => [m.dialerField, m])),
    settings: await getContactSyncSettings(ctx.db, installationId),
  };
  const properties = [...new Set(['phone', 'mobilephone', ...mappings.map((m) => m.hubspotProperty)])];
  const hubspot = ctx.hubspot.forInstallation(installation);
  const dialer = dialerClientFor(ctx, connection, signal);
  const progress = (change: Parameters<typeof recordProgress>[3]) =>
    recordProgress(ctx.db, installationId, operation.id, change);
  let cursor = operation.cursor;
  let inFlight = operation.in_flight;

  async function pullOne(contact: HubSpotContact, externalId: string, readAt: number) {
    const built = buildDialerContact(contact, deps);
    if (!built) return 'failed';
    const resumed = inFlight === contact.id;
    if (!resumed) await progress({ inFlight: contact.id });
    const write = { contactId: contact.id, dialerExternalId: externalId, ...built, readAt };
    const result = await writeContactToDialer(ctx, installationId, dialer, rules, {
      ...write,
      inFlight: resumed,
      createdBy: 'hubspot',
    });
    return 'contact' in result ? 'sent' : 'failed';
  }

  for (;;) {
    const page = await contactsWithPhoneAfter(hubspot, cursor, properties, signal);
    if (operation.total === null && cursor === null) await progress({ total: page.total });
    if (page.contacts.length === 0) return 'done';
    const ids = page.contacts.map((c) => c.id);
    // The values from one batch read (search's index can lag behind an edit), dated before it.
    const readAt = ctx.now();
    const fresh = new Map((await readContacts(hubspot, ids, properties)).map((c) => [c.id, c]));
    const links = await findLinks(ctx.db, installationId, ids);
    for (const { id } of page.contacts) {
      signal.throwIfAborted();
      const contact = fresh.get(id); // deleted since the search: nothing to send
      const externalId = links.get(id)?.dialerExternalId ?? id;
      const outcome = contact ? await pullOne(contact, externalId, readAt) : 'failed';
      const status = await progress({
        done: outcome === 'sent' ? 1 : 0,
        failed: outcome === 'failed' ? 1 : 0,
        cursor: id,
        inFlight: null,
      });
      inFlight = null;
      cursor = id;
      if (status === 'cancelled') return 'cancelled';
      if (Date.now() >= endsAt) return 'paused';
    }
  }
}
