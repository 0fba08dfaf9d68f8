import { upsertAgents, upsertDispositions } from '../dialer-connection/mirror.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { autoMap } from './auto-map.ts';
import { MappingError, upstreamFailure } from './errors.ts';
import { refreshOutcomes, refreshOwners } from './hubspot-directory.ts';
import { ownerBackfillJob } from './job-specs.ts';
import { withRefreshLease } from './refresh-lease.ts';

export interface RefreshSides {
  /** HubSpot owners and Dialer.io agents. */
  agents: boolean;
  /** HubSpot call outcomes and Dialer.io dispositions. */
  dispositions: boolean;
}

export interface RefreshResult {
  owners?: number;
  agents?: number;
  outcomes?: number;
  dispositions?: number;
}

/**
 * Reads both sides again (HubSpot owners / outcomes, Dialer.io agents / dispositions), re-matches
 * everything that was not mapped by hand, and (for agents) queues the owner backfill of recent
 * calls. A failed read stores no agent or disposition and changes no mapping. One refresh per
 * portal at a time: another one meanwhile is refused with `refresh_in_progress`.
 */
export async function refreshMappings(
  ctx: AppContext,
  installation: Installation,
  sides: RefreshSides,
): Promise<RefreshResult> {
  return withRefreshLease(ctx, installation.id, () => refreshBothSides(ctx, installation, sides));
}

async function refreshBothSides(
  ctx: AppContext,
  installation: Installation,
  sides: RefreshSides,
): Promise<RefreshResult> {
  const installationId = installation.id;
  const connection = await findConnection(ctx.db, installationId);
  if (!connection)
    throw new MappingError(
      'dialer_not_connected',
      'Connect Dialer.io first: agents and dispositions come from your Dialer.io account.',
    );
  const dialer = dialerClientFor(ctx, connection);
  const hubspot = ctx.hubspot.forInstallation(installation);
  const [agents, dispositions] = await Promise.all([
    sides.agents ? dialer.listAgents() : undefined,
    sides.dispositions ? dialer.listDispositions() : undefined,
  ]).catch(upstreamFailure);
  const owners = sides.agents
    ? await refreshOwners(ctx.db, installationId, hubspot).catch(upstreamFailure)
    : undefined;
  const outcomes = sides.dispositions
    ? await refreshOutcomes(ctx.db, installationId, hubspot).catch(upstreamFailure)
    : undefined;
  await ctx.db.transaction().execute(async (trx) => {
    if (agents) await upsertAgents(trx, installationId, agents);
    if (dispositions) await upsertDispositions(trx, installationId, dispositions);
    await autoMap(trx, installationId);
    // A newly mapped agent or disposition: recent calls get their owner or outcome.
    if (agents || dispositions)
      await ctx.queue.send(ownerBackfillJob, { installationId }, { trx, singletonKey: installationId });
  });
  ctx.logger.info({ installationId, owners, outcomes }, 'mappings refreshed');
  return { owners, agents: agents?.length, outcomes, dispositions: dispositions?.length };
}
