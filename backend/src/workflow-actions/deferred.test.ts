import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { peakPerSecond, recordDialerSends } from '../../test/support/dialer-sends.ts';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { dialerRateKey } from '../dialer-connection/dialer-access.ts';
import { BLOCK_ANSWER } from './execute.ts';
import { findExecution } from './repository.ts';
import { actionCall, callAction, connectedPortal, dialerWrites, postSigned } from './test-helpers.ts';

const PORTAL = 550005;
let app: TestApp;
let portal: Awaited<ReturnType<typeof connectedPortal>>;

beforeAll(async () => {
  app = await startTestApp();
  portal = await connectedPortal(app, PORTAL);
  await postSigned(app, 'listOptions', { origin: { portalId: PORTAL }, fetchOptions: {} });
});
afterAll(() => app.stop());
beforeEach(() => app.dialer.clearRequests());

const completions = () => app.hubspot.portal(PORTAL).callbackCompletions;

describe('a rate-limited, slow or down Dialer.io', () => {
  it('answers BLOCK on 429, finishes in a job and completes the callback in HubSpot', async () => {
    app.dialer.failNext(3, { status: 429, pathPrefix: '/contacts', method: 'PUT' });
    const body = actionCall(PORTAL, { contactId: 901, inputFields: { list: portal.lists.hot.id } });
    const answer = await callAction(app, 'addToList', body);
    expect(answer).toEqual({ status: 200, outputFields: BLOCK_ANSWER });
    expect(answer.outputFields).toEqual({ hs_execution_state: 'BLOCK', hs_expiration_duration: 'P3D' });

    // HubSpot asks again while the job is pending: still BLOCK, no extra write.
    expect((await callAction(app, 'addToList', body)).outputFields).toEqual(BLOCK_ANSWER);

    const completion = (await eventually(() => completions().find((c) => c.callbackId === body.callbackId)))!;
    const contact = app.dialer.contact(portal.accountId, '901')!;
    expect(completion.outputFields).toEqual({
      hs_execution_state: 'SUCCESS',
      result: 'added',
      dialer_contact_id: contact.id,
    });
    expect(contact.lists.map((l) => l.id)).toEqual([portal.lists.hot.id]);
    const limited = app.dialer.requestsTo('PUT', '/contacts/901').filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    expect(app.dialer.requestsTo('POST', '/lists/')).toHaveLength(1);
    expect(app.hubspot.requestsTo('POST', '/automation/actions/callbacks/2026-03/complete')).toHaveLength(1);

    // Once done, a repeated call gets the final answer.
    expect((await callAction(app, 'addToList', body)).outputFields).toEqual(completion.outputFields);
    const installation = (await findInstallationByPortal(app.runtime.ctx.db, PORTAL))!;
    expect(await findExecution(app.runtime.ctx.db, installation.id, body.callbackId)).toMatchObject({
      state: 'done',
      callback_state: 'sent',
      request: null,
    });
  });

  it('answers BLOCK at once, without a Dialer.io request, when the rate budget is booked ahead (a burst)', async () => {
    await sql`
      insert into rate_limit_slots (key, tat) values (${dialerRateKey(portal.accountId)}, clock_timestamp() + interval '3 seconds')
      on conflict (key) do update set tat = excluded.tat`.execute(app.runtime.ctx.db);
    const body = actionCall(PORTAL, { contactId: 902, inputFields: { scope: 'all_lists' } });
    const started = Date.now();
    const answer = await callAction(app, 'removeFromList', body);
    expect(answer.outputFields).toEqual(BLOCK_ANSWER);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(dialerWrites(app)).toHaveLength(0);

    const completion = (await eventually(() => completions().find((c) => c.callbackId === body.callbackId)))!;
    expect(completion.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', result: 'removed' });
    expect(app.dialer.requestsTo('DELETE', '/contacts/902/memberships')).toHaveLength(1);
  });

  it('keeps the whole burst under Dialer.io’s 20 requests per second', async () => {
    const bodies = Array.from({ length: 30 }, (_, i) =>
      actionCall(PORTAL, { contactId: 1000 + i, inputFields: { list: portal.lists.cold.id } }),
    );
    const sent = recordDialerSends(app);
    const answers = await Promise.all(bodies.map((body) => callAction(app, 'addToList', body)));
    for (const answer of answers)
      expect(['SUCCESS', 'BLOCK']).toContain(answer.outputFields.hs_execution_state);
    await eventually(
      () =>
        bodies.every(
          (body, i) =>
            answers[i]!.outputFields.hs_execution_state === 'SUCCESS' ||
            completions().some((c) => c.callbackId === body.callbackId),
        ),
      30_000,
    );
    sent.stop();
    // Paced where the requests leave the app (see recordDialerSends): at most 19 in any second.
    expect(peakPerSecond(sent.times)).toBeLessThanOrEqual(19);
    expect(sent.times.length).toBeGreaterThanOrEqual(bodies.length);
    for (const body of bodies) {
      expect(app.dialer.contact(portal.accountId, String(body.object.objectId))!.lists).toHaveLength(1);
    }
  }, 60_000);
});
