import { recordActivity } from '../activity/record.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import { activeInstallationForJob } from '../installations/active-installation.ts';
import type { AppContext } from '../platform/context.ts';
import { PermanentJobError, defineJob, type JobDefinition } from '../platform/queue.ts';
import { markContactUpdatesDone, takeContactUpdates } from './dialer-events.ts';
import {
  SWEEP_EVERY_SECONDS,
  dialerChangesJob,
  operationJob,
  portalSweepJob,
  sweepScheduleJob,
} from './job-specs.ts';
import type { SyncOperation } from './contact-sync.table.ts';
import { findOperation, setStatus } from './operations.ts';
import { runPull } from './pull.ts';
import { runPush } from './push.ts';
import { sweepCustomProperties } from './sweep.ts';
import { applyHubSpotChanges } from './to-dialer.ts';
import { applyDialerChanges } from './to-hubspot.ts';

const ROUNDS = 20;
/** Sweeps and one-time operations can start a few seconds late: their workers poll every 2 s (the queue's notify fallback). */
const RELAXED_POLL_SECONDS = 2;
const EVENTS_PER_ROUND = 200;

export async function scheduleContactSweep(ctx: AppContext): Promise<void> {
  await ctx.queue.send(
    sweepScheduleJob,
    {},
    { singletonKey: 'contact-sweep', startAfterSeconds: SWEEP_EVERY_SECONDS },
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
export function createContactSyncJobs(ctx: AppContext): JobDefinition<any>[] {
  const dialerChanges = defineJob({
    ...dialerChangesJob,
    queue: {
      policy: 'stately',
      retryLimit: 10,
      retryDelaySeconds: 2,
      retryDelayMaxSeconds: 300,
      heartbeatSeconds: 15,
    },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      for (let round = 0; round < ROUNDS; round++) {
        const { ids, changes, hubspot } = await takeContactUpdates(ctx.db, installationId, EVENTS_PER_ROUND);
        if (ids.length === 0) return;
        await applyDialerChanges(ctx, installation, changes);
        await applyHubSpotChanges(ctx, installation, hubspot);
        await markContactUpdatesDone(ctx.db, installationId, ids);
      }
      await ctx.queue.send(dialerChangesJob, { installationId }, { singletonKey: installationId });
    },
  });

  const operation = defineJob({
    ...operationJob,
    queue: {
      policy: 'stately',
      retryLimit: 10,
      retryDelaySeconds: 5,
      retryDelayMaxSeconds: 300,
      heartbeatSeconds: 15,
      // One slice runs `syncOperations.sliceMs` (plus one contact or batch); this is only a backstop.
      expireInSeconds: 900,
    },
    work: { pollingIntervalSeconds: RELAXED_POLL_SECONDS },
    async handle({ installationId, operationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      const op = await findOperation(ctx.db, installationId, operationId);
      if (!installation || !op) return;
      // Cancelled between two slices: this job is the one that notices.
      if (op.status === 'cancelled') return recordOperationEnd(ctx, op, 'cancelled');
      if (op.status !== 'queued' && op.status !== 'running') return;
      const connection = await findConnection(ctx.db, installationId);
      if (!connection) throw new PermanentJobError('Dialer.io is not connected any more.');
      await setStatus(ctx.db, installationId, operationId, 'running');
      const run = op.kind === 'pull_contacts' ? runPull : runPush;
      const endsAt = Date.now() + ctx.config.syncOperations.sliceMs;
      const result = await run(ctx, installation, connection, op, job.signal, endsAt);
      if (result === 'paused') {
        await ctx.queue.send(operationJob, { installationId, operationId }, { singletonKey: operationId });
        return;
      }
      if (result === 'done') await setStatus(ctx.db, installationId, operationId, 'done');
      await recordOperationEnd(ctx, op, result);
    },
    async onDeadLetter({ installationId, operationId }, error) {
      await setStatus(ctx.db, installationId, operationId, 'failed', error.message);
      await recordActivity(ctx.db, installationId, [
        {
          level: 'error',
          step: 'sync_operation_failed',
          message: `A one-time contact sync stopped: ${error.message}. Start it again to resume where it stopped.`,
        },
      ]);
    },
  });

  const schedule = defineJob({
    ...sweepScheduleJob,
    queue: { policy: 'stately', retryLimit: 3 },
    work: { pollingIntervalSeconds: RELAXED_POLL_SECONDS },
    async handle() {
      await scheduleContactSweep(ctx);
      const portals = await ctx.db
        .selectFrom('property_mappings as m')
        .innerJoin('installations as i', 'i.id', 'm.installation_id')
        .innerJoin('dialer_connections as d', 'd.installation_id', 'i.id')
        .select('i.id')
        .distinct()
        .where('i.status', '=', 'active')
        .where('m.dialer_field', 'like', 'fields.%')
        .where('m.removed', '=', false)
        .execute();
      for (const { id } of portals)
        await ctx.queue.send(portalSweepJob, { installationId: id }, { singletonKey: id });
    },
    async onDeadLetter() {
      await scheduleContactSweep(ctx);
    },
  });

  const sweep = defineJob({
    ...portalSweepJob,
    queue: { policy: 'stately', retryLimit: 3, retryDelaySeconds: 30 },
    work: { pollingIntervalSeconds: RELAXED_POLL_SECONDS },
    async handle({ installationId }, job) {
      const installation = await activeInstallationForJob(ctx, installationId, job);
      if (!installation) return;
      const { behind } = await sweepCustomProperties(ctx, installation);
      // Behind (a busy portal): the next slice at once, as its own job, so other work interleaves.
      if (behind) await ctx.queue.send(portalSweepJob, { installationId }, { singletonKey: installationId });
    },
  });

  return [dialerChanges, operation, schedule, sweep];
}

async function recordOperationEnd(ctx: AppContext, op: SyncOperation, result: 'done' | 'cancelled') {
  const final = await findOperation(ctx.db, op.installation_id, op.id);
  await recordActivity(ctx.db, op.installation_id, [
    {
      level: final && final.failed > 0 ? 'warning' : 'info',
      step: 'sync_operation_finished',
      message: `${op.kind === 'pull_contacts' ? 'Pull' : 'Push'} contacts ${result === 'done' ? 'finished' : 'was cancelled'}: ${final?.done ?? 0} contacts done, ${final?.failed ?? 0} failed.`,
    },
  ]);
}
