import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { installAndConnect, waitForSyncIdle } from '../call-logging/test-setup.ts';
import { activity, call, dispositions, hubspotCall, outcomes } from './test-helpers.ts';

const NO_ANSWER = '73a0d17f-1163-4015-bdd5-ec830791da20';
const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
const BUSY = '9d9162e7-6cf3-4944-bf63-4dff82258764';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const start = () => startTestApp({ env: { HUBSPOT_SEARCH_INDEX_DELAY_MS: '300' } });

describe('dispositions ↔ HubSpot call outcomes', () => {
  it('maps "No-Answer" to "No answer"; an unmatched disposition logs calls without an outcome until it is mapped, and names the outcome to create', async () => {
    app = await start();
    const portal = 530001;
    const { account, dispositions: d } = await installAndConnect(app, portal);
    const noAnswer = app.dialer.addDisposition(account.id, { name: 'No-Answer', category: 'not_connected' });

    const refreshed = await call<{ items: unknown[] }>(app, 'POST', '/api/dispositions/refresh', portal);
    expect(refreshed.status).toBe(200);
    const items = await dispositions(app, portal);
    expect(items).toEqual(refreshed.body.items);
    expect(items.find((i) => i.dispositionId === noAnswer.id)).toEqual({
      dispositionId: noAnswer.id,
      name: 'No-Answer',
      category: 'not_connected',
      outcomeId: NO_ANSWER,
      outcomeLabel: 'No answer',
      state: 'mapped',
      mappingSource: 'auto',
    });
    expect(items.find((i) => i.dispositionId === d.interested.id)).toMatchObject({
      outcomeId: CONNECTED,
      state: 'mapped',
    });
    expect(items.find((i) => i.dispositionId === d.callback.id)).toMatchObject({
      outcomeId: null,
      outcomeLabel: null,
      state: 'unmapped',
      mappingSource: 'none',
    });
    expect(await outcomes(app, portal)).toContainEqual({ id: NO_ANSWER, label: 'No answer' });

    app.dialer.emitBatch(account.id, [
      ...app.dialer.callLifecycle(account.id, { id: 'd-na' }, { disposition: noAnswer.id }),
      // Only the last event, which carries the whole call: its first write has the disposition.
      ...app.dialer
        .callLifecycle(account.id, { id: 'd-cb' }, { answered: true, disposition: d.callback.id })
        .slice(-1),
      // A disposition made in Dialer.io after the last refresh: unknown to us until the next one.
      ...app.dialer
        .callLifecycle(
          account.id,
          { id: 'd-new' },
          { answered: true, disposition: { id: 'disp_gatekeeper', name: 'Gatekeeper' } },
        )
        .slice(-1),
    ]);
    await waitForSyncIdle(app, portal);
    expect(hubspotCall(app, portal, 'd-na').properties.hs_call_disposition).toBe(NO_ANSWER);
    // Unmapped: logged without an outcome (the status outcome is for calls with no disposition).
    expect(hubspotCall(app, portal, 'd-cb').properties.hs_call_disposition ?? '').toBe('');
    const warnings = (await activity(app, portal, 'd-cb')).filter((e) => e.level === 'warning');
    expect(warnings.map((w) => w.message).join('\n')).toContain(
      "Create the outcome 'Callback requested' in HubSpot",
    );
    expect(hubspotCall(app, portal, 'd-new').properties.hs_call_disposition ?? '').toBe('');
    const unknown = (await activity(app, portal, 'd-new')).filter((e) => e.level === 'warning');
    expect(unknown.map((w) => w.message).join('\n')).toContain("Create the outcome 'Gatekeeper' in HubSpot");

    // The admin creates the outcome in HubSpot and refreshes: the disposition maps itself.
    const created = app.hubspot.addOutcome(portal, 'Callback Requested');
    await call(app, 'POST', '/api/dispositions/refresh', portal);
    expect((await dispositions(app, portal)).find((i) => i.dispositionId === d.callback.id)).toMatchObject({
      outcomeId: created,
      outcomeLabel: 'Callback Requested',
      state: 'mapped',
      mappingSource: 'auto',
    });
    // ...and the call logged without it gets it (the backfill after the refresh); no other call changes.
    await eventually(() => hubspotCall(app!, portal, 'd-cb').properties.hs_call_disposition === created);
    await waitForSyncIdle(app, portal);
    expect(hubspotCall(app, portal, 'd-new').properties.hs_call_disposition ?? '').toBe('');
    expect(hubspotCall(app, portal, 'd-na').properties.hs_call_disposition).toBe(NO_ANSWER);
    // A mapping by hand reaches the recent calls of that disposition too.
    expect(
      (await call(app, 'PUT', '/api/dispositions/disp_gatekeeper', portal, { outcomeId: BUSY })).status,
    ).toBe(200);
    await eventually(() => hubspotCall(app!, portal, 'd-new').properties.hs_call_disposition === BUSY);
  });

  it('keeps a manual mapping (or a manual "none") through a refresh that would have matched otherwise', async () => {
    app = await start();
    const portal = 530002;
    const { account, dispositions: d } = await installAndConnect(app, portal);
    const busy = await call(app, 'PUT', `/api/dispositions/${d.interested.id}`, portal, { outcomeId: BUSY });
    expect(busy).toMatchObject({
      status: 200,
      body: { outcomeId: BUSY, outcomeLabel: 'Busy', state: 'mapped', mappingSource: 'manual' },
    });
    const none = await call(app, 'PUT', `/api/dispositions/${d.callback.id}`, portal, { outcomeId: null });
    expect(none.body).toMatchObject({ outcomeId: null, state: 'unmapped', mappingSource: 'manual' });

    app.hubspot.addOutcome(portal, 'callback requested');
    expect((await call(app, 'POST', '/api/dispositions/refresh', portal)).status).toBe(200);
    const items = await dispositions(app, portal);
    expect(items.find((i) => i.dispositionId === d.interested.id)).toMatchObject({
      outcomeId: BUSY,
      mappingSource: 'manual',
    });
    expect(items.find((i) => i.dispositionId === d.callback.id)).toMatchObject({
      outcomeId: null,
      mappingSource: 'manual',
    });

    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(
        account.id,
        { id: 'd-manual' },
        { answered: true, disposition: d.interested.id },
      ),
    );
    await waitForSyncIdle(app, portal);
    expect(hubspotCall(app, portal, 'd-manual').properties.hs_call_disposition).toBe(BUSY);
    const log = (await activity(app, portal)).filter((e) => e.step === 'disposition_mapping_changed');
    expect(log.map((e) => e.message).join('\n')).toContain(
      'Disposition "Connected" mapped to the HubSpot call outcome "Busy" by hand',
    );
  });

  it("refuses another portal's outcome, a deleted one or an unknown one with 400 and changes nothing", async () => {
    app = await start();
    const { dispositions: d } = await installAndConnect(app, 530003);
    await installAndConnect(app, 530004);
    const foreign = app.hubspot.addOutcome(530004, 'Only in the other portal');
    await call(app, 'POST', '/api/dispositions/refresh', 530004);
    expect((await outcomes(app, 530004)).map((o) => o.id)).toContain(foreign);
    const gone = app.hubspot.addOutcome(530003, 'Gone soon');
    await call(app, 'POST', '/api/dispositions/refresh', 530003);
    app.hubspot.portal(530003).outcomes.find((o) => o.id === gone)!.deleted = true;
    await call(app, 'POST', '/api/dispositions/refresh', 530003);
    expect((await outcomes(app, 530003)).map((o) => o.id)).not.toContain(gone);

    const before = await dispositions(app, 530003);
    const logBefore = await activity(app, 530003);
    for (const outcomeId of [foreign, gone, 'nope']) {
      const answer = await call<{ error: { code: string; message: string } }>(
        app,
        'PUT',
        `/api/dispositions/${d.interested.id}`,
        530003,
        { outcomeId },
      );
      expect(answer.status, outcomeId).toBe(400);
      expect(answer.body.error.code).toBe('unknown_outcome');
      expect(answer.body.error.message).toContain(outcomeId);
    }
    for (const body of [{}, { outcomeId: 3 }, { outcomeId: BUSY, ownerId: null }]) {
      const answer = await call<{ error: { code: string } }>(
        app,
        'PUT',
        `/api/dispositions/${d.interested.id}`,
        530003,
        body,
      );
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    }
    const unknown = await call(app, 'PUT', '/api/dispositions/disp_nope', 530003, { outcomeId: BUSY });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'unknown_disposition' } } });

    expect(await dispositions(app, 530003)).toEqual(before);
    expect(await activity(app, 530003)).toEqual(logBefore);
  });
});
