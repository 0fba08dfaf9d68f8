import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDialerClient, DialerApiError } from '../../../src/dialer/index.ts';
import { startDialerSimulator, type DialerSimulator } from './index.ts';

// The owned Dialer client against the simulator over real HTTP. Every test owns its account.

let sim: DialerSimulator;

beforeAll(async () => {
  sim = await startDialerSimulator();
});
afterAll(async () => {
  await sim.close();
});

function setup(overrides: Partial<Parameters<typeof createDialerClient>[0]> = {}) {
  const { id, token } = sim.createAccount({
    name: 'Harbour Sales',
    country: 'AU',
    timezone: 'Australia/Sydney',
  });
  const client = createDialerClient({ baseUrl: sim.url, apiToken: token, ...overrides });
  return { accountId: id, token, client };
}

async function apiError(promise: Promise<unknown>): Promise<DialerApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DialerApiError);
  return error as DialerApiError;
}

describe('auth and account', () => {
  it('reads the account with a valid token, whatever form the base URL takes', async () => {
    const { token } = setup();
    for (const baseUrl of [sim.url, `${sim.url}/`, `${sim.url}/v1`, `${sim.url}/v1/`]) {
      const client = createDialerClient({ baseUrl, apiToken: token });
      expect(await client.getAccount()).toMatchObject({ name: 'Harbour Sales', country: 'AU' });
    }
  });

  it('answers invalid_token for a wrong or revoked token, permanently and without leaking it', async () => {
    const { accountId, client, token } = setup();
    const second = sim.addToken(accountId);
    sim.revokeToken(token);
    sim.clearRequests();
    const error = await apiError(client.getAccount());
    expect(error).toMatchObject({ code: 'invalid_token', status: 401, retryable: false });
    expect(error.message).not.toContain(token);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]!.headers['authorization']).toBe('[redacted]');
    expect(JSON.stringify(sim.requests)).not.toContain(token);

    const other = createDialerClient({ baseUrl: sim.url, apiToken: second });
    expect((await other.getAccount()).id).toBe(accountId);
  });
});

