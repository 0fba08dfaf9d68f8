import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import type { DialerConnection } from '../dialer-connection/dialer-connection.table.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { movesToDialer } from './catalog.ts';
import type { SyncOperation } from './contact-sync.table.ts';
import { contactsWithPhoneAfter, type HubSpotContact } from './hubspot-contacts.ts';
import { findLinks } from './links.ts';
import { confirmDialerWrite, writeToDialer } from './dialer-write.ts';
import { loadMappings } from './mapping-repository.ts';
import { recordProgress, type SliceResult } from './operations.ts';
import { loadSyncedValues } from './sync-values.ts';
import { buildDialerContact } from './to-dialer.ts';
import { dialerContactHolds, loadOwnerDirectory } from './values.ts';

/**
 * `pull_contacts`: every HubSpot contact with a phone number, in id order, becomes (or updates)
 * its Dialer.io contact. Progress and the cursor are stored after each contact; the contact in
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
  const properties = [...new Set(['phone', 'mobilephone', ...mappings.map((m) => m.hubspotProperty)])];
  const hubspot = ctx.hubspot.forInstallation(installation);
  const dialer = dialerClientFor(ctx, connection, signal);
  const progress = (change: Parameters<typeof recordProgress>[3]) =>
    recordProgress(ctx.db, installationId, operation.id, change);
  let cursor = operation.cursor;
  let inFlight = operation.in_flight;

  async function pullOne(contact: HubSpotContact, externalId: string): Promise<'sent' | 'failed'> {
    const built = buildDialerContact(contact, deps, ctx.now());
    if (!built) return 'failed';
    const write = { contactId: contact.id, dialerExternalId: externalId, createdBy: 'hubspot' as const };
    if (inFlight === contact.id) {
      const existing = await dialer.getContact(externalId);
      if (existing && dialerContactHolds(existing, built.body)) {
        await confirmDialerWrite(ctx.db, installationId, { ...write, written: built.written }, existing);
        return 'sent';
      }
    }
    await progress({ inFlight: contact.id });
    const previous = await loadSyncedValues(ctx.db, installationId, [contact.id]);
    const result = await writeToDialer(ctx.db, installationId, dialer, {
      ...write,
      body: built.body,
      written: built.written,
      previous,
    });
    return 'contact' in result ? 'sent' : 'failed';
  }

  for (;;) {
    const page = await contactsWithPhoneAfter(hubspot, cursor, properties, signal);
    if (operation.total === null && cursor === null) await progress({ total: page.total });
    if (page.contacts.length === 0) return 'done';
    const links = await findLinks(
      ctx.db,
      installationId,
      page.contacts.map((c) => c.id),
    );
    for (const contact of page.contacts) {
      signal.throwIfAborted();
      const outcome = await pullOne(contact, links.get(contact.id)?.dialerExternalId ?? contact.id);
      const status = await progress({
        done: outcome === 'sent' ? 1 : 0,
        failed: outcome === 'failed' ? 1 : 0,
        cursor: contact.id,
        inFlight: null,
      });
      inFlight = null;
      cursor = contact.id;
      if (status === 'cancelled') return 'cancelled';
      if (Date.now() >= endsAt) return 'paused';
    }
  }
}
