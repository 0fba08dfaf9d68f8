import type { Installation } from '../installations/installation.table.ts';
import type { Db } from '../platform/db/database.ts';
import { pauseFromRow, type PauseState } from './portal-pause.ts';

/** What the call pipeline needs to know about the portal before a drain. */
export interface DrainSettings {
  /** A Dialer.io account is connected (list names can be refreshed). */
  connected: boolean;
  /** The region for numbers typed without `+`. */
  country: string;
  /** Debug mode: record what would be written, write nothing. */
  debug: boolean;
}

export interface PortalState {
  installation: Installation;
  pause: PauseState | undefined;
  settings: DrainSettings;
}

/**
 * The installation, its Dialer.io country, debug mode and pause, in one statement: the sync job
 * runs for every burst of calls, so what it reads on every run is read at once.
 */
export async function loadPortalState(db: Db, installationId: string): Promise<PortalState | undefined> {
  const row = await db
    .selectFrom('installations as i')
    .leftJoin('dialer_connections as c', 'c.installation_id', 'i.id')
    .leftJoin('installation_settings as s', 's.installation_id', 'i.id')
    .leftJoin('call_sync_portals as p', 'p.installation_id', 'i.id')
    .selectAll('i')
    .select([
      'c.country as connection_country',
      's.debug_mode',
      'p.paused_code',
      'p.paused_reason',
      'p.paused_since',
      'p.resume_at',
    ])
    .where('i.id', '=', installationId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { connection_country, debug_mode, paused_code, paused_reason, paused_since, resume_at, ...rest } =
    row;
  return {
    installation: rest as Installation,
    pause: pauseFromRow({ paused_code, paused_reason, paused_since, resume_at }),
    settings: {
      connected: connection_country !== null,
      country: connection_country ?? 'US',
      debug: debug_mode ?? false,
    },
  };
}

/** The same settings, read on their own (a drain started outside the sync job, as tests do). */
export async function loadDrainSettings(db: Db, installationId: string): Promise<DrainSettings> {
  const state = await loadPortalState(db, installationId);
  return state?.settings ?? { connected: false, country: 'US', debug: false };
}
