import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { createPostgresRateLimiter, type RateBudget } from './rate-limiter.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ workers: false });
});
afterAll(() => app.stop());

// Slots 100 ms apart: wide enough that a late timer on a busy machine does not blur them.
const BUDGET: RateBudget = { requests: 10, intervalMs: 1000, burst: 1 };

async function acquireAll(bookAheadMs: number, key: string, count: number): Promise<number[]> {
  const limiter = createPostgresRateLimiter(app.runtime.ctx.db, { bookAheadMs });
  const started = Date.now();
  const times = await Promise.all(
    Array.from({ length: count }, () => limiter.acquire(key, BUDGET).then(() => Date.now() - started)),
  );
  return times.sort((a, b) => a - b);
}

describe('the PostgreSQL rate limiter', () => {
  it.each([0, 500])(
    'lets queued callers go one slot apart, none early (book ahead %i ms)',
    async (bookAheadMs) => {
      const times = await acquireAll(bookAheadMs, `test:spacing:${bookAheadMs}`, 15);
      // Never before its slot (a late timer may let one go later: the Dialer.io pacer spaces those).
      times.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(i * 100 - 15));
    },
  );

  it('a caller that gives up while queued leaves at once and takes no slot', async () => {
    const limiter = createPostgresRateLimiter(app.runtime.ctx.db);
    const key = 'test:abort';
    const controller = new AbortController();
    const started = Date.now();
    const first = Array.from({ length: 3 }, () => limiter.acquire(key, BUDGET));
    const gaveUp = limiter.acquire(key, BUDGET, controller.signal);
    const last = limiter.acquire(key, BUDGET).then(() => Date.now() - started);
    controller.abort(new Error('gave up'));
    await expect(gaveUp).rejects.toThrow('gave up');
    expect(Date.now() - started).toBeLessThan(100);
    await Promise.all(first);
    // The fifth caller has the fourth slot: 3 × 100 ms after the first, not 4 ×.
    expect(await last).toBeLessThan(350);
  });
});
