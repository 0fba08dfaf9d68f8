import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peakPerSecond, recordDialerSends } from '../../test/support/dialer-sends.ts';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { actionCall, callAction, connectedPortal } from './test-helpers.ts';

// A workflow enrolling many contacts at once, through the HTTP route and the real job workers:
// each execution is answered inline or BLOCKed and completed once, and Dialer.io sees each contact
// written once and added once (no request repeated by an inline answer that ran out of time).

const PORTAL = 550009;
const EXECUTIONS = 60;
let app: TestApp;
let portal: Awaited<ReturnType<typeof connectedPortal>>;

beforeAll(async () => {
  app = await startTestApp();
  portal = await connectedPortal(app, PORTAL);
});
afterAll(() => app.stop());

const completions = () => app.hubspot.portal(PORTAL).callbackCompletions;

async function waitingForCallback(): Promise<number> {
  const installation = (await findInstallationByPortal(app.runtime.ctx.db, PORTAL))!;
  const row = await app.runtime.ctx.db
    .selectFrom('workflow_executions')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('installation_id', '=', installation.id)
    .where((eb) => eb.or([eb('state', '<>', 'done'), eb('callback_state', '=', 'pending')]))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('a burst of Add to Dialer.io list executions', () => {
  it('completes every callback exactly once, and Dialer.io sees each contact written and added once', async () => {
    const bodies = Array.from({ length: EXECUTIONS }, (_, i) =>
      actionCall(PORTAL, {
        contactId: 3000 + i,
        inputFields: { list: portal.lists.hot.id, updateDetails: 'true' },
        properties: { phone: `+1 617 555 ${String(1000 + i)}`, firstname: 'Lead', lastname: String(i) },
      }),
    );
    const sent = recordDialerSends(app);
    const answers = await Promise.all(bodies.map((body) => callAction(app, 'addToList', body)));
    const states = answers.map((answer) => answer.outputFields.hs_execution_state);
    expect(states.every((state) => state === 'SUCCESS' || state === 'BLOCK')).toBe(true);
    const blocked = bodies.filter((_, i) => states[i] === 'BLOCK').map((body) => body.callbackId);
    expect(blocked.length).toBeGreaterThan(0); // 120 requests are more than a second of the budget

    await eventually(async () => (await waitingForCallback()) === 0, 60_000, 200);
    for (const callbackId of blocked) {
      const done = completions().filter((c) => c.callbackId === callbackId);
      expect(done).toHaveLength(1);
      expect(done[0]!.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', result: 'added' });
    }
    const answeredInline = bodies.filter((_, i) => states[i] === 'SUCCESS').map((b) => b.callbackId);
    expect(completions().filter((c) => answeredInline.includes(c.callbackId))).toHaveLength(0);

    // A 429 the in-process simulator answers on a busy machine is not a write (see recordDialerSends).
    const handled = (r: { status: number }) => r.status !== 429;
    for (const body of bodies) {
      const id = String(body.object.objectId);
      expect(app.dialer.requestsTo('PUT', `/contacts/${id}`).filter(handled)).toHaveLength(1);
      const added = app.dialer
        .requestsTo('POST', `/lists/${portal.lists.hot.id}/members`)
        .filter((r) => (r.body as { external_id: string }).external_id === id);
      expect(added.filter(handled).map((r) => r.status)).toEqual([201]);
    }
    expect(app.dialer.requestsTo('GET', '/lists').length).toBeLessThanOrEqual(1);
    sent.stop();
    expect(peakPerSecond(sent.times)).toBeLessThanOrEqual(19);
  }, 90_000);
});
