import { deliverHubSpotEvents } from '../../test/support/hubspot-webhooks.ts';
import {
  eventually,
  jobRunningFor,
  startTestApp,
  type TestApp,
  type TestAppOptions,
} from '../../test/support/test-app.ts';
import { addContactProperty, propertyChangeEvents } from '../../test/simulators/hubspot/contact-changes.ts';
import { installAndConnect } from '../call-logging/test-setup.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import type { JobContext } from '../platform/queue.ts';
import { createContactSyncJobs } from './jobs.ts';

export const ADMIN = 41;
const APP_ID = 424242;

/** The app with both simulators; Dialer.io sends `contact.updated` for every contact change. */
export function startContactSyncApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({ ...options, dialer: { contactEvents: true, ...options.dialer } });
}

/** An installed, connected portal with the "Dialer Sync" compliance properties (issue 13 creates them). */
export async function setUpPortal(app: TestApp, portalId: number) {
  const connected = await installAndConnect(app, portalId, 'US');
  const portal = app.hubspot.portal(portalId);
  addContactProperty(portal, { name: 'dialer_sync_do_not_call', type: 'bool', fieldType: 'booleancheckbox' });
  addContactProperty(portal, { name: 'dialer_sync_line_type', type: 'enumeration', fieldType: 'select' });
  const installation = (await findInstallationByPortal(app.runtime.ctx.db, portalId))!;
  return { ...connected, portal, installation };
}

/** A HubSpot contact and its Dialer.io contact (external id = HubSpot id), linked as a workflow action leaves them. */
export async function linkedContact(
  app: TestApp,
  setup: Awaited<ReturnType<typeof setUpPortal>>,
  properties: Record<string, string>,
) {
  const contactId = app.hubspot.addContact(setup.portal.portalId, properties);
  app.dialer.addContact(setup.account.id, {
    external_id: contactId,
    phone: properties.phone ?? '+14155550100',
    email: properties.email ?? null,
    first_name: properties.firstname ?? null,
    last_name: properties.lastname ?? null,
  });
  await app.runtime.ctx.db
    .insertInto('contact_sync_links')
    .values({
      installation_id: setup.installation.id,
      contact_id: contactId,
      dialer_external_id: contactId,
      dialer_contact_id: app.dialer.contact(setup.account.id, contactId)!.id,
      created_by: 'link',
    })
    .execute();
  return contactId;
}

/** Delivers HubSpot's property-change webhooks for what changed in the simulator since `from`. */
export async function deliverPropertyChanges(app: TestApp, portalId: number, from: number) {
  const events = propertyChangeEvents(app.hubspot.portal(portalId), from, { appId: APP_ID });
  if (events.length === 0) return 0;
  const response = await deliverHubSpotEvents(app, events);
  if (response.status !== 200) throw new Error(`delivery refused: ${response.status}`);
  return events.length;
}

/**
 * Waits until Dialer.io has nothing to deliver and every inbox (Dialer.io events, HubSpot events,
 * contact sync's own) is processed, and nothing new arrived meanwhile (a write can cause an echo).
 */
export async function waitForContactSyncIdle(app: TestApp, installationId: string) {
  const db = app.runtime.ctx.db;
  const tables = ['webhook_inbox', 'hubspot_webhook_inbox', 'contact_sync_inbox'] as const;
  const rows = () =>
    Promise.all(
      tables.map((table) =>
        db
          .selectFrom(table)
          .select(['id', 'processed_at'])
          .where('installation_id', '=', installationId)
          .execute(),
      ),
    );
  let seen = -1;
  for (;;) {
    await app.dialer.waitForDeliveries();
    await eventually(
      async () =>
        (await rows()).every((list) => list.every((row) => row.processed_at !== null)) &&
        !jobRunningFor(app, installationId),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await app.dialer.waitForDeliveries();
    const total = (await rows()).reduce((sum, list) => sum + list.length, 0);
    if (total === seen) return;
    seen = total;
  }
}

/** Runs one of contact sync's jobs in place (as a worker would), with a signal a test can abort. */
export function runContactSyncJob(
  app: TestApp,
  name: string,
  data: Record<string, string>,
  signal = new AbortController().signal,
): Promise<void> {
  const job = createContactSyncJobs(app.runtime.ctx).find((j) => j.name === name);
  if (!job) throw new Error(`no job ${name}`);
  const context: JobContext = {
    jobId: 'inline',
    attempt: 1,
    isFinalAttempt: false,
    logger: app.runtime.ctx.logger,
    signal,
  };
  return job.handle(data, context);
}
