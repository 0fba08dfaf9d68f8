import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { OperationKind, OperationStatus, SyncOperation } from './contact-sync.table.ts';

/** How one slice of an operation's job ended: `paused` = its time was up, the job queues the rest. */
export type SliceResult = 'done' | 'cancelled' | 'paused';

export interface OperationView {
  id: string;
  kind: OperationKind;
  status: OperationStatus;
  total: number | null;
  done: number;
  failed: number;
  startedAt: string;
  finishedAt: string | null;
  lastError: string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toView(op: SyncOperation): OperationView {
  return {
    id: op.id,
    kind: op.kind,
    status: op.status,
    total: op.total,
    done: op.done,
    failed: op.failed,
    startedAt: iso(op.started_at)!,
    finishedAt: iso(op.finished_at),
    lastError: op.last_error,
  };
}

export async function findOperation(db: Db, installationId: string, id: string) {
  return db
    .selectFrom('sync_operations')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The queued or running operation of a kind (the database allows one per portal and kind). */
export async function unfinishedOperation(db: Db, installationId: string, kind: OperationKind) {
  return db
    .selectFrom('sync_operations')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('kind', '=', kind)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
}

export async function recentOperations(db: Db, installationId: string, limit = 10) {
  return db
    .selectFrom('sync_operations')
    .selectAll()
    .where('installation_id', '=', installationId)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
}

/** When each kind last finished (done), and when the owners/outcomes mapping was last refreshed. */
export async function lastRuns(db: Db, installationId: string) {
  const { rows } = await sql<{ pull: Date | null; push: Date | null; refresh: Date | null }>`
    select
      (select max(finished_at) from sync_operations where installation_id = ${installationId}
         and kind = 'pull_contacts' and status = 'done') as pull,
      (select max(finished_at) from sync_operations where installation_id = ${installationId}
         and kind = 'push_contacts' and status = 'done') as push,
      (select max(updated_at) from hubspot_owners where installation_id = ${installationId}) as refresh
  `.execute(db);
  const row = rows[0];
  return {
    pull_contacts: iso(row?.pull ?? null),
    push_contacts: iso(row?.push ?? null),
    mappingsRefresh: iso(row?.refresh ?? null),
  };
}

/** Progress of one operation: what was done, where to resume. Returns the status now (cancel shows here). */
export async function recordProgress(
  db: Db,
  installationId: string,
  id: string,
  change: { done?: number; failed?: number; cursor?: string; inFlight?: string | null; total?: number },
): Promise<OperationStatus | undefined> {
  const row = await db
    .updateTable('sync_operations')
    .set((eb) => ({
      done: eb('done', '+', change.done ?? 0),
      failed: eb('failed', '+', change.failed ?? 0),
      ...(change.cursor === undefined ? {} : { cursor: change.cursor }),
      ...(change.inFlight === undefined ? {} : { in_flight: change.inFlight }),
      ...(change.total === undefined ? {} : { total: change.total }),
      updated_at: sql<Date>`now()`,
    }))
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .returning('status')
    .executeTakeFirst();
  return row?.status;
}

export async function setStatus(
  db: Db,
  installationId: string,
  id: string,
  status: OperationStatus,
  lastError: string | null = null,
): Promise<void> {
  const finished = status === 'done' || status === 'failed' || status === 'cancelled';
  await db
    .updateTable('sync_operations')
    .set({
      status,
      ...(lastError === null ? {} : { last_error: lastError }),
      ...(finished ? { finished_at: sql<Date>`now()`, in_flight: null } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}
