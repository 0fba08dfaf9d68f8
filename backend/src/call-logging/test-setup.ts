import { eventually, jobRunningFor, type TestApp } from '../../test/support/test-app.ts';
import { createBootstrapJob } from '../installations/bootstrap-job.ts';
import { findInstallationByPortal } from '../installations/repository.ts';

export const ADMIN = 41;

/** Installs a portal, makes user 41 a super admin, and connects a Dialer.io account through the API. */
export async function installAndConnect(app: TestApp, portalId: number, country = 'AU') {
  app.hubspot.createPortal({ portalId });
  app.hubspot.setUser(portalId, ADMIN, { superAdmin: true });
  const owner = app.hubspot.addOwner(portalId, {
    email: 'ann.agent@example.com',
    firstName: 'Ann',
    lastName: 'Agent',
    userId: 901,
  });
  await app.install(portalId);
  if (app.config.role === 'web') {
    // No workers in this test app: run the install's bootstrap job in place.
    const installation = (await findInstallationByPortal(app.runtime.ctx.db, portalId))!;
    const job = {
      jobId: 'inline',
      attempt: 1,
      isFinalAttempt: false,
      logger: app.runtime.ctx.logger,
      signal: new AbortController().signal,
    };
    await createBootstrapJob(app.runtime.ctx).handle({ installationId: installation.id }, job);
  }
  await eventually(
    async () => (await app.runtime.ctx.db.selectFrom('hubspot_outcomes').selectAll().execute()).length >= 6,
  );
  const account = app.dialer.createAccount({ name: 'Acme Sales', country });
  const agent = app.dialer.addAgent(account.id, { name: 'Ann Agent', email: 'ANN.Agent@Example.com ' });
  const stranger = app.dialer.addAgent(account.id, { name: 'Sam Stranger', email: 'sam@elsewhere.example' });
  const interested = app.dialer.addDisposition(account.id, { name: 'Connected', category: 'connected' });
  const callback = app.dialer.addDisposition(account.id, { name: 'Callback requested', category: 'other' });
  const response = await app.api('POST', '/api/dialer/connection', {
    portalId,
    userId: ADMIN,
    body: { apiToken: account.token },
  });
  if (response.status !== 200) throw new Error(`connect failed: ${response.status} ${await response.text()}`);
  return { account, agent, stranger, owner, dispositions: { interested, callback } };
}

export async function hubspotCalls(app: TestApp, portalId: number) {
  return app.hubspot.portal(portalId).calls;
}

export async function waitForSyncIdle(app: TestApp, installationPortal: number) {
  await app.dialer.waitForDeliveries();
  await eventually(async () => {
    const inst = await app.runtime.ctx.db
      .selectFrom('installations')
      .select('id')
      .where('portal_id', '=', installationPortal)
      .executeTakeFirstOrThrow();
    // Inbox first: a fold committed between the two reads then shows up as pending calls. The
    // other order could read "no open call" just before a fold and "empty inbox" just after it.
    const inbox = await app.runtime.ctx.db
      .selectFrom('webhook_inbox')
      .select('id')
      .where('installation_id', '=', inst.id)
      .where('processed_at', 'is', null)
      .execute();
    const open = await app.runtime.ctx.db
      .selectFrom('calls')
      .select('call_id')
      .where('installation_id', '=', inst.id)
      .where('sync_state', 'in', ['pending', 'sending'])
      .execute();
    // The job records the round's activity after its last state change: idle means it has ended.
    return open.length === 0 && inbox.length === 0 && !jobRunningFor(app, inst.id);
  }, 20_000);
}
