import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/platform/json-depth.ts';
import type { TestApp } from '../support/test-app.ts';
import { routeTargets, startFuzzApp } from './fuzz-app.ts';
import { signingHeaders, type FuzzRequest, type Target } from './requests.ts';

// Fuzzing found 500s (`RangeError: Maximum call stack size exceeded`) from ~200 KB of nesting: a
// walk over the parsed body recursed once per level. Every route that takes a body (walked from the
// router, so a new one is covered too) refuses such a body with a 400, signed or not.

const PORTAL = 850101;
const ADMIN = 42;

let app: TestApp;
let targets: Target[];
let secrets: { hubspot: string; dialer: string; publicBaseUrl: string };

beforeAll(async () => {
  const fuzz = await startFuzzApp(PORTAL, ADMIN);
  ({ app, secrets } = fuzz);
  const params: Record<string, string> = {
    key: fuzz.webhookKey,
    contactId: '7',
    callId: 'c-deep',
    agentId: 'agt_1',
    dispositionId: 'd1',
    dialerField: 'company',
    operationId: '00000000-0000-4000-8000-000000000000',
  };
  targets = routeTargets(app)
    .filter((route) => route.method !== 'GET')
    .map((route) => ({ ...route, params }));
});
afterAll(() => app.stop());

/** ~200 KB of nesting, the shapes the fuzzer sent: arrays, objects, and inside a valid-looking body. */
const DEEP_BODIES = {
  arrays: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  objects: `${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}`,
  'inside a body': `{"origin":{"portalId":${PORTAL}},"fetchOptions":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
};

async function send(target: Target, body: string, signing: FuzzRequest['signing']) {
  const query = target.path.startsWith('/api/') ? `?portalId=${PORTAL}&userId=${ADMIN}` : '';
  const path = `${target.path.replace(/:(\w+)/g, (_m, name: string) => target.params![name]!)}${query}`;
  const request: FuzzRequest = {
    method: target.method,
    path,
    body,
    contentType: 'application/json',
    signing,
  };
  const headers = { ...signingHeaders(request, target, secrets), 'content-type': 'application/json' };
  const response = await fetch(`${app.url}${path}`, { method: target.method, headers, body });
  return {
    status: response.status,
    body: (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } },
  };
}

describe('deeply nested JSON bodies', () => {
  it('walks every route that takes a body', () => {
    expect(targets.map((t) => `${t.method} ${t.path}`)).toEqual(
      expect.arrayContaining([
        'POST /hubspot/actions/list-options',
        'POST /hubspot/actions/remove-from-list',
        'POST /api/privacy/erasures',
        'POST /hubspot/webhooks',
        'POST /dialer/webhooks/:key',
      ]),
    );
  });

  for (const [shape, body] of Object.entries(DEEP_BODIES)) {
    it(`refuses ${shape} with a 400 on every route, signed or not, and nothing crashes`, async () => {
      const answers = [];
      for (const target of targets)
        for (const signing of ['valid', 'none'] as const) {
          const answer = await send(target, body, signing);
          answers.push({ route: `${target.method} ${target.path} (${signing})`, ...answer });
        }
      const wrong = answers.filter((a) => a.status !== 400 || a.body.error?.code !== 'too_deeply_nested');
      expect(wrong).toEqual([]);
      expect(answers[0]!.body.error?.message).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
      expect(app.logs.lines.filter((line) => line.includes('"unhandled error"'))).toEqual([]);
    }, 120_000);
  }

  it('takes a body nested just within the limit (the check does not refuse ordinary bodies)', async () => {
    const list = targets.find((t) => t.path === '/hubspot/actions/list-options')!;
    const nested = `${'['.repeat(MAX_JSON_DEPTH - 2)}${']'.repeat(MAX_JSON_DEPTH - 2)}`;
    const within = await send(list, `{"origin":{"portalId":${PORTAL}},"x":${nested}}`, 'valid');
    expect(within.body.error?.code).not.toBe('too_deeply_nested');
    expect(within.status).toBeLessThan(500);
  });
});
