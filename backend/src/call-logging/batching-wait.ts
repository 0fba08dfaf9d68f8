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
  /** Calls ready to write now; the oldest `updated_at` is when the first became ready. */
  pending: readonly { updated_at: Date }[];
  /** Calls this job has written so far, and when it started (ms). */
  written: number;
  startedAt: number;
  now: number;
}

/** How long to wait before writing the pending calls (0 = write now). */
export function batchingWaitMs(state: BatchingState, rules = BATCHING): number {
  const pending = state.pending.length;
  if (pending === 0 || pending >= rules.fullBatch) return 0;
  const elapsedS = Math.max(0.001, (state.now - state.startedAt) / 1000);
  const rate = (state.written + pending) / elapsedS;
  if (state.written === 0 || rate < rules.minRatePerSecond) return 0;
  const oldest = Math.min(...state.pending.map((row) => new Date(row.updated_at).getTime()));
  return Math.max(0, Math.min(rules.windowMs, oldest + rules.windowMs - state.now));
}

/** Waits `ms`, or less when the job is aborted (the caller checks the signal). */
export function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
