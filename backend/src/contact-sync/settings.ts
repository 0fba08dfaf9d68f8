import { sql } from 'kysely';
import { z } from 'zod';
import { recordActivity } from '../activity/record.ts';
import { signedUserIsSuperAdmin, type TrustedHubSpotContext } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import type { Creation, CreateFromHubSpot, Updates } from './contact-sync.table.ts';
import { contactSyncError } from './errors.ts';

/** The `contactSync` section of `GET/PATCH /api/settings`. */
export interface ContactSyncSettingsView {
  creation: Creation;
  createFromHubSpot: CreateFromHubSpot;
  updates: Updates;
}

export const DEFAULT_CONTACT_SYNC: ContactSyncSettingsView = {
  creation: 'hubspot_to_dialer',
  createFromHubSpot: 'sent',
  updates: 'both',
};

export const contactSyncPatchSchema = z
  .object({
    creation: z.enum(['hubspot_to_dialer', 'both', 'off']).optional(),
    createFromHubSpot: z.enum(['with_phone', 'sent']).optional(),
    updates: z.enum(['both', 'hubspot_to_dialer']).optional(),
  })
  .strict();
export type ContactSyncPatch = z.infer<typeof contactSyncPatchSchema>;

export async function getContactSyncSettings(
  db: Db,
  installationId: string,
): Promise<ContactSyncSettingsView> {
  const row = await db
    .selectFrom('contact_sync_settings')
    .select(['creation', 'create_from_hubspot', 'updates'])
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_CONTACT_SYNC };
  return { creation: row.creation, createFromHubSpot: row.create_from_hubspot, updates: row.updates };
}

/** Changes the section (super admin only) and notes it in the activity log. */
export async function changeContactSyncSettings(
  ctx: AppContext,
  who: TrustedHubSpotContext,
  patch: ContactSyncPatch,
): Promise<ContactSyncSettingsView> {
  if (!(await signedUserIsSuperAdmin(ctx, who.installation, who.userId)))
    throw contactSyncError(
      'super_admin_required',
      'Only a HubSpot super admin can change the sync settings.',
    );
  const installationId = who.installation.id;
  const next = { ...(await getContactSyncSettings(ctx.db, installationId)), ...patch };
  const row = {
    creation: next.creation,
    create_from_hubspot: next.createFromHubSpot,
    updates: next.updates,
    updated_at: sql<Date>`now()`,
  };
  await ctx.db
    .insertInto('contact_sync_settings')
    .values({ installation_id: installationId, ...row })
    .onConflict((oc) => oc.column('installation_id').doUpdateSet(row))
    .execute();
  await recordActivity(ctx.db, installationId, [
    {
      level: 'info',
      step: 'settings_changed',
      message: `Contact sync settings changed: creation ${next.creation} (${next.createFromHubSpot === 'with_phone' ? 'every HubSpot contact with a phone' : 'contacts sent by workflows or a pull'}), updates ${next.updates}.`,
      details: { userId: who.userId },
    },
  ]);
  return next;
}
