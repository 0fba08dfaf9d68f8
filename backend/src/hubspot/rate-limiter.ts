import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface RateBudget {
  /** Requests allowed per `intervalMs`, on average. */
  requests: number;
  intervalMs: number;
  /** Requests that may go out back to back after a quiet period. */
  burst: number;
}

export interface RateLimiterOptions {
  /**
   * A caller books its slot once the previous caller's slot is this close (0: once it has come).
   * More than a booking's round trip keeps the budget busy while the database is slow to answer;
   * a caller that gives up after booking leaves its slot unused, so keep it short.
   */
  bookAheadMs?: number;
}

export interface RateLimiter {
  /** Resolves when the caller may send one request under `key`'s budget. */
  acquire(key: string, budget: RateBudget, signal?: AbortSignal): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });

interface Waiter {
  budget: RateBudget;
  signal: AbortSignal | undefined;
  booked: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const sameBudget = (a: RateBudget, b: RateBudget) =>
  a.requests === b.requests && a.intervalMs === b.intervalMs && a.burst === b.burst;

/**
 * GCRA ("generic cell rate algorithm") kept in PostgreSQL, so every web and worker process
 * draws on one budget per portal. Each booking is one statement: it books the next slots and
 * says how long to wait for the first. In any window of `intervalMs` at most `requests + burst`
 * requests start, which stays under HubSpot's 110 / 10 s with the defaults (95 + 5).
 *
 * Within a process, callers of one key queue up locally. Their slots are booked as they come
 * due: with `bookAheadMs` 0 one caller at a time, when the previous one's slot has come; with
 * `bookAheadMs`, the slots of the callers queued then (at most `bookAheadMs` worth) in one
 * statement, once the last booked slot is that close. A thousand callers cost the database one
 * booking per request (or per batch) as they go out, not a thousand at once; they cannot wake up
 * together after a busy event loop and overrun the window; and a caller that gives up while
 * queued leaves at once and books nothing.
 */
export function createPostgresRateLimiter(db: Db, options: RateLimiterOptions = {}): RateLimiter {
  const bookAheadMs = options.bookAheadMs ?? 0;
  const queues = new Map<string, Waiter[]>();

  /** Books `count` slots in a row; resolves with the time until the first one (may be < 0). */
  async function book(key: string, budget: RateBudget, count: number): Promise<number> {
    const emissionMs = budget.intervalMs / budget.requests;
    const toleranceMs = Math.max(0, budget.burst - 1) * emissionMs;
    const spanS = (emissionMs * count) / 1000;
    const { rows } = await sql<{ first_ms: number }>`
      insert into rate_limit_slots (key, tat)
      values (${key}, clock_timestamp() + make_interval(secs => ${spanS}::float8))
      on conflict (key) do update
        set tat = greatest(rate_limit_slots.tat, clock_timestamp()) + make_interval(secs => ${spanS}::float8)
      returning (extract(epoch from (tat - clock_timestamp())) * 1000 - ${emissionMs * count + toleranceMs}::float8)::float8 as first_ms
    `.execute(db);
    return Number(rows[0]?.first_ms ?? 0);
  }

  /** The callers whose slots the next booking takes: the first one's budget, `bookAheadMs` worth. */
  function nextBatch(queue: Waiter[]): Waiter[] {
    while (queue[0]?.signal?.aborted) queue.shift();
    const first = queue[0];
    if (!first) return [];
    const emissionMs = first.budget.intervalMs / first.budget.requests;
    const most = Math.max(1, Math.floor(bookAheadMs / emissionMs));
    const batch: Waiter[] = [];
    while (batch.length < most && queue[0] && sameBudget(queue[0].budget, first.budget)) {
      const waiter = queue.shift()!;
      if (!waiter.signal?.aborted) batch.push(waiter);
    }
    return batch;
  }

  async function serve(key: string, queue: Waiter[]): Promise<void> {
    for (let batch = nextBatch(queue); batch.length > 0; batch = nextBatch(queue)) {
      const budget = batch[0]!.budget;
      const emissionMs = budget.intervalMs / budget.requests;
      let firstMs: number;
      try {
        firstMs = await book(key, budget, batch.length);
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
        continue;
      }
      batch.forEach((waiter, i) => {
        waiter.booked = true;
        sleep(firstMs + i * emissionMs, waiter.signal).then(waiter.resolve, waiter.reject);
      });
      // The next booking once the last slot booked has come (or is `bookAheadMs` away).
      await sleep(firstMs + (batch.length - 1) * emissionMs - bookAheadMs);
    }
    queues.delete(key);
  }

  return {
    acquire(key, budget, signal) {
      return new Promise<void>((resolve, reject) => {
        signal?.throwIfAborted();
        const waiter: Waiter = { budget, signal, booked: false, resolve, reject };
        // Queued and not booked yet: leave at once (`nextBatch` skips it).
        const stop = () => (waiter.booked ? undefined : reject(signal!.reason));
        signal?.addEventListener('abort', stop, { once: true });
        const done = () => signal?.removeEventListener('abort', stop);
        waiter.resolve = () => (done(), resolve());
        waiter.reject = (error) => (done(), reject(error));
        const queue = queues.get(key);
        if (queue) return void queue.push(waiter);
        queues.set(key, [waiter]);
        void serve(key, queues.get(key)!);
      });
    },
  };
}
