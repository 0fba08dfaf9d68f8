import { sql } from 'kysely';
import { createDialerClient, type DialerClient } from '../dialer/index.ts';
import type { DialerConnection } from './dialer-connection.table.ts';
import { createPostgresRateLimiter, type RateBudget, type RateLimiter } from '../hubspot/rate-limiter.ts';
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { Pacer } from './pacer.ts';

/**
 * Dialer.io allows 20 requests/s per account. Every process books from this shared budget: one
 * slot every 54 ms (18.5/s) and no burst, so no second holds more than 19 slots, one under the
 * limit for requests that leave a little late. Each process also spaces its own requests out when
 * they leave (`Pacer`), so that requests a busy event loop or database made late do not bunch.
 */
export const DIALER_BUDGET: RateBudget = { requests: 18.5, intervalMs: 1000, burst: 1 };

/** Time one Dialer.io request takes of an account's budget (54 ms). */
export const DIALER_SLOT_MS = DIALER_BUDGET.intervalMs / DIALER_BUDGET.requests;

export const dialerRateKey = (accountId: string) => `dialer:${accountId}`;

/** In this process, requests to one Dialer.io account leave at least this far apart (≤ 19 / s). */
const MIN_GAP_MS = 53;
const pacers = new Map<string, Pacer>();
const pacerFor = (key: string) => pacers.get(key) ?? pacers.set(key, new Pacer(MIN_GAP_MS)).get(key)!;

/**
 * One limiter per database in this process: its callers of one account queue up here, and the
 * slots of those queued are booked together, at most `BOOK_AHEAD_MS` before they come. A caller
 * that gives up while queued has booked nothing, so the budget is not left idle by slots booked
 * for requests never sent; booking for the queue in one statement keeps the budget busy while
 * PostgreSQL is slow to answer (during a burst a booking waited 100-200 ms for a pooled
 * connection: one booking per request, one after the other, made 5-9 requests/s).
 */
const BOOK_AHEAD_MS = 500;
const limiters = new WeakMap<Db, RateLimiter>();
const limiterFor = (db: Db) =>
  limiters.get(db) ??
  limiters.set(db, createPostgresRateLimiter(db, { bookAheadMs: BOOK_AHEAD_MS })).get(db)!;

/** Requests of this process waiting for their slot or their pacing, per rate key. */
const waiting = new Map<string, number>();
const countWaiting = (key: string, delta: number) => {
  const count = (waiting.get(key) ?? 0) + delta;
  if (count > 0) waiting.set(key, count);
  else waiting.delete(key);
};

/**
 * The Dialer.io client of a stored connection, for every capability: paced as above (each
 * request, retries included) and bounded by `signal`: when it aborts, the pending request fails as a retryable timeout.
 */
export function dialerClientFor(
  ctx: AppContext,
  connection: Pick<DialerConnection, 'account_id' | 'api_token_enc'>,
  signal?: AbortSignal,
): DialerClient {
  const limiter = limiterFor(ctx.db);
  const key = dialerRateKey(connection.account_id);
  const paced: typeof fetch = async (input, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => s instanceof AbortSignal);
    const combined = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    combined?.throwIfAborted();
    countWaiting(key, 1);
    try {
      await limiter.acquire(key, DIALER_BUDGET, combined);
      await pacerFor(key).wait(combined);
    } finally {
      countWaiting(key, -1);
    }
    return ctx.fetch(input, { ...init, ...(combined ? { signal: combined } : {}) });
  };
  return createDialerClient({
    baseUrl: ctx.config.dialer.apiBaseUrl,
    apiToken: ctx.box.decrypt(connection.api_token_enc), // unsealed only here
    fetch: paced,
  });
}

/** How long the requests to this Dialer.io account queued in this process take of its budget. */
export const dialerQueuedMs = (accountId: string): number =>
  DIALER_SLOT_MS * (waiting.get(dialerRateKey(accountId)) ?? 0);

/**
 * How long a new request to this Dialer.io account would wait for its slot now (0 when free): the
 * slots booked ahead in PostgreSQL (by every process) and the requests queued in this process.
 */
export async function dialerBacklogMs(db: Db, accountId: string): Promise<number> {
  const { rows } = await sql<{ backlog_ms: number }>`
    select greatest(0, extract(epoch from (tat - clock_timestamp())) * 1000)::float8 as backlog_ms
    from rate_limit_slots where key = ${dialerRateKey(accountId)}
  `.execute(db);
  const booked = Math.max(0, Number(rows[0]?.backlog_ms ?? 0) - DIALER_SLOT_MS * DIALER_BUDGET.burst);
  return booked + dialerQueuedMs(accountId);
}
