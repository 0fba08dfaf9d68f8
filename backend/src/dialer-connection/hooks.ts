import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';

/**
 * What other capabilities plug into a Dialer.io connection, wired in `app.ts`, so that this folder
 * imports none of them (mappings and call logging import the connection, not the other way).
 */
export interface ConnectionHooks {
  /** Run in the connect transaction after the mirrors are stored (auto-mapping, re-driving calls). */
  onConnected: ((ctx: AppContext, trx: Db, installationId: string) => Promise<void>)[];
  /** Extra sections of the setup checklist, by name (e.g. whether call logging is paused). */
  checklist: Record<string, (ctx: AppContext, installationId: string) => Promise<unknown>>;
}

export const NO_HOOKS: ConnectionHooks = { onConnected: [], checklist: {} };
