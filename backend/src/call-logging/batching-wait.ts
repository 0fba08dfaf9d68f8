// The quiet portal's batching wait: at a few calls per second each call would otherwise be
// created alone, one HubSpot request per call, and 10 calls/s would use a portal's whole budget
// (100 / 10 s). When calls keep coming, hold a small batch until its oldest call has waited
// `windowMs`, so the next create carries several calls; when they do not, write at once.

export const BATCHING = {
  /** How long the oldest pending call may be held for company. */
  windowMs: 500,
  /** Below this many calls per second (seen by this job), waiting would gather nothing. */
  minRatePerSecond: 3,
  /** A batch this large goes out at once. */
  fullBatch: 100,
} as const;

export interface BatchingState {
  /** Calls ready to write now, and when the oldest of them became ready (ms). */
  pending: number;
  oldestPendingAt: number;
  /** Calls this job has written so far, and when it started (ms). */
  written: number;
  startedAt: number;
  now: number;
}

/** How long to wait before writing the pending calls (0 = write now). */
export function batchingWaitMs(state: BatchingState, rules = BATCHING): number {
  if (state.pending === 0 || state.pending >= rules.fullBatch) return 0;
  const elapsedS = Math.max(0.001, (state.now - state.startedAt) / 1000);
  const rate = (state.written + state.pending) / elapsedS;
  if (state.written === 0 || rate < rules.minRatePerSecond) return 0;
  return Math.max(0, Math.min(rules.windowMs, state.oldestPendingAt + rules.windowMs - state.now));
}
