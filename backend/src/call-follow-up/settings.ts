import { z } from 'zod';
import type { Db } from '../platform/db/database.ts';
import { HttpError } from '../platform/http-errors.ts';

/** `missedCalls` of GET/PATCH /api/settings: follow-up tasks for missed calls. */
export interface MissedCallSettings {
  enabled: boolean;
  /** The task is due this long after the call. */
  dueMinutes: number;
  /** The "top manager": unknown numbers, unmapped agents, contacts with no owner. */
  fallbackOwnerId: string | null;
}

export const MISSED_CALL_DEFAULTS: MissedCallSettings = {
  enabled: true,
  dueMinutes: 60,
  fallbackOwnerId: null,
};

export const missedCallsPatchSchema = z
  .object({
    enabled: z.boolean().optional(),
    dueMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30)
      .optional(),
    fallbackOwnerId: z
      .string()
      .regex(/^\d{1,20}$/)
      .nullable()
      .optional(),
  })
  .strict();
export type MissedCallsPatch = z.infer<typeof missedCallsPatchSchema>;

export async function readMissedCallSettings(db: Db, installationId: string): Promise<MissedCallSettings> {
  const row = await db
    .selectFrom('missed_call_settings')
    .select(['enabled', 'due_minutes', 'fallback_owner_id'])
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  if (!row) return { ...MISSED_CALL_DEFAULTS };
  return { enabled: row.enabled, dueMinutes: row.due_minutes, fallbackOwnerId: row.fallback_owner_id };
}

/**
 * Applies a `missedCalls` patch: the fallback owner must be a (not archived) owner of this portal,
 * as last read from HubSpot, else 400 and nothing changes.
 */
export async function updateMissedCallSettings(
  db: Db,
  installationId: string,
  patch: MissedCallsPatch,
): Promise<MissedCallSettings> {
  if (patch.fallbackOwnerId) {
    const owner = await db
      .selectFrom('hubspot_owners')
      .select('owner_id')
      .where('installation_id', '=', installationId)
      .where('owner_id', '=', patch.fallbackOwnerId)
      .where('archived', '=', false)
      .executeTakeFirst();
    if (!owner)
      throw new HttpError(
        400,
        'unknown_owner',
        `HubSpot owner ${patch.fallbackOwnerId} is not an owner of this portal. Pick one from the list (refresh the agents tab if it is new).`,
      );
  }
  const next = { ...(await readMissedCallSettings(db, installationId)), ...patch };
  const row = {
    enabled: next.enabled,
    due_minutes: next.dueMinutes,
    fallback_owner_id: next.fallbackOwnerId,
    updated_at: new Date(),
  };
  await db
    .insertInto('missed_call_settings')
    .values({ installation_id: installationId, ...row })
    .onConflict((oc) => oc.column('installation_id').doUpdateSet(row))
    .execute();
  return next;
}
