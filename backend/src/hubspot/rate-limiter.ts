import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface RateBudget {
  /** Requests allowed per `intervalMs`, on average. */
  requests: number;
  intervalMs: number;
  /** Requests that may go out back to back after a quiet period. */
  burst: number;
}

export interface RateLimiter {
  /** Resolves when the caller may send one request under `key`'s budget. */
  acquire(key: string, budget: RateBudget, signal?: AbortSignal): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** A caller that gives up while queued leaves at once; its turn then books nothing (`book` checks). */
function rejectOnAbort(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/**
 * GCRA ("generic cell rate algorithm") kept in PostgreSQL, so every web and worker process
 * draws on one budget per portal. Each booking is one statement: it books the next slot and
 * says how long to wait for it. In any window of `intervalMs` at most `requests + burst`
 * requests start, which stays under HubSpot's 110 / 10 s with the defaults (95 + 5).
 *
 * Within a process, callers of one key queue up locally and book one at a time, each when the
 * previous one's slot has come: a thousand callers cost the database one booking per request
 * as it goes out (not a thousand at once), and they cannot wake up together after a busy
 * event loop and overrun the window.
 */
export function createPostgresRateLimiter(db: Db): RateLimiter {
  const tails = new Map<string, Promise<void>>();

  async function book(key: string, budget: RateBudget, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const emissionMs = budget.intervalMs / budget.requests;
    const toleranceMs = Math.max(0, budget.burst - 1) * emissionMs;
    const { rows } = await sql<{ wait_ms: number }>`
      insert into rate_limit_slots (key, tat)
      values (${key}, clock_timestamp() + make_interval(secs => ${emissionMs / 1000}::float8))
      on conflict (key) do update
        set tat = greatest(rate_limit_slots.tat, clock_timestamp()) + make_interval(secs => ${emissionMs / 1000}::float8)
      returning greatest(0, extract(epoch from (tat - clock_timestamp())) * 1000 - ${emissionMs + toleranceMs}::float8)::float8 as wait_ms
    `.execute(db);
    await sleep(Number(rows[0]?.wait_ms ?? 0), signal);
  }

  return {
    acquire(key, budget, signal) {
      const previous = tails.get(key) ?? Promise.resolve();
      const mine = previous.then(() => book(key, budget, signal));
      const tail = mine.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return signal ? rejectOnAbort(mine, signal) : mine;
    },
  };
}
