import type { Db } from '../platform/db/database.ts';
import { findConnectionByKey } from './repository.ts';

export interface WebhookTarget {
  installationId: string;
  secret: string;
  country: string;
}

const TTL_MS = 60_000;
const cache = new Map<string, { target: WebhookTarget | null; until: number }>();

/**
 * The installation and webhook secret behind a webhook key, cached for a minute so the ingest
 * path costs no extra query per event. Unknown keys are cached too (as null).
 */
export async function resolveWebhookKey(
  db: Db,
  unseal: (sealed: string) => string,
  key: string,
): Promise<WebhookTarget | null> {
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.target;
  const connection = await findConnectionByKey(db, key);
  const target = connection
    ? {
        installationId: connection.installation_id,
        secret: unseal(connection.webhook_secret_enc),
        country: connection.country,
      }
    : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { target, until: Date.now() + (target ? TTL_MS : 5_000) });
  return target;
}

export function forgetWebhookKey(key: string): void {
  cache.delete(key);
}
