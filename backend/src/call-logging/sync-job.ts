import { recordActivity } from '../activity/record.ts';
import { activeOrStop } from '../installations/active-installation.ts';
import type { AppContext } from '../platform/context.ts';
import { defineJob, type JobContext } from '../platform/queue.ts';
import { drainPortal } from './drain.ts';
import { classifyPortalError, pausePortal, resumePortal } from './portal-pause.ts';
import { loadPortalState } from './portal-state.ts';
import { AUTO_RETRY_ATTEMPTS, ClaimLostError, claimPortal, retryFailed } from './state-machine.ts';
import { callSyncJob } from './sync-job-spec.ts';

/** After losing the portal's claim, the next run comes this much later. */
const CLAIM_LOST_RETRY_MS = 1_000;

/**
 * The portal's call pipeline, one job in flight per portal (so per call). A problem about the
 * portal (HubSpot down or limiting, a refused token or scope) pauses it: the job comes back by
 * itself with backoff, for as long as it takes, and no call is failed for it (decision 0008).
 */
export function createCallSyncJob(ctx: AppContext) {
  return defineJob({
    ...callSyncJob,
    // A killed worker's job is taken over within about 30 s (heartbeat), not after expireInSeconds.
    queue: {
      policy: 'stately',
      retryLimit: 10,
      retryDelaySeconds: 2,
      retryDelayMaxSeconds: 300,
      heartbeatSeconds: 15,
    },
    work: { localConcurrency: 4 },
    async handle({ installationId }, job) {
      const state = await loadPortalState(ctx.db, installationId);
      const installation = activeOrStop(state?.installation, installationId, job);
      if (!state || !installation) return;
      const { pause, settings } = state;
      const wait = pause?.resumeAt ? pause.resumeAt.getTime() - ctx.now() : 0;
      if (wait > 100) return sendLater(ctx, installationId, wait);
      const claim = await claimPortal(ctx.db, installationId);
      try {
        const drained = await drainPortal(ctx, installation, claim, job.signal, settings);
        if (pause) await resumeAfterPause(ctx, installationId);
        if (drained.more) await sendLater(ctx, installationId, 0);
        else if (drained.searchAt !== null)
          await sendLater(ctx, installationId, drained.searchAt - ctx.now());
      } catch (error) {
        if (error instanceof ClaimLostError || job.signal.aborted) {
          // Whoever holds the claim now may not go on (a stalled worker's comeback, a shutdown):
          // queue the portal's next run, which takes the claim back unless a run is queued already.
          job.logger.warn({ installationId }, 'lost the portal’s claim: stopped without writing');
          await sendLater(ctx, installationId, CLAIM_LOST_RETRY_MS);
          return;
        }
        await pauseAfter(ctx, installationId, error, job);
      }
    },
    async onDeadLetter({ installationId }, error, job) {
      // Only when pausing itself failed (the database was down): keep the chain alive.
      job.logger.error({ err: error, installationId }, 'call sync job dead-lettered: sent again later');
      await sendLater(ctx, installationId, ctx.config.callSync.pauseMaxMs);
    },
  });
}

async function pauseAfter(ctx: AppContext, installationId: string, error: unknown, job: JobContext) {
  const problem = classifyPortalError(error);
  const { delayMs, news } = await pausePortal(
    ctx.db,
    installationId,
    problem,
    { baseMs: ctx.config.callSync.pauseBaseMs, maxMs: ctx.config.callSync.pauseMaxMs },
    ctx.now(),
  );
  job.logger.warn({ err: error, installationId, code: problem.code, delayMs }, 'call sync paused');
  if (news)
    await recordActivity(ctx.db, installationId, [
      {
        level: 'warning',
        step: 'portal_paused',
        message: `Call logging is paused: ${problem.reason} No call is lost: they wait and are written when this clears; Dialer Sync retries by itself.`,
        details: { code: problem.code },
      },
    ]);
  await sendLater(ctx, installationId, delayMs);
}

/** A clean pass after a pause: say so, and give failed calls another chance (their cause may be gone). */
async function resumeAfterPause(ctx: AppContext, installationId: string) {
  const was = await resumePortal(ctx.db, installationId);
  if (!was) return;
  const retried = await retryFailed(ctx.db, installationId, { maxAttempts: AUTO_RETRY_ATTEMPTS });
  await recordActivity(ctx.db, installationId, [
    {
      level: 'info',
      step: 'portal_resumed',
      message: `Call logging resumed (it was paused since ${was.since.toISOString()}: ${was.reason})${retried.length ? `; ${retried.length} failed call(s) are tried again` : ''}.`,
    },
  ]);
  if (retried.length) await sendLater(ctx, installationId, 0);
}

async function sendLater(ctx: AppContext, installationId: string, delayMs: number) {
  await ctx.queue.send(
    callSyncJob,
    { installationId },
    { singletonKey: installationId, startAfterSeconds: delayMs > 0 ? delayMs / 1000 : undefined },
  );
}
