// Contact-sync benchmark (issue 12): contacts/s of pull_contacts and push_contacts and HubSpot
// requests per contact. In one process with both simulators, like the component tests (not the
// multi-process harness of the call benchmarks). `npm run bench:contact-sync -- --contacts 300`.
import os from 'node:os';
import { installAndConnect } from '../src/call-logging/test-setup.ts';
import { addContactProperty } from '../test/simulators/hubspot/contact-changes.ts';
import { eventually, startTestApp } from '../test/support/test-app.ts';
import { findInstallationByPortal } from '../src/installations/repository.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CONTACTS = arg('contacts', 300);
const PORTAL = 990001;
const ADMIN = 41;

const app = await startTestApp({ dialer: { contactEvents: true }, env: { LOG_LEVEL: 'warn' } });
try {
  const { account } = await installAndConnect(app, PORTAL, 'US');
  for (const name of ['dialer_sync_do_not_call', 'dialer_sync_line_type'])
    addContactProperty(app.hubspot.portal(PORTAL), {
      name,
      type: 'enumeration',
      fieldType: 'booleancheckbox',
    });
  const installation = (await findInstallationByPortal(app.runtime.ctx.db, PORTAL))!;
  const ids = Array.from({ length: CONTACTS }, (_, i) =>
    app.hubspot.addContact(PORTAL, {
      firstname: `Bench${i}`,
      lastname: 'Contact',
      phone: `+1 415 555 ${1000 + i}`,
      city: 'Austin',
    }),
  );

  async function run(kind: 'pull_contacts' | 'push_contacts') {
    const hubspotBefore = app.hubspot.requests.filter((r) => !r.path.startsWith('/oauth')).length;
    const started = performance.now();
    const response = await app.api('POST', '/api/sync/operations', {
      portalId: PORTAL,
      userId: ADMIN,
      body: { kind },
    });
    const { operation } = (await response.json()) as { operation: { id: string } };
    await eventually(
      async () => {
        const row = await app.runtime.ctx.db
          .selectFrom('sync_operations')
          .select(['status', 'done'])
          .where('installation_id', '=', installation.id)
          .where('id', '=', operation.id)
          .executeTakeFirstOrThrow();
        return row.status === 'done' ? row : null;
      },
      30 * 60_000,
      100,
    );
    const seconds = (performance.now() - started) / 1000;
    const hubspot = app.hubspot.requests.filter((r) => !r.path.startsWith('/oauth')).length - hubspotBefore;
    return { seconds, perSecond: CONTACTS / seconds, hubspotPerContact: hubspot / CONTACTS };
  }

  const pull = await run('pull_contacts');
  for (const [i, id] of ids.entries()) app.dialer.setContact(account.id, id, { company: `Company ${i}` });
  await app.dialer.waitForDeliveries(60_000);
  await eventually(async () => {
    const open = await app.runtime.ctx.db
      .selectFrom('contact_sync_inbox')
      .select('id')
      .where('installation_id', '=', installation.id)
      .where('processed_at', 'is', null)
      .execute();
    return open.length === 0;
  }, 120_000);
  // The contact.updated events above already wrote the companies: reset them so the push has work.
  for (const id of ids) app.hubspot.portal(PORTAL).contact(id)!.properties.company = '';
  const push = await run('push_contacts');
  const load = os.loadavg()[0]!.toFixed(2);
  const line = (name: string, r: typeof pull) =>
    `${name}: ${CONTACTS} contacts in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)} contacts/s, ${r.hubspotPerContact.toFixed(3)} HubSpot requests per contact`;
  console.log(line('pull_contacts', pull));
  console.log(line('push_contacts', push));
  console.log(
    `load average ${load}, ${os.cpus().length} cores, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
  );
} finally {
  await app.stop();
}
