import type { CallAttribution } from '../call-logging/properties.ts';
import type { Db } from '../platform/db/database.ts';

/**
 * What a portal's calls are credited with: our app id and the Dialer.io connection's unguessable
 * key. Null without an app id (HubSpot could not ask us for anything) or without a connection.
 */
export async function loadAttribution(
  db: Db,
  installationId: string,
  appId: string | undefined,
): Promise<CallAttribution | null> {
  if (!appId) return null;
  const row = await db
    .selectFrom('dialer_connections')
    .select('recording_account_key')
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  return row ? { appId, accountKey: row.recording_account_key } : null;
}

/** The calls among `callIds` whose recording Dialer.io deleted. */
export async function deletedRecordings(
  db: Db,
  installationId: string,
  callIds: string[],
): Promise<Set<string>> {
  if (callIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('call_media')
    .select('call_id')
    .where('installation_id', '=', installationId)
    .where('call_id', 'in', callIds)
    .where('recording', '=', 'deleted')
    .execute();
  return new Set(rows.map((row) => row.call_id));
}
