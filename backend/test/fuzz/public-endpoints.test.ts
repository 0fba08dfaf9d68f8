import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_ACTION_PATHS } from '../../src/workflow-actions/routes.ts';
import { actionCall } from '../../src/workflow-actions/test-helpers.ts';
import { callEndedBody } from '../support/dialer-signing.ts';
import { hubSpotEvent } from '../support/hubspot-webhooks.ts';
import type { TestApp } from '../support/test-app.ts';
import { routeTargets, startFuzzApp } from './fuzz-app.ts';
import { fuzzRequest, signingHeaders, type FuzzRequest, type Target } from './requests.ts';

// Every public endpoint (walked from the router, so a new one is fuzzed too) gets mutated bodies,
// headers, signatures and path parameters: never a 5xx, never an unsigned write, never a crash.

const PORTAL = 850001;
const ADMIN = 41;
const BATCH = 10;
/** Runs per phase; each run sends BATCH requests at once: 2 × 500 × 10 = 10,000 requests. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

let app: TestApp;
let targets: Target[];
let secrets: { hubspot: string; dialer: string; publicBaseUrl: string };

beforeAll(async () => {
  const fuzz = await startFuzzApp(PORTAL, ADMIN);
  ({ app, secrets } = fuzz);
  const samples: Record<string, unknown> = {
    'POST /hubspot/webhooks': [
      hubSpotEvent(PORTAL, { subscriptionType: 'object.propertyChange', objectId: 7 }),
    ],
    'POST /dialer/webhooks/:key': JSON.parse(callEndedBody('c-fuzz', 'notes')),
    [`POST ${WORKFLOW_ACTION_PATHS.addToList}`]: actionCall(PORTAL, { inputFields: { list: 'l1' } }),
    [`POST ${WORKFLOW_ACTION_PATHS.removeFromList}`]: actionCall(PORTAL, { inputFields: { list: 'l1' } }),
    [`POST ${WORKFLOW_ACTION_PATHS.listOptions}`]: { origin: { portalId: PORTAL }, fetchOptions: { q: 'a' } },
    'PATCH /api/settings': { debugMode: true },
    'PUT /api/agents/:agentId': { ownerId: null },
    'PUT /api/dispositions/:dispositionId': { outcomeId: null },
    'POST /api/privacy/erasures': { phone: '+61 2 9374 4000', confirm: 'ERASE' },
    'POST /api/dialer/connection': { apiToken: 'dlr_x' },
  };
  const params = {
    key: fuzz.webhookKey,
    contactId: '7',
    callId: 'c-fuzz',
    agentId: 'agt_1',
    dispositionId: 'd1',
  };
  targets = routeTargets(app).map((route) => ({
    ...route,
    body: samples[`${route.method} ${route.path}`] ?? (route.method === 'GET' ? undefined : {}),
    params,
    query: route.path.startsWith('/api/') ? { portalId: String(PORTAL), userId: String(ADMIN) } : undefined,
  }));
});
afterAll(() => app.stop());

async function send(target: Target, request: FuzzRequest): Promise<void> {
  const headers: Record<string, string> = signingHeaders(request, target, secrets);
  if (request.contentType) headers['content-type'] = request.contentType;
  const response = await fetch(`${app.url}${request.path}`, {
    method: request.method,
    headers,
    body: request.body,
  });
  const text = await response.text();
  if (response.status >= 500)
    throw new Error(
      `${request.method} ${request.path} (${request.signing}) → ${response.status} ${text.slice(0, 200)}\nbody: ${JSON.stringify(request.body)?.slice(0, 300)}`,
    );
}

function batchOf(signings: FuzzRequest['signing'][]) {
  const one = fc.oneof(
    ...targets.map((target) => fuzzRequest(target, signings).map((request) => ({ target, request }))),
  );
  return fc.array(one, { minLength: BATCH, maxLength: BATCH });
}

const runBatches = (signings: FuzzRequest['signing'][]) =>
  fc.assert(
    fc.asyncProperty(batchOf(signings), async (batch) => {
      await Promise.all(batch.map(({ target, request }) => send(target, request)));
    }),
    { numRuns: RUNS },
  );

/** What a request from outside could have written: every row that belongs to a portal. */
async function writtenState(): Promise<string> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.columns
    where column_name = 'installation_id' and table_schema = 'public' order by 1`.execute(app.runtime.ctx.db);
  const counts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(
      app.runtime.ctx.db,
    );
    counts.push(`${name}=${rows.rows[0]!.n}`);
  }
  return counts.join(' ');
}

const newestRows = async () => ({
  dialer: await app.runtime.ctx.db.selectFrom('webhook_inbox').selectAll().execute(),
  hubspot: await app.runtime.ctx.db.selectFrom('hubspot_webhook_inbox').selectAll().execute(),
  workflow: await app.runtime.ctx.db.selectFrom('workflow_executions').selectAll().execute(),
});

describe('fuzzing every public endpoint', () => {
  it('covers the whole router', () => {
    const paths = targets.map((t) => t.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/hubspot/webhooks',
        '/dialer/webhooks/:key',
        '/api/privacy/erasures',
        '/oauth/callback',
      ]),
    );
  });

  it('unsigned, wrongly signed or stale: never a 5xx, never a write', async () => {
    const before = await writtenState();
    await runBatches(['none', 'garbled', 'stale']);
    const after = await writtenState();
    // On failure, show what was written (the rows name the request that wrote them).
    if (after !== before) console.error('unsigned write:', JSON.stringify(await newestRows()));
    expect(after).toBe(before);
  }, 300_000);

  it('validly signed and mutated: never a 5xx, and the service still answers', async () => {
    await runBatches(['valid']);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(app.logs.lines.filter((line) => line.includes('"unhandled error"'))).toEqual([]);
  }, 300_000);
});