describe('pagination', () => {
  it('follows every page of more than 100 agents with limit=100 and opaque cursors', async () => {
    const { accountId, client } = setup();
    for (let i = 0; i < 250; i++)
      sim.addAgent(accountId, { name: `Agent ${i}`, email: `agent${i}@example.com` });
    sim.clearRequests();
    const agents = await client.listAgents();
    expect(agents.map((a) => a.name)).toEqual(Array.from({ length: 250 }, (_, i) => `Agent ${i}`));
    const pages = sim.requestsTo('GET', '/v1/agents');
    expect(pages.map((r) => r.query['limit'])).toEqual(['100', '100', '100']);
    expect(pages[0]!.query['cursor']).toBeUndefined();
    expect(pages[1]!.query['cursor']).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('rejects a limit outside 1..100 and a forged cursor', async () => {
    const { token } = setup();
    const headers = { Authorization: `Bearer ${token}` };
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor']) {
      const response = await fetch(`${sim.url}/v1/dispositions?${query}`, { headers });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('lists dispositions and lists with contact counts', async () => {
    const { accountId, client } = setup();
    sim.addDisposition(accountId, { id: 'dsp_1', name: 'Booked meeting', category: 'connected' });
    sim.addList(accountId, { id: 'lst_1', name: 'Hot leads' });
    sim.addList(accountId, { id: 'lst_2', name: 'Spring campaign', kind: 'campaign', archived: true });
    sim.addContact(accountId, { external_id: '501', phone: '02 9374 4000', lists: ['lst_1'] });
    expect(await client.listDispositions()).toEqual([
      { id: 'dsp_1', name: 'Booked meeting', category: 'connected' },
    ]);
    expect(await client.listLists()).toEqual([
      { id: 'lst_1', name: 'Hot leads', kind: 'list', contact_count: 1, archived: false },
      { id: 'lst_2', name: 'Spring campaign', kind: 'campaign', contact_count: 0, archived: true },
    ]);
  });
});

describe('rate limits, faults and retries', () => {
  it('answers 429 with Retry-After over the per-account limit; the client waits only when allowed', async () => {
    const limited = await startDialerSimulator({ rateLimitPerSecond: 2 });
    try {
      const { token } = limited.createAccount();
      const impatient = createDialerClient({ baseUrl: limited.url, apiToken: token, maxRetryWaitMs: 500 });
      const patient = createDialerClient({ baseUrl: limited.url, apiToken: token, maxRetryWaitMs: 1000 });
      await impatient.getAccount();
      await impatient.getAccount();
      const response = await fetch(`${limited.url}/v1/account`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } });

      const error = await apiError(impatient.getAccount());
      expect(error).toMatchObject({
        code: 'rate_limited',
        status: 429,
        retryable: true,
        retryAfterSeconds: 1,
      });

      const started = Date.now();
      await expect(patient.getAccount()).resolves.toMatchObject({ name: 'Acme Calling' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(limited.requestsTo('GET', '/account').map((r) => r.status)).toEqual([
        200, 200, 429, 429, 429, 200,
      ]);
    } finally {
      await limited.close();
    }
  });

  it('retries a 429 whose Retry-After fits, and gives up at once when it does not', async () => {
    const { accountId, client } = setup();
    sim.failNext(1, { status: 429, retryAfterSeconds: 0, pathPrefix: '/account' });
    expect((await client.getAccount()).id).toBe(accountId);
    expect(
      sim
        .requestsTo('GET', '/account')
        .filter((r) => r.accountId === accountId)
        .map((r) => r.status),
    ).toEqual([429, 200]);

    sim.failNext(1, { status: 429, retryAfterSeconds: 30, pathPrefix: '/account' });
    const error = await apiError(client.getAccount());
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 30 });
    expect(sim.requestsTo('GET', '/account').filter((r) => r.accountId === accountId)).toHaveLength(3);
  });

  it('retries 5xx with backoff up to maxRetries, then throws a retryable internal error', async () => {
    const { accountId, client } = setup();
    sim.failNext(1, { status: 503, pathPrefix: '/v1/agents' });
    await expect(client.listAgents()).resolves.toEqual([]);

    sim.failNext(3, { status: 500, retryAfterSeconds: 0, pathPrefix: '/v1/agents' });
    const error = await apiError(client.listAgents());
    expect(error).toMatchObject({ code: 'internal', status: 500, retryable: true });
    const statuses = sim.requestsTo('GET', '/v1/agents').filter((r) => r.accountId === accountId);
    expect(statuses.map((r) => r.status)).toEqual([503, 200, 500, 500, 500]);
  });

  it('does not repeat a webhook creation after a 5xx (it may have happened)', async () => {
    const { accountId, client } = setup();
    sim.failNext(1, { status: 502, retryAfterSeconds: 0, pathPrefix: '/webhooks', method: 'POST' });
    const error = await apiError(
      client.createWebhook({ url: 'https://example.com/h', events: ['call.ended'] }),
    );
    expect(error).toMatchObject({ code: 'internal', retryable: true });
    expect(sim.requestsTo('POST', '/webhooks').filter((r) => r.accountId === accountId)).toHaveLength(1);
  });

  it('maps timeouts and unreachable hosts to retryable errors', async () => {
    const { token } = setup();
    sim.setLatency(300);
    try {
      const slow = createDialerClient({ baseUrl: sim.url, apiToken: token, timeoutMs: 50, maxRetries: 0 });
      expect(await apiError(slow.getAccount())).toMatchObject({ code: 'timeout', retryable: true });
    } finally {
      sim.setLatency(0);
    }
    const nowhere = createDialerClient({ baseUrl: 'http://127.0.0.1:9', apiToken: token, maxRetries: 0 });
    const error = await apiError(nowhere.getAccount());
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(error.message).not.toContain(token);
  });
});

describe('contacts and list membership', () => {
  it('creates then replaces a contact, ignoring dnc and line_type', async () => {
    const { accountId, client, token } = setup();
    const first = await client.upsertContact('101', { phone: '+61 2 9374 4000', first_name: 'Grace' });
    expect(first.created).toBe(true);
    expect(first.contact).toMatchObject({
      external_id: '101',
      phone: '+61 2 9374 4000',
      dnc: false,
      lists: [],
    });

    const body = { phone: '02 9374 4001', company: 'Harbour Co', dnc: true, line_type: 'voip' };
    const second = await client.upsertContact('101', body);
    expect(second.created).toBe(false);
    expect(second.contact).toMatchObject({
      phone: '02 9374 4001',
      first_name: 'Grace',
      company: 'Harbour Co',
    });
    expect(second.contact).toMatchObject({ dnc: false, line_type: 'unknown' });
    expect(sim.contact(accountId, '101')?.company).toBe('Harbour Co');

    const put = await fetch(`${sim.url}/v1/contacts/101`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{"email":"grace@example.com"}',
    });
    expect(put.status).toBe(400);
    expect(await put.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('reports validation_failed to the client for a contact without a phone', async () => {
    const { client } = setup();
    const error = await apiError(client.upsertContact('102', { phone: '' }));
    expect(error).toMatchObject({ code: 'validation_failed', status: 400, retryable: false });
  });

  it('gets and deletes contacts, with unknown ids as null/false and ids encoded in paths', async () => {
    const { accountId, client } = setup();
    expect(await client.getContact('nobody')).toBeNull();
    await client.upsertContact('odd/id ?', { phone: '(415) 555-0100' });
    expect((await client.getContact('odd/id ?'))?.external_id).toBe('odd/id ?');
    expect(sim.requestsTo('GET', /^\/v1\/contacts\/odd%2Fid%20%3F$/)).toHaveLength(1);
    expect(await client.deleteContact('odd/id ?')).toBe(true);
    expect(await client.deleteContact('odd/id ?')).toBe(false);
    expect(sim.account(accountId).contacts).toEqual([]);
  });

  it('adds and removes list members with 201/200 and 204/404 semantics', async () => {
    const { accountId, client } = setup();
    sim.addList(accountId, { id: 'lst_a', name: 'Follow up' });
    sim.addList(accountId, { id: 'lst_b', name: 'Nurture' });
    sim.addList(accountId, { id: 'lst_old', name: 'Old campaign', archived: true });
    await client.upsertContact('201', { phone: '02 9374 4000' });

    expect(await client.addListMember('lst_a', '201')).toBe('added');
    expect(await client.addListMember('lst_a', '201')).toBe('already_member');
    expect(await client.addListMember('lst_b', '201')).toBe('added');
    expect((await client.getContact('201'))?.lists.map((l) => l.name)).toEqual(['Follow up', 'Nurture']);

    expect(await apiError(client.addListMember('lst_old', '201'))).toMatchObject({
      code: 'list_archived',
      status: 409,
      retryable: false,
    });
    expect(await apiError(client.addListMember('lst_missing', '201'))).toMatchObject({ code: 'not_found' });
    expect(await apiError(client.addListMember('lst_a', 'ghost'))).toMatchObject({ code: 'not_found' });

    expect(await client.removeListMember('lst_a', '201')).toBe('removed');
    expect(await client.removeListMember('lst_a', '201')).toBe('not_member');
    await client.removeAllMemberships('201');
    await client.removeAllMemberships('ghost');
    expect(sim.contact(accountId, '201')?.lists).toEqual([]);
    expect(sim.account(accountId).lists.map((l) => l.contact_count)).toEqual([0, 0, 0]);
  });

  it('removes a deleted contact from every list', async () => {
    const { accountId, client } = setup();
    sim.addList(accountId, { id: 'lst_a', name: 'Follow up' });
    await client.upsertContact('301', { phone: '02 9374 4000' });
    await client.addListMember('lst_a', '301');
    await client.deleteContact('301');
    expect(sim.account(accountId).lists[0]!.contact_count).toBe(0);
  });
});

describe('contacts made in Dialer.io itself', () => {
  it('PATCH /v1/contacts/by-id/{id} sets a missing external_id once; again is a no-op, another is a conflict', async () => {
    const { accountId, client } = setup();
    const made = sim.addContact(accountId, { external_id: null, phone: '+61293744000' });
    sim.addContact(accountId, { external_id: 'taken', phone: '+61293744001' });
    expect(await client.setExternalId(made.id, 'hs-1')).toMatchObject({ id: made.id, external_id: 'hs-1' });
    expect(await client.setExternalId(made.id, 'hs-1')).toMatchObject({ external_id: 'hs-1' });
    expect(await client.getContact('hs-1')).toMatchObject({ id: made.id });
    expect(await client.setExternalId(made.id, 'hs-2')).toBe('conflict');
    const other = sim.addContact(accountId, { external_id: null, phone: '+61293744002' });
    expect(await client.setExternalId(other.id, 'taken')).toBe('conflict');
    expect(await client.setExternalId('con_unknown', 'hs-3')).toBeNull();
  });

  it('a fault after handling performs the write and loses its answer (the client repeats the idempotent PUT)', async () => {
    const { accountId, client } = setup();
    sim.clearRequests();
    sim.failNext(1, { status: 502, afterHandling: true, method: 'PUT', pathPrefix: '/contacts/' });
    await client.upsertContact('lost-1', { phone: '+61293744003', first_name: 'Kept' });
    expect(sim.requestsTo('PUT', '/v1/contacts/lost-1').map((r) => r.status)).toEqual([502, 200]);
    expect(sim.contact(accountId, 'lost-1')).toMatchObject({ first_name: 'Kept' });
  });
});
