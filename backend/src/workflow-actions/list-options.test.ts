import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { LIST_CACHE_MS } from './list-catalog.ts';
import { OPTIONS_PAGE_SIZE, type ListOptionsAnswer } from './list-options.ts';
import { connectedPortal, postSigned } from './test-helpers.ts';

const PORTAL = 550007;
let offsetMs = 0;
let app: TestApp;
let portal: Awaited<ReturnType<typeof connectedPortal>>;

beforeAll(async () => {
  app = await startTestApp({ workers: false, now: () => Date.now() + offsetMs });
  portal = await connectedPortal(app, PORTAL);
  for (let i = 1; i <= 60; i++) {
    app.dialer.addList(portal.accountId, { name: `Region ${String(i).padStart(2, '0')}` });
  }
  await app.install(550008);
});
afterAll(() => app.stop());
beforeEach(() => app.dialer.clearRequests());

async function options(
  fetchOptions: { q?: string; after?: string },
  portalId = PORTAL,
): Promise<ListOptionsAnswer> {
  const response = await postSigned(app, 'listOptions', {
    origin: { portalId, actionDefinitionId: 77 },
    objectTypeId: '0-1',
    inputFieldName: 'list',
    inputFields: {},
    fetchOptions,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ListOptionsAnswer;
}

describe('the list options URL', () => {
  it('offers the active Dialer.io lists, searchable, a page at a time', async () => {
    const first = await options({});
    expect(first.searchable).toBe(true);
    expect(first.options).toHaveLength(OPTIONS_PAGE_SIZE);
    expect(first.options[0]).toEqual({
      label: 'Cold leads',
      value: portal.lists.cold.id,
      description: 'Campaign · 0 contacts',
    });
    expect(first.after).toBe(String(OPTIONS_PAGE_SIZE));
    const second = await options({ after: first.after! });
    expect(second.after).toBeUndefined();
    const all = [...first.options, ...second.options];
    expect(all).toHaveLength(62);
    expect(all.map((o) => o.label)).not.toContain('Old campaign');
    expect(new Set(all.map((o) => o.value)).size).toBe(62);
  });

  it('filters by q, ignoring case', async () => {
    const answer = await options({ q: 'LEADS' });
    expect(answer.options.map((o) => o.label)).toEqual(['Cold leads', 'Hot leads']);
    expect((await options({ q: 'region 1' })).options.map((o) => o.label)).toEqual(
      ['10', '11', '12', '13', '14', '15', '16', '17', '18', '19'].map((n) => `Region ${n}`),
    );
  });

  it('reads Dialer.io at most once a minute per portal', async () => {
    offsetMs += LIST_CACHE_MS + 1_000;
    await options({});
    await options({ q: 'hot' });
    expect(app.dialer.requestsTo('GET', '/lists')).toHaveLength(1);
    app.dialer.addList(portal.accountId, { name: 'Brand new list' });
    expect((await options({ q: 'brand' })).options).toEqual([]);

    offsetMs += LIST_CACHE_MS + 1_000;
    expect((await options({ q: 'brand' })).options.map((o) => o.label)).toEqual(['Brand new list']);
    expect(app.dialer.requestsTo('GET', '/lists')).toHaveLength(2);
  });

  it('offers no lists (and asks Dialer.io nothing) when Dialer.io is not connected', async () => {
    expect(await options({}, 550008)).toEqual({ options: [], searchable: true });
    expect(app.dialer.requests).toHaveLength(0);
  });

  it('refuses an unsigned request', async () => {
    const response = await fetch(`${app.url}/hubspot/actions/list-options`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ origin: { portalId: PORTAL } }),
    });
    expect(response.status).toBe(401);
  });
});
