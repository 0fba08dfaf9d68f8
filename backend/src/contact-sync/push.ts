import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import type { DialerConnection } from '../dialer-connection/dialer-connection.table.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { ActivityEntry } from '../activity/record.ts';
import { recordActivity } from '../activity/record.ts';
import { movesToHubSpot } from './catalog.ts';
import type { SyncOperation } from './contact-sync.table.ts';
import { BATCH } from './hubspot-contacts.ts';
import { countLinkedContacts, linkedContactsPage } from './links.ts';
import { loadMappings } from './mapping-repository.ts';
import { recordProgress, type SliceResult } from './operations.ts';
import type { SyncedRow } from './sync-values.ts';
import { valueRow, writeRows } from './to-hubspot.ts';
import { dialerChangedAt, loadOwnerDirectory } from './values.ts';

/**
 * `push_contacts`: the Dialer.io side of every linked contact, for the fields mapped towards
 * HubSpot, written 100 contacts per HubSpot batch update. Progress is stored per batch; a resumed
 * push starts at the first batch not written. Runs one slice: it returns `paused` at `endsAt` (wall
 * clock, ms) and the job queues the rest.
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
  const owners = await loadOwnerDirectory(ctx.db, installationId);
  const dialer = dialerClientFor(ctx, connection, signal);
  const c = {
    installationId,
    hubspot: ctx.hubspot.forInstallation(installation),
    mappings,
    activity: [] as ActivityEntry[],
  };
  if (operation.total === null)
    await recordProgress(ctx.db, installationId, operation.id, {
      total: await countLinkedContacts(ctx.db, installationId),
    });
  let cursor = operation.cursor;
  for (;;) {
    const links = await linkedContactsPage(ctx.db, installationId, cursor, BATCH);
    if (links.length === 0) return 'done';
    const pending = new Map<string, SyncedRow[]>();
    let missing = 0;
    let unchanged = 0;
    for (const link of links) {
      signal.throwIfAborted();
      const contact = await dialer.getContact(link.dialerExternalId);
      if (!contact) {
        missing++;
        continue;
      }
      const at = dialerChangedAt(contact, ctx.now());
      const rows = mappings.flatMap((m) => valueRow({ owners }, m, link.contactId, contact, at) ?? []);
      if (rows.length === 0) unchanged++;
      else pending.set(link.contactId, rows);
    }
    const written = await writeRows(ctx, c, pending);
    await recordActivity(ctx.db, installationId, c.activity.splice(0));
    cursor = links.at(-1)!.contactId;
    const status = await recordProgress(ctx.db, installationId, operation.id, {
      done: written.ok + unchanged,
      failed: written.failed + missing,
      cursor,
    });
    if (status === 'cancelled') return 'cancelled';
    if (Date.now() >= endsAt) return 'paused';
  }
}
