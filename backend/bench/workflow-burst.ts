// Workflow burst (target: ≤ 1.1 × the minimum Dialer.io's 20 requests/s allows, 0 lost): `--executions`
// "Add to Dialer list" executions of one portal posted at once (signed as HubSpot's workflow
// engine signs them). Each is answered inline or BLOCKed and completed later through HubSpot's
// callbacks API. Completion = the last execution done (inline answer or callback received by the
// HubSpot simulator); minimum = Dialer.io requests it took ÷ 20 per second.
//
//   npm run bench:workflow -- [--executions 2000] [--concurrency 64]
import { fileURLToPath } from 'node:url';
import { hubspotSignedFetch } from '../test/support/hubspot-signing.ts';
import { TEST_CLIENT_SECRET } from '../test/support/test-app.ts';
import { flags, report } from './cli.ts';
import { Service, setupPortals, sleep, startEnv } from './support.ts';

export const WORKFLOW_DEFAULTS = { executions: 2000, concurrency: 64 };
export type WorkflowOptions = typeof WORKFLOW_DEFAULTS;
const DIALER_LIMIT_PER_S = 20;

function execution(portalId: number, listId: string, i: number) {
  return {
    callbackId: `burst-${portalId}-${i}`,
    origin: { portalId, actionDefinitionId: 77, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: 9001 },
    object: {
      objectId: 100_000 + i,
      objectType: 'CONTACT',
      properties: {
        phone: `+1 617 3${String(i).padStart(6, '0')}`,
        email: `lead${i}@example.com`,
        firstname: 'Lead',
        lastname: String(i),
      },
    },
    inputFields: { list: listId, updateDetails: 'true' },
  };
}

function requestKinds(requests: { method: string; path: string }[]): string {
  const count = (method: string, pattern: RegExp) =>
    requests.filter((r) => r.method === method && pattern.test(r.path)).length;
  const writes = count('PUT', /\/contacts\/[^/]+$/);
  const adds = count('POST', /\/lists\/[^/]+\/members$/);
  const reads = count('GET', /\/lists$/);
  return `${writes} / ${adds} / ${reads} / ${requests.length - writes - adds - reads}`;
}

export async function benchWorkflowBurst(o: WorkflowOptions): Promise<Record<string, unknown>> {
  const env = await startEnv();
  let service: Service | undefined;
  try {
    service = await Service.start(env, 'all', 'workflow-all');
    const [portal] = await setupPortals(env, 1);
    const list = env.dialer.addList(portal!.accountId, { name: 'Hot leads' });
    const post = (body: unknown) =>
      hubspotSignedFetch(env.url, {
        method: 'POST',
        path: '/hubspot/actions/add-to-list',
        body,
        secret: TEST_CLIENT_SECRET,
        publicBaseUrl: env.url,
      });
    await sleep(1500); // the warm-up below must not share the Dialer.io second with the burst
    // One execution outside the burst (a valid phone, so it mirrors the lists as a first call would).
    const warm = await post(execution(portal!.portalId, list.id, o.executions));
    const warmState = ((await warm.json()) as { outputFields?: { hs_execution_state?: string } }).outputFields
      ?.hs_execution_state;
    if (warm.status !== 200 || warmState !== 'SUCCESS')
      throw new Error(`warm-up execution failed: ${warm.status} ${warmState}`);
    await sleep(1500);

    const start = Date.now();
    const doneAt = new Map<string, number>();
    const blocked = new Set<string>();
    const failed: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < o.executions) {
        const body = execution(portal!.portalId, list.id, next++);
        const answer = await post(body);
        const json = (await answer.json().catch(() => ({}))) as { outputFields?: Record<string, string> };
        const state = json.outputFields?.hs_execution_state;
        if (state === 'BLOCK') blocked.add(body.callbackId);
        else if (state === 'SUCCESS') doneAt.set(body.callbackId, Date.now());
        else failed.push(`${body.callbackId}: ${answer.status} ${JSON.stringify(json)}`);
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    const answeredAt = Date.now();
    const deadline = Date.now() + 60_000 + (o.executions * 3 * 1000) / DIALER_LIMIT_PER_S;
    const completions = () => env.hubspot.portal(portal!.portalId).callbackCompletions;
    while (Date.now() < deadline) {
      for (const c of completions())
        if (blocked.has(c.callbackId) && !doneAt.has(c.callbackId)) {
          if ((c.outputFields as { hs_execution_state?: string }).hs_execution_state === 'SUCCESS')
            doneAt.set(c.callbackId, c.at);
          else failed.push(`${c.callbackId}: ${JSON.stringify(c.outputFields)}`);
        }
      if (doneAt.size + failed.length >= o.executions) break;
      await sleep(200);
    }
    const finishedAt = Math.max(...doneAt.values());
    const dialerRequests = env.dialer.requests.filter((r) => r.at >= start && r.status !== 429);
    const minimumS = dialerRequests.length / DIALER_LIMIT_PER_S;
    const tookS = (finishedAt - start) / 1000;
    return {
      [`${o.executions} add-to-list executions: done / failed / lost`]: `${doneAt.size} / ${failed.length} / ${o.executions - doneAt.size - failed.length}`,
      'answered inline / BLOCKed then completed by callback': `${o.executions - blocked.size} / ${blocked.size}`,
      'all answered (s) / all done (s)': `${((answeredAt - start) / 1000).toFixed(1)} / ${tookS.toFixed(1)}`,
      'Dialer.io requests / minimum at 20 per s (s)': `${dialerRequests.length} / ${minimumS.toFixed(1)}`,
      'Dialer.io requests: contact writes / list adds / list reads / other': requestKinds(dialerRequests),
      'Dialer.io 429 answers': env.dialer.requests.filter((r) => r.at >= start && r.status === 429).length,
      'done ÷ minimum': (tookS / minimumS).toFixed(2),
      'first failure': failed[0] ?? 'none',
      'workflow burst ≤ 1.1 × minimum, 0 lost': tookS / minimumS <= 1.1 && doneAt.size === o.executions,
    };
  } finally {
    await service?.stop();
    await env.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const o = flags(WORKFLOW_DEFAULTS);
  report('workflow burst against Dialer.io 20 requests/s', await benchWorkflowBurst(o));
}
