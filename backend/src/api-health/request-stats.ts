import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Logger } from '../platform/logger.ts';

const HOUR_MS = 60 * 60 * 1000;
const FLUSH_EVERY_MS = 10_000;

/**
 * Counts each portal's HubSpot answers per hour. Counted in memory and written every 10 s (and
 * on stop), so a busy portal costs one upsert per flush, not one per request.
 */
export interface RequestStats {
  record(installationId: string, succeeded: boolean, at?: number): void;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function createRequestStats(db: Db, logger: Logger, now: () => number = Date.now): RequestStats {
  let pending = new Map<
    string,
    { installationId: string; hour: number; succeeded: number; failed: number }
  >();
  let flushing: Promise<void> = Promise.resolve();

  async function write(batch: typeof pending) {
    for (const row of batch.values()) {
      await db
        .insertInto('hubspot_request_stats')
        .values({
          installation_id: row.installationId,
          hour: new Date(row.hour),
          succeeded: row.succeeded,
          failed: row.failed,
        })
        .onConflict((oc) =>
          oc.columns(['installation_id', 'hour']).doUpdateSet({
            succeeded: sql`hubspot_request_stats.succeeded + excluded.succeeded`,
            failed: sql`hubspot_request_stats.failed + excluded.failed`,
            updated_at: new Date(),
          }),
        )
        .execute()
        // The portal may have been purged meanwhile: its counts go with it.
        .catch((error: unknown) => logger.warn({ err: error }, 'could not store HubSpot request counts'));
    }
  }

  function flush(): Promise<void> {
    const batch = pending;
    pending = new Map();
    flushing = flushing.then(() => write(batch));
    return flushing;
  }

  const timer = setInterval(() => void flush(), FLUSH_EVERY_MS);
  timer.unref();

  return {
    record(installationId, succeeded, at = now()) {
      const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
      const key = `${installationId}:${hour}`;
      const row = pending.get(key) ?? { installationId, hour, succeeded: 0, failed: 0 };
      if (succeeded) row.succeeded++;
      else row.failed++;
      pending.set(key, row);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** The portal's HubSpot requests over the last 24 hours (whole hours, this one included). */
export async function successOverLastDay(db: Db, installationId: string, at: number) {
  const since = new Date(Math.floor(at / HOUR_MS) * HOUR_MS - 23 * HOUR_MS);
  const row = await db
    .selectFrom('hubspot_request_stats')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('succeeded'), eb.val(0)).as('succeeded'),
      eb.fn.coalesce(eb.fn.sum<number>('failed'), eb.val(0)).as('failed'),
    ])
    .where('installation_id', '=', installationId)
    .where('hour', '>=', since)
    .executeTakeFirstOrThrow();
  const succeeded = Number(row.succeeded);
  const failed = Number(row.failed);
  const requests = succeeded + failed;
  return { requests, succeeded, failed, successRate: requests === 0 ? null : succeeded / requests };
}

/** Counts older than two days are no longer shown anywhere. */
export async function deleteOldRequestStats(db: Db, at: number): Promise<void> {
  await db
    .deleteFrom('hubspot_request_stats')
    .where('hour', '<', new Date(at - 48 * HOUR_MS))
    .execute();
}
