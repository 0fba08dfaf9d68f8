import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import { createPurgeJob } from './purge-job.ts';
import { inlineJobContext } from '../../test/support/inline-job.ts';

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

    const job = inlineJobContext(app.runtime.ctx.logger);
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

describe('retention periods', () => {
  it('follow RETENTION_WEBHOOK_PAYLOAD_DAYS and RETENTION_ACTIVITY_DAYS', async () => {
    const short = await startTestApp({
      workers: false,
      env: { RETENTION_WEBHOOK_PAYLOAD_DAYS: '5', RETENTION_ACTIVITY_DAYS: '7' },
    });
    try {
      await short.install(650002);
      const db = short.runtime.ctx.db;
      const installation = (await findInstallationByPortal(db, 650002))!;
      const ago = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);
      const base = {
        installation_id: installation.id,
        event_type: 'call.ended',
        call_id: 'c',
        payload: '{}',
      };
      await db
        .insertInto('webhook_inbox')
        .values([
          { ...base, event_id: 'six-days', received_at: ago(6), processed_at: ago(6) },
          { ...base, event_id: 'four-days', received_at: ago(4), processed_at: ago(4) },
        ])
        .execute();
      const hubspotEvent = {
        installation_id: installation.id,
        subscription_type: 'object.propertyChange',
        occurred_at: ago(6),
        payload: '{}',
      };
      await db
        .insertInto('hubspot_webhook_inbox')
        .values([
          { ...hubspotEvent, event_id: 'six-days', received_at: ago(6), processed_at: ago(6) },
          { ...hubspotEvent, event_id: 'six-days-unprocessed', received_at: ago(6), processed_at: null },
          { ...hubspotEvent, event_id: 'four-days', received_at: ago(4), processed_at: ago(4) },
        ])
        .execute();
      const entry = { installation_id: installation.id, level: 'info' as const, step: 's', details: null };
      await db
        .insertInto('activity_log')
        .values([
          { ...entry, message: 'eight days', created_at: ago(8) },
          { ...entry, message: 'six days', created_at: ago(6) },
        ])
        .execute();
      const job = inlineJobContext(short.runtime.ctx.logger);
      await createPurgeJob(short.runtime.ctx).handle({}, job);
      const inbox = await db.selectFrom('webhook_inbox').select('event_id').execute();
      expect(inbox.map((r) => r.event_id)).toEqual(['four-days']);
      const hubspotInbox = await db.selectFrom('hubspot_webhook_inbox').select('event_id').execute();
      expect(hubspotInbox.map((r) => r.event_id).sort()).toEqual(['four-days', 'six-days-unprocessed']);
      const activity = await db.selectFrom('activity_log').select('message').execute();
      expect(activity.map((r) => r.message)).toEqual(['six days']);
    } finally {
      await short.stop();
    }
  });
});
