import { DIALER_SLOT_MS, dialerBacklogMs, dialerQueuedMs } from '../dialer-connection/dialer-access.ts';
import type { Db } from '../platform/db/database.ts';

/** Dialer.io requests an inline execution makes at most (the contact, then the list change). */
const REQUESTS_PER_EXECUTION = 2;
/** Inline executions of this process admitted and not yet done, per Dialer.io account. */
const admitted = new Map<string, number>();

/**
 * Admits an execution to the inline answer when its Dialer.io requests would get their slots
 * within `maxBacklogMs`: the budget booked ahead and the requests queued in this process, plus the
 * requests of the inline executions admitted before it (counted at once, so a burst arriving
 * together cannot all pass before any of them queues). An execution that is not admitted answers
 * BLOCK without touching Dialer.io, so no inline answer runs out of time with its contact written
 * and its list change not (which the job would then write again). Returns the release, or null.
 */
export async function admitInline(
  db: Db,
  accountId: string,
  maxBacklogMs: number,
): Promise<(() => void) | null> {
  const aheadMs = () => ((admitted.get(accountId) ?? 0) + 1) * REQUESTS_PER_EXECUTION * DIALER_SLOT_MS;
  // Busy in this process alone (a burst): no need to ask PostgreSQL.
  if (dialerQueuedMs(accountId) + aheadMs() > maxBacklogMs) return null;
  if ((await dialerBacklogMs(db, accountId)) + aheadMs() > maxBacklogMs) return null;
  const before = admitted.get(accountId) ?? 0;
  admitted.set(accountId, before + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (admitted.get(accountId) ?? 1) - 1;
    if (left > 0) admitted.set(accountId, left);
    else admitted.delete(accountId);
  };
}
