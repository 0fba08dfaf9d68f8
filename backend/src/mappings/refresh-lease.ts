import { randomUUID } from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import { MappingError } from './errors.ts';

/** Longer than any refresh takes (two reads per side, one transaction); a crashed holder's lease runs out. */
const LEASE_MS = 2 * 60 * 1000;

/**
 * Runs `work` as the portal's only mapping refresh (across processes). While another refresh runs
 * (a second click, the hourly job), throws `refresh_in_progress` (retryable): their concurrent
 * upserts of the same agents and owners once deadlocked and answered 503.
 */
export async function withRefreshLease<T>(
  ctx: AppContext,
  installationId: string,
  work: () => Promise<T>,
): Promise<T> {
  const holder = randomUUID();
  const now = new Date(ctx.now());
  const claimed = await ctx.db
    .insertInto('mapping_refresh_leases')
    .values({ installation_id: installationId, holder, expires_at: new Date(now.getTime() + LEASE_MS) })
    .onConflict((oc) =>
      oc
        .column('installation_id')
        .doUpdateSet((eb) => ({
          holder: eb.ref('excluded.holder'),
          expires_at: eb.ref('excluded.expires_at'),
        }))
        .where('mapping_refresh_leases.expires_at', '<', now),
    )
    .returning('holder')
    .executeTakeFirst();
  if (claimed?.holder !== holder)
    throw new MappingError(
      'refresh_in_progress',
      'Agents and dispositions are being refreshed already. Try again in a few seconds.',
      true,
    );
  try {
    return await work();
  } finally {
    await ctx.db
      .deleteFrom('mapping_refresh_leases')
      .where('installation_id', '=', installationId)
      .where('holder', '=', holder)
      .execute();
  }
}
