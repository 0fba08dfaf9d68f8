import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { createPurgeJob } from './purge-job.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ workers: false });
  await app.install(650001);
});
afterAll(() => app.stop());

describe('the purge job', () => {
  it('drops expired payloads and activity, and keeps what is recent or unprocessed', async () => {
    const db = app.runtime.ctx.db;
    const installation = (await findInstallationByPortal(db, 650001))!;
    const old = new Date(Date.now() - 120 * 24 * 60 * 60 * 1000);
    const base = { installation_id: installation.id, event_type: 'call.ended', call_id: 'c', payload: '{}' };
    await db
      .insertInto('webhook_inbox')
      .values([
        { ...base, event_id: 'old-done', received_at: old, processed_at: old },
        { ...base, event_id: 'old-unprocessed', received_at: old, processed_at: null },
        { ...base, event_id: 'new-done', processed_at: new Date() },
      ])
      .execute();
    const entry = {
      installation_id: installation.id,
      call_id: null,
      contact_id: null,
      phone_e164: null,
      level: 'info' as const,
      step: 's',
      message: 'm',
      details: null,
    };
    await db
      .insertInto('activity_log')
      .values([{ ...entry, created_at: old }, { ...entry }])
      .execute();

    const job = {
      jobId: 'test',
      attempt: 1,
      isFinalAttempt: false,
      logger: app.runtime.ctx.logger,
      signal: new AbortController().signal,
    };
    await createPurgeJob(app.runtime.ctx).handle({}, job);

    const inbox = await db
      .selectFrom('webhook_inbox')
      .select('event_id')
      .where('installation_id', '=', installation.id)
      .execute();
    expect(inbox.map((r) => r.event_id).sort()).toEqual(['new-done', 'old-unprocessed']);
    expect(
      await db
        .selectFrom('activity_log')
        .selectAll()
        .where('installation_id', '=', installation.id)
        .execute(),
    ).toHaveLength(1);
    expect(
      await app.runtime.ctx.queue.raw.findJobs('maintenance.purge', { key: 'purge', queued: true }),
    ).toHaveLength(1);
  });
});
