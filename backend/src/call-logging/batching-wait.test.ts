import { describe, expect, it } from 'vitest';
import { batchingWaitMs } from './batching-wait.ts';

const rows = (...at: number[]) => at.map((t) => ({ updated_at: new Date(t) }));
const base = { pending: rows(10_050, 10_000), written: 5, startedAt: 9_000, now: 10_100 };

describe('the quiet portal batching wait', () => {
  it('holds a small batch while calls keep coming, until its oldest call has waited the window', () => {
    expect(batchingWaitMs(base)).toBe(400);
    expect(batchingWaitMs({ ...base, now: 10_450 })).toBe(50);
    expect(batchingWaitMs({ ...base, now: 10_600 })).toBe(0);
  });

  it('writes at once when nothing is pending, the batch is full, or calls are rare', () => {
    expect(batchingWaitMs({ ...base, pending: [] })).toBe(0);
    expect(batchingWaitMs({ ...base, pending: rows(...Array.from({ length: 100 }, () => 10_000)) })).toBe(0);
    // The job's first write: no rate seen yet.
    expect(batchingWaitMs({ ...base, written: 0 })).toBe(0);
    // 1 call/s: 2 written + 1 pending in 3 s.
    expect(batchingWaitMs({ ...base, written: 2, pending: rows(10_000), startedAt: 7_100 })).toBe(0);
  });
});
