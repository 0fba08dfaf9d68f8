import { afterEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/support/test-app.ts';
import { startTestApp } from '../../test/support/test-app.ts';
import { ADMIN } from '../call-logging/test-setup.ts';
import { createBootstrapJob } from '../installations/bootstrap-job.ts';
import { findInstallationByPortal } from '../installations/repository.ts';

// Finding 10 of issue 9: Dialer.io connected right after installing, before the install's bootstrap
// job loaded HubSpot's owners and call outcomes, still gets its dispositions and agents mapped.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('connecting Dialer.io before the install bootstrap ran', { timeout: 120_000 }, () => {
  it('maps dispositions and agents as soon as the bootstrap loaded outcomes and owners', async () => {
    app = await startTestApp({ workers: false }); // the bootstrap job runs when the test says
    app.hubspot.createPortal({ portalId: 570001 });
    app.hubspot.setUser(570001, ADMIN, { superAdmin: true });
    app.hubspot.addOwner(570001, { email: 'ann.agent@example.com', userId: 901 });
    await app.install(570001);
    const account = app.dialer.createAccount({ country: 'US' });
    app.dialer.addAgent(account.id, { name: 'Ann Agent', email: 'ann.agent@example.com' });
    app.dialer.addDisposition(account.id, { name: 'Connected', category: 'connected' });
    const connected = await app.api('POST', '/api/dialer/connection', {
      portalId: 570001,
      userId: ADMIN,
      body: { apiToken: account.token },
    });
    expect(connected.status).toBe(200);
    const db = app.runtime.ctx.db;
    const mapped = async () => ({
      agents: (await db.selectFrom('dialer_agents').select('owner_id').execute()).map((a) => a.owner_id),
      dispositions: (await db.selectFrom('dialer_dispositions').select('outcome_id').execute()).map(
        (d) => d.outcome_id,
      ),
    });
    expect(await mapped()).toEqual({ agents: [null], dispositions: [null] }); // nothing to map to yet

    const installation = (await findInstallationByPortal(db, 570001))!;
    await createBootstrapJob(app.runtime.ctx).handle(
      { installationId: installation.id },
      {
        jobId: 't',
        attempt: 1,
        isFinalAttempt: false,
        logger: app.runtime.ctx.logger,
        signal: AbortSignal.any([]),
      },
    );
    const owner = app.hubspot.portal(570001).owners[0]!;
    expect(await mapped()).toEqual({
      agents: [owner.id],
      dispositions: ['f240bbac-87c9-4f6e-bf70-924b57d47db7'],
    });
  });
});
