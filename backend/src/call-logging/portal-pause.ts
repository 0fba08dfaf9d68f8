import { DialerApiError, DialerPayloadError } from '../dialer/index.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { Db } from '../platform/db/database.ts';

/**
 * Failure classification (decision 0008). An error that reaches the sync job's loop is never about
 * one call: per-call refusals are handled where the call is written (multi-status answers). So it
 * pauses the portal's pipeline, which resumes by itself with backoff, and no call changes state.
 */
export type PauseCode =
  | 'hubspot_unavailable'
  | 'hubspot_rate_limited'
  | 'hubspot_unauthorized'
  | 'hubspot_scope_missing'
  | 'hubspot_refused'
  | 'dialer_token_rejected'
  | 'dialer_unavailable'
  | 'internal';

export interface PortalProblem {
  code: PauseCode;
  /** For the activity log and the setup checklist: what is wrong and what happens next. */
  reason: string;
}

export function classifyPortalError(error: unknown): PortalProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof HubSpotError) {
    switch (error.code) {
      case 'rate_limited':
        return { code: 'hubspot_rate_limited', reason: `HubSpot's rate limit was reached (${message}).` };
      case 'server_error':
      case 'network':
      case 'timeout':
        return { code: 'hubspot_unavailable', reason: `HubSpot is not answering (${message}).` };
      case 'unauthorized':
      case 'invalid_grant':
      case 'installation_uninstalled':
        return { code: 'hubspot_unauthorized', reason: `HubSpot refused the app's token (${message}).` };
      case 'forbidden':
        return {
          code: 'hubspot_scope_missing',
          reason: `HubSpot refused access (${message}): the app may be missing a permission. Reinstall the app to grant it.`,
        };
      default:
        return { code: 'hubspot_refused', reason: `HubSpot refused a request (${message}).` };
    }
  }
  if (error instanceof DialerApiError) {
    return error.code === 'invalid_token'
      ? {
          code: 'dialer_token_rejected',
          reason: 'Dialer.io no longer accepts the API token. Reconnect Dialer.io in the settings.',
        }
      : { code: 'dialer_unavailable', reason: `Dialer.io is not answering (${message}).` };
  }
  if (error instanceof DialerPayloadError)
    return { code: 'dialer_unavailable', reason: `Dialer.io answered something unexpected (${message}).` };
  return { code: 'internal', reason: `An unexpected error in Dialer Sync (${message}).` };
}

export interface PauseState {
  code: string;
  reason: string;
  since: Date;
  resumeAt: Date | null;
}

/**
 * Records the pause and when to try again: base × 2^attempts (±25 %), capped; it never gives up.
 * Returns the delay and whether this is news (a new pause, or a new cause) for the activity log.
 */
export async function pausePortal(
  db: Db,
  installationId: string,
  problem: PortalProblem,
  backoff: { baseMs: number; maxMs: number },
  now: number,
): Promise<{ delayMs: number; news: boolean }> {
  const current = await db
    .selectFrom('call_sync_portals')
    .select(['paused_code', 'pause_attempts'])
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  const attempts = current?.paused_code ? current.pause_attempts : 0;
  const raw = backoff.baseMs * 2 ** Math.min(attempts, 30);
  const delayMs = Math.round(Math.min(raw, backoff.maxMs) * (0.75 + Math.random() / 2));
  const news = current?.paused_code !== problem.code;
  const values = {
    paused_code: problem.code,
    paused_reason: problem.reason,
    pause_attempts: attempts + 1,
    resume_at: new Date(now + delayMs),
    updated_at: new Date(now),
  };
  await db
    .insertInto('call_sync_portals')
    .values({ installation_id: installationId, ...values, paused_since: new Date(now) })
    .onConflict((oc) =>
      oc.column('installation_id').doUpdateSet((eb) => ({
        ...values,
        paused_since: eb.fn.coalesce('call_sync_portals.paused_since', eb.val(new Date(now))),
      })),
    )
    .execute();
  return { delayMs, news };
}

/** Clears the pause; returns what it was (undefined when the portal was not paused). */
export async function resumePortal(db: Db, installationId: string): Promise<PauseState | undefined> {
  const current = await portalPause(db, installationId);
  if (!current) return undefined;
  await db
    .updateTable('call_sync_portals')
    .set({
      paused_code: null,
      paused_reason: null,
      paused_since: null,
      resume_at: null,
      pause_attempts: 0,
      updated_at: new Date(),
    })
    .where('installation_id', '=', installationId)
    .execute();
  return current;
}

/** The portal's pause for the setup checklist and the job; undefined when it runs normally. */
export async function portalPause(db: Db, installationId: string): Promise<PauseState | undefined> {
  const row = await db
    .selectFrom('call_sync_portals')
    .select(['paused_code', 'paused_reason', 'paused_since', 'resume_at'])
    .where('installation_id', '=', installationId)
    .executeTakeFirst();
  return pauseFromRow(row);
}

/** The pause that a `call_sync_portals` row records (read alone, or joined by the sync job). */
export function pauseFromRow(
  row:
    | {
        paused_code: string | null;
        paused_reason: string | null;
        paused_since: Date | string | null;
        resume_at: Date | string | null;
      }
    | undefined,
): PauseState | undefined {
  if (!row?.paused_code) return undefined;
  return {
    code: row.paused_code,
    reason: row.paused_reason ?? '',
    since: new Date(row.paused_since ?? Date.now()),
    resumeAt: row.resume_at ? new Date(row.resume_at) : null,
  };
}

/** The setup checklist's "calls are being logged" section. */
export async function callSyncChecklist(db: Db, installationId: string) {
  const pause = await portalPause(db, installationId);
  return {
    paused: pause !== undefined,
    reason: pause?.reason ?? null,
    since: pause ? pause.since.toISOString() : null,
    nextTryAt: pause?.resumeAt ? pause.resumeAt.toISOString() : null,
  };
}
