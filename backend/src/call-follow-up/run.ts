import type { ActivityEntry } from '../activity/record.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { changedCalls, markSeen, needsPlan, type ChangedCall } from './changes.ts';
import { contactCreationSetting } from './contact-creation.ts';
import { readContacts } from './contacts.ts';
import { flushTasks } from './flush.ts';
import { linkCallsToContacts } from './linking.ts';
import { ensurePropertiesOnce } from './properties.ts';
import { markRollupsDirty, writeDirtyRollups } from './rollups.ts';
import { readMissedCallSettings } from './settings.ts';
import type { Episode } from './episodes.ts';
import { planTasks, storeEpisodes, type TaskContext } from './tasks.ts';
import { UnknownCallerPending } from './unknown-callers.ts';

const BATCH = 500;
const ROUNDS = 20;

/**
 * What follows the portal's written calls, in order: calls whose Dialer.io contact now names a
 * HubSpot contact are associated; missed-call and unmapped-agent tasks are planned (once a call
 * has its final status) and stored with the call's "seen" mark in one transaction, then written;
 * then the rollups of every contact whose calls changed, 100 contacts per request. Returns a
 * delay when it must run again later (HubSpot's search cannot see earlier task creates yet).
 */
export async function runFollowUp(
  ctx: AppContext,
  installation: Installation,
  activity: ActivityEntry[],
): Promise<{ retryInMs: number | null; more: boolean }> {
  const tc = await taskContext(ctx, installation, activity);
  await ensurePropertiesOnce(ctx.db, installation.id, tc.client);
  let retryInMs: number | null = null;
  let rounds = 0;
  for (; rounds < ROUNDS; rounds++) {
    const calls = await changedCalls(ctx.db, installation.id, BATCH);
    if (calls.length === 0) break;
    await linkByExternalId(tc, calls);
    await markRollupsDirty(
      ctx.db,
      installation.id,
      calls.flatMap((c) => [c.contactId, c.seenContactId].filter((id): id is string => id !== null)),
    );
    const toPlan = calls.filter(needsPlan);
    let episodes: Episode[] = [];
    try {
      episodes = tc.settings.enabled && toPlan.length ? await planTasks(tc, toPlan) : [];
    } catch (error) {
      // A contact create lost its answer: plan these calls again once HubSpot's search shows it.
      if (!(error instanceof UnknownCallerPending)) throw error;
      return { retryInMs: error.retryInMs, more: false };
    }
    await ctx.db.transaction().execute(async (trx) => {
      await storeEpisodes(trx, installation.id, episodes);
      await markSeen(trx, installation.id, calls);
    });
    const fresh = new Set(episodes.filter((e) => e.isNew).map((e) => e.task.id));
    retryInMs = (await flushTasks(tc, fresh, ctx.config.hubspot.searchIndexDelayMs)).retryInMs;
  }
  if (rounds === 0)
    retryInMs = (await flushTasks(tc, new Set(), ctx.config.hubspot.searchIndexDelayMs)).retryInMs;
  await writeDirtyRollups(ctx.db, installation.id, tc.client, activity);
  return { retryInMs, more: rounds === ROUNDS };
}

export async function taskContext(
  ctx: AppContext,
  installation: Installation,
  activity: ActivityEntry[],
): Promise<TaskContext> {
  const connection = await findConnection(ctx.db, installation.id);
  return {
    db: ctx.db,
    installationId: installation.id,
    client: ctx.hubspot.forInstallation(installation),
    settings: await readMissedCallSettings(ctx.db, installation.id),
    creation: await contactCreationSetting(ctx.db, installation.id),
    country: connection?.country ?? 'US',
    activity,
    now: ctx.now(),
    searchIndexDelayMs: ctx.config.hubspot.searchIndexDelayMs,
  };
}

/** A later Dialer.io event whose contact carries a HubSpot contact id (external_id) links the call. */
async function linkByExternalId(tc: TaskContext, calls: ChangedCall[]) {
  const candidates = calls.filter((c) => !c.contactId && /^\d+$/.test(c.call.contact?.external_id ?? ''));
  if (candidates.length === 0) return;
  const contacts = await readContacts(
    tc.client,
    candidates.map((c) => c.call.contact!.external_id!),
  );
  const links = candidates.filter((c) => contacts.has(c.call.contact!.external_id!));
  await linkCallsToContacts(
    tc.db,
    tc.installationId,
    tc.client,
    links.map((c) => ({
      callId: c.callId,
      hubspotCallId: c.hubspotCallId,
      contactId: c.call.contact!.external_id!,
      phoneE164: c.phoneE164,
    })),
    tc.activity,
    "the Dialer.io contact's external id",
  );
  for (const c of links) c.contactId = c.call.contact!.external_id!;
}
