import { sql } from 'kysely';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { movesToDialer } from './catalog.ts';
import { loadMappings } from './mapping-repository.ts';
import { SWEEP_PAGE, contactIdsModifiedSince, readWithHistory, type SweptContact } from './sweep-reads.ts';
import { applyHubSpotChanges, type HubSpotChange } from './to-dialer.ts';

/**
 * Each pass re-reads this much time before the previous pass began: a contact that reached
 * HubSpot's search index late (seconds, usually) is still read, and clock skew is covered.
 */
export const SWEEP_OVERLAP_MS = 2 * 60_000;
/** Pages per job: one search and two batch reads each. A portal that is behind gets its next job at once. */
const PAGES_PER_RUN = 10;
/** A portal's first pass reads this far back. */
const FIRST_WINDOW_MS = 10 * 60_000;

interface SweepState {
  windowStart: number;
  passStartedAt: number;
  afterId: string;
}

/**
 * HubSpot's app webhooks are subscribed per app, so custom mappings (any property of one portal)
 * are polled. A pass reads the contacts modified since `windowStart` in `hs_object_id` order (a
 * cursor equal modification times cannot stall), up to PAGES_PER_RUN pages per job; the next
 * pass starts where this one began, minus SWEEP_OVERLAP_MS. Each custom value goes to the same
 * HubSpot → Dialer.io path as webhook changes, dated by the property's own history (our rollup
 * writes change `lastmodifieddate`, not the field). Returns whether the pass is still behind.
 */
export async function sweepCustomProperties(
  ctx: AppContext,
  installation: Installation,
): Promise<{ written: number; behind: boolean }> {
  const custom = (await loadMappings(ctx.db, installation.id)).filter(
    (m) => m.category === 'custom' && movesToDialer(m),
  );
  if (custom.length === 0) return { written: 0, behind: false };
  const properties = custom.map((m) => m.hubspotProperty);
  const client = ctx.hubspot.forInstallation(installation);
  const state = await loadSweepState(ctx, installation.id);
  let written = 0;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const ids = await contactIdsModifiedSince(client, state.windowStart, state.afterId);
    const contacts = await readWithHistory(client, ids, properties);
    const changes = contacts.flatMap((contact) => changesOf(contact, properties, ctx.now()));
    written += (await applyHubSpotChanges(ctx, installation, changes, { mayCreate: false })).written;
    if (ids.length < SWEEP_PAGE) {
      await saveSweepState(ctx.db, installation.id, {
        windowStart: state.passStartedAt - SWEEP_OVERLAP_MS,
        passStartedAt: ctx.now(),
        afterId: '0',
      });
      return { written, behind: false };
    }
    state.afterId = ids.at(-1)!;
    await saveSweepState(ctx.db, installation.id, state);
  }
  return { written, behind: true };
}

/** The contact's custom values as changes, dated by property history, else by `lastmodifieddate`. */
function changesOf(contact: SweptContact, properties: string[], now: number): HubSpotChange[] {
  return properties.map((property) => {
    const { value, at } = contact.values.get(property)!;
    return { contactId: contact.id, property, value, at: at ?? contact.lastModified ?? now };
  });
}

async function loadSweepState(ctx: AppContext, installationId: string): Promise<SweepState> {
  const row = await ctx.db
    .selectFrom('contact_sync_sweeps')
    .selectAll()
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  if (row)
    return {
      windowStart: new Date(row.window_start).getTime(),
      passStartedAt: new Date(row.pass_started_at).getTime(),
      afterId: String(row.after_id),
    };
  // Where the sweep of an earlier version stopped, if it ran.
  const settings = await ctx.db
    .selectFrom('contact_sync_settings')
    .select('sweep_cursor')
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  const since = settings?.sweep_cursor ? new Date(settings.sweep_cursor).getTime() : null;
  return {
    windowStart: since === null ? ctx.now() - FIRST_WINDOW_MS : since - SWEEP_OVERLAP_MS,
    passStartedAt: ctx.now(),
    afterId: '0',
  };
}

async function saveSweepState(db: Db, installationId: string, state: SweepState): Promise<void> {
  const values = {
    window_start: new Date(state.windowStart),
    pass_started_at: new Date(state.passStartedAt),
    after_id: state.afterId,
  };
  await db
    .insertInto('contact_sync_sweeps')
    .values({ installation_id: installationId, ...values })
    .onConflict((oc) => oc.column('installation_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .execute();
}
