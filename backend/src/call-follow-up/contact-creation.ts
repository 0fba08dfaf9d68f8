import type { Db } from '../platform/db/database.ts';

/** `contactSync.creation` (contact sync's setting): which side may create contacts. */
export type ContactCreation = 'hubspot_to_dialer' | 'both' | 'off';

/**
 * Reads contact sync's `creation` setting. Contact sync stores it; until that lands this answers
 * its documented default, "hubspot_to_dialer" (unknown callers then get a task with the number).
 */
export async function contactCreationSetting(_db: Db, _installationId: string): Promise<ContactCreation> {
  return 'hubspot_to_dialer';
}
