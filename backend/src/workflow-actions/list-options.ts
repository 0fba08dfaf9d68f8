import { findConnection } from '../dialer-connection/repository.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { WorkflowActions } from './execute.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';

export const OPTIONS_PAGE_SIZE = 50;
const OPTIONS_TIMEOUT_MS = 8_000;

export interface ListOption {
  label: string;
  value: string;
  description: string;
}

export interface ListOptionsAnswer {
  options: ListOption[];
  after?: string;
  searchable: true;
}

/** The `list` dropdown: active Dialer.io lists whose name contains `q`, a page at a time. */
export async function listOptions(
  deps: WorkflowActions,
  installation: Installation,
  fetchOptions: { q?: string | null; after?: string | null },
): Promise<ListOptionsAnswer> {
  const connection = await findConnection(deps.ctx.db, installation.id);
  if (!connection) return { options: [], searchable: true };
  const client = dialerClientFor(deps.ctx, connection, AbortSignal.timeout(OPTIONS_TIMEOUT_MS));
  const lists = await deps.lists.all(installation.id, client);
  const needle = fetchOptions.q?.trim().toLocaleLowerCase() ?? '';
  const matching = lists.filter(
    (list) => !list.archived && (needle === '' || list.name.toLocaleLowerCase().includes(needle)),
  );
  const offset = pageOffset(fetchOptions.after);
  const page = matching.slice(offset, offset + OPTIONS_PAGE_SIZE);
  const next = offset + OPTIONS_PAGE_SIZE;
  return {
    options: page.map((list) => ({
      label: list.name,
      value: list.list_id,
      description: `${list.kind === 'campaign' ? 'Campaign' : 'List'} · ${list.contact_count} contacts`,
    })),
    ...(next < matching.length ? { after: String(next) } : {}),
    searchable: true,
  };
}

function pageOffset(after: string | null | undefined): number {
  return after && /^\d{1,6}$/.test(after) ? Number(after) : 0;
}
