import { parentPort, workerData } from 'node:worker_threads';
import { startHubSpotSimulator } from '../simulators/hubspot/index.ts';

/**
 * The HubSpot simulator on a thread of its own: its clock and rate windows then see requests
 * when they really arrive, even while the test's own thread is busy (the embedded database runs
 * on it). Answers `stats` messages with what it counted.
 */
const { portalId, options } = workerData as {
  portalId: number;
  options: Parameters<typeof startHubSpotSimulator>[0];
};
const sim = await startHubSpotSimulator(options);
sim.createPortal({ portalId });
const tokens = sim.issueTokens(portalId);
parentPort!.on('message', async (message: string) => {
  if (message === 'stats') {
    parentPort!.postMessage({
      kind: 'stats',
      count429: sim.count429,
      ok: sim.requests.filter((r) => r.status === 200).length,
    });
  }
  if (message === 'close') {
    await sim.close();
    parentPort!.close();
  }
});
parentPort!.postMessage({ kind: 'ready', url: sim.url, accessToken: tokens.access_token });
