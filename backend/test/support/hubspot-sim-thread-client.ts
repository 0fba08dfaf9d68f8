import { Worker } from 'node:worker_threads';
import type { HubSpotSimulatorOptions } from '../simulators/hubspot/index.ts';

export interface SimThread {
  url: string;
  accessToken: string;
  stats(): Promise<{ count429: number; ok: number }>;
  close(): Promise<void>;
}

/** Starts `hubspot-sim-thread.ts` and waits until it listens. */
export async function startHubSpotSimulatorThread(
  portalId: number,
  options: HubSpotSimulatorOptions,
): Promise<SimThread> {
  const worker = new Worker(new URL('./hubspot-sim-thread.ts', import.meta.url), {
    workerData: { portalId, options },
    execArgv: ['--import', 'tsx'],
  });
  const next = <T>(kind: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { kind: string } & T) => {
        if (message.kind !== kind) return;
        worker.off('message', onMessage);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const ready = await next<{ url: string; accessToken: string }>('ready');
  return {
    url: ready.url,
    accessToken: ready.accessToken,
    async stats() {
      const answer = next<{ count429: number; ok: number }>('stats');
      worker.postMessage('stats');
      return answer;
    },
    async close() {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
