import type { DialerClient, DialerList } from '../dialer/index.ts';
import type { DialerListRow } from '../dialer-connection/dialer-connection.table.ts';
import { replaceLists } from '../dialer-connection/mirror.ts';
import type { AppContext } from '../platform/context.ts';

/** Dialer.io lists are read again when the mirror is older than this. */
export const LIST_CACHE_MS = 60_000;

/**
 * Dialer.io's lists of a portal, from the `dialer_lists` mirror, read again from Dialer.io when the
 * mirror is more than a minute old. One refresh serves the options URL and every execution.
 */
export function createListCatalog(ctx: AppContext) {
  async function mirrored(installationId: string): Promise<DialerListRow[]> {
    return ctx.db
      .selectFrom('dialer_lists')
      .selectAll()
      .where('installation_id', '=', installationId)
      .orderBy('name')
      .execute();
  }

  function isFresh(rows: DialerListRow[]): boolean {
    const newest = Math.max(0, ...rows.map((row) => new Date(row.updated_at).getTime()));
    return ctx.now() - newest < LIST_CACHE_MS;
  }

  // A burst of executions that all find the mirror stale share one refresh (one Dialer.io request).
  const refreshing = new Map<string, Promise<DialerListRow[]>>();

  async function read(installationId: string, client: DialerClient): Promise<DialerListRow[]> {
    const lists = await client.listLists();
    await saveMirror(ctx, installationId, lists);
    return mirrored(installationId);
  }

  function refresh(installationId: string, client: DialerClient): Promise<DialerListRow[]> {
    const pending = refreshing.get(installationId);
    if (pending) return pending;
    const next = read(installationId, client).finally(() => refreshing.delete(installationId));
    refreshing.set(installationId, next);
    return next;
  }

  return {
    /** Every list, fresh within a minute; the stale mirror when Dialer.io cannot answer now. */
    async all(installationId: string, client: DialerClient): Promise<DialerListRow[]> {
      const rows = await mirrored(installationId);
      if (isFresh(rows)) return rows;
      try {
        return await refresh(installationId, client);
      } catch (error) {
        if (rows.length === 0) throw error;
        ctx.logger.warn({ err: error, installationId }, 'Dialer.io lists not refreshed: using the mirror');
        return rows;
      }
    },

    /** One list: the mirror answers unless it does not know the list (or knows it archived) and is stale. */
    async find(
      installationId: string,
      listId: string,
      client: DialerClient,
    ): Promise<DialerListRow | undefined> {
      const rows = await mirrored(installationId);
      const known = rows.find((row) => row.list_id === listId);
      if ((known && !known.archived) || isFresh(rows)) return known;
      return (await refresh(installationId, client)).find((row) => row.list_id === listId);
    },
  };
}

export type ListCatalog = ReturnType<typeof createListCatalog>;

/** Mirrors Dialer.io's lists (see `replaceLists`), stamped with the catalog's clock for freshness. */
async function saveMirror(ctx: AppContext, installationId: string, lists: DialerList[]): Promise<void> {
  await ctx.db.transaction().execute((trx) => replaceLists(trx, installationId, lists, new Date(ctx.now())));
}
