import { HubSpotError } from '../hubspot/errors.ts';

const BATCH = 100;

export const chunks = <T>(items: T[], size = BATCH): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const refusedForGood = (error: unknown): error is HubSpotError =>
  error instanceof HubSpotError && !error.retryable && error.code !== 'forbidden';

/**
 * Sends items 100 per request. HubSpot refuses a whole batch for one bad input (a 4xx, nothing
 * written): then the batch goes again one by one, so one bad item cannot hold up the others;
 * `refused` gets each item HubSpot refuses on its own. Anything else (429, 5xx, a missing scope,
 * a revoked token) is thrown: the job retries later.
 */
export async function sendInBatches<T>(
  items: T[],
  send: (batch: T[]) => Promise<void>,
  refused: (item: T, error: HubSpotError) => Promise<void> | void,
): Promise<void> {
  for (const batch of chunks(items)) {
    try {
      await send(batch);
    } catch (error) {
      if (!refusedForGood(error)) throw error;
      if (batch.length === 1) {
        await refused(batch[0]!, error);
        continue;
      }
      for (const item of batch) await sendInBatches([item], send, refused);
    }
  }
}
