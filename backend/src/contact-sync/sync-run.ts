import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { writeToDialerFields, writeToHubSpotFields } from './field-writes.ts';
import { findLinks } from './links.ts';
import { loadMappings } from './mapping-repository.ts';
import { observeAll, planWrites, type FieldObservation, type Rules } from './reconcile.ts';
import { getContactSyncSettings } from './settings.ts';
import { loadStates, loadWrites, saveStates } from './sync-state.ts';
import { loadOwnerDirectory } from './values.ts';

/**
 * One round of the model for linked contacts: every observation is judged against what we know
 * (decision 0012), the state is stored, and then each side is written what it does not hold yet.
 * Observations of contacts that are not linked are left out (the callers link or create first).
 */
export async function syncObservations(
  ctx: AppContext,
  installation: Installation,
  observations: FieldObservation[],
): Promise<{ dialerWrites: number; hubspotWrites: number }> {
  const none = { dialerWrites: 0, hubspotWrites: 0 };
  const installationId = installation.id;
  const connection = await findConnection(ctx.db, installationId);
  if (!connection || observations.length === 0) return none;
  const contactIds = [...new Set(observations.map((o) => o.contactId))];
  const links = await findLinks(ctx.db, installationId, contactIds);
  const linked = observations.filter((o) => links.has(o.contactId));
  if (linked.length === 0) return none;
  const mappings = await loadMappings(ctx.db, installationId);
  const rules: Rules = {
    mappings: new Map(mappings.map((m) => [m.dialerField, m])),
    settings: await getContactSyncSettings(ctx.db, installationId),
    owners: await loadOwnerDirectory(ctx.db, installationId),
    country: connection.country,
  };
  const ids = [...links.keys()];
  const states = await loadStates(ctx.db, installationId, ids);
  const writes = await loadWrites(ctx.db, installationId, ids);
  const touched = observeAll(linked, states, writes, rules);
  await saveStates(ctx.db, installationId, states, touched);

  const plan = planWrites(states, touched, rules);
  const activity: ActivityEntry[] = [];
  const deps = { ctx, installationId, states, activity };
  try {
    const dialerWrites = await writeToDialerFields(
      deps,
      dialerClientFor(ctx, connection),
      links,
      plan.dialer,
    );
    const hubspot = ctx.hubspot.forInstallation(installation);
    const hubspotWrites = (await writeToHubSpotFields(deps, hubspot, plan.hubspot)).written;
    return { dialerWrites, hubspotWrites };
  } finally {
    await saveStates(ctx.db, installationId, states, touched);
    await recordActivity(ctx.db, installationId, activity);
  }
}
