import { sql } from 'kysely';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { movesToDialer } from './catalog.ts';
import { contactsModifiedSince } from './hubspot-contacts.ts';
import { loadMappings } from './mapping-repository.ts';
import { applyHubSpotChanges, type HubSpotChange } from './to-dialer.ts';

/** Search requests per sweep (HubSpot allows 5 / s per portal; the sweep takes a small share). */
const MAX_PAGES = 5;

/**
 * HubSpot's app webhooks are subscribed per app, so custom mappings (any property of one portal)
 * are polled: contacts modified since the last sweep, their custom properties handed to the same
 * HubSpot → Dialer.io path as webhook changes (which ignores values already synced).
 */
export async function sweepCustomProperties(ctx: AppContext, installation: Installation): Promise<number> {
  const custom = (await loadMappings(ctx.db, installation.id)).filter(
    (m) => m.category === 'custom' && movesToDialer(m),
  );
  if (custom.length === 0) return 0;
  const settings = await ctx.db
    .selectFrom('contact_sync_settings')
    .select('sweep_cursor')
    .where('installation_id', '=', installation.id)
    .executeTakeFirst();
  let since = settings?.sweep_cursor ? new Date(settings.sweep_cursor).getTime() : ctx.now() - 10 * 60_000;
  const client = ctx.hubspot.forInstallation(installation);
  let written = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const contacts = await contactsModifiedSince(
      client,
      since,
      custom.map((m) => m.hubspotProperty),
    );
    const changes: HubSpotChange[] = contacts.flatMap((contact) =>
      custom.map((m) => ({
        contactId: contact.id,
        property: m.hubspotProperty,
        value: contact.properties[m.hubspotProperty] ?? '',
        at: Date.parse(contact.properties.lastmodifieddate ?? '') || ctx.now(),
      })),
    );
    written += (await applyHubSpotChanges(ctx, installation, changes, { mayCreate: false })).written;
    const last = Date.parse(contacts.at(-1)?.properties.lastmodifieddate ?? '');
    if (contacts.length === 0 || !Number.isFinite(last) || last <= since) break;
    since = last;
    if (contacts.length < 100) break;
  }
  await ctx.db
    .insertInto('contact_sync_settings')
    .values({ installation_id: installation.id, sweep_cursor: new Date(since) })
    .onConflict((oc) =>
      oc
        .column('installation_id')
        .doUpdateSet({ sweep_cursor: new Date(since), updated_at: sql<Date>`now()` }),
    )
    .execute();
  return written;
}
