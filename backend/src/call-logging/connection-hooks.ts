import type { ConnectionHooks } from '../dialer-connection/hooks.ts';
import { autoMap } from '../mappings/auto-map.ts';
import { callSyncChecklist } from './portal-pause.ts';
import { AUTO_RETRY_ATTEMPTS, retryFailed } from './state-machine.ts';
import { callSyncJob } from './sync-job-spec.ts';

/**
 * How mappings and call logging plug into a Dialer.io connection (wired in app.ts): auto-map at
 * connect, give failed calls another chance when Dialer.io is (re)connected, and show whether
 * call logging is paused in the setup checklist.
 */
export const connectionHooks: ConnectionHooks = {
  onConnected: [
    async (_ctx, trx, installationId) => autoMap(trx, installationId),
    async (ctx, trx, installationId) => {
      const retried = await retryFailed(trx, installationId, { maxAttempts: AUTO_RETRY_ATTEMPTS });
      if (retried.length)
        await ctx.queue.send(callSyncJob, { installationId }, { trx, singletonKey: installationId });
    },
  ],
  checklist: { callSync: (ctx, installationId) => callSyncChecklist(ctx.db, installationId) },
};
