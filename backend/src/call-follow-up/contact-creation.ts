import { getContactSyncSettings } from '../contact-sync/settings.ts';
import type { Db } from '../platform/db/database.ts';

/** `contactSync.creation` (contact sync's setting): which side may create contacts. */
export type ContactCreation = 'hubspot_to_dialer' | 'both' | 'off';

/**
 * Contact sync's `creation` setting: with "both", an unknown caller becomes a non-marketing
 * HubSpot contact with a task on it; otherwise the task carries the number.
 */
export async function contactCreationSetting(db: Db, installationId: string): Promise<ContactCreation> {
  return (await getContactSyncSettings(db, installationId)).creation;
}
