// Requests per synced change (issue 17): HubSpot and Dialer.io requests the app makes for one field
// changed on one side, echo handling included. In one process with both simulators, driven through
// the real entry points (HubSpot's signed webhooks, Dialer.io's contact.updated deliveries).
// `npm run bench:sync-changes -- --contacts 100`
import os from 'node:os';
import { editContact } from '../test/simulators/hubspot/contact-changes.ts';
import {
  deliverPropertyChanges,
  linkedContact,
  setUpPortal,
  startContactSyncApp,
  waitForContactSyncIdle,
} from '../src/contact-sync/test-helpers.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CONTACTS = arg('contacts', 100);
const PORTAL = 990002;

const app = await startContactSyncApp({ env: { LOG_LEVEL: 'warn' } });
try {
  const setup = await setUpPortal(app, PORTAL);
  const ids: string[] = [];
  for (let i = 0; i < CONTACTS; i++)
    ids.push(
      await linkedContact(app, setup, {
        firstname: `Bench${i}`,
        lastname: 'Contact',
        email: `bench${i}@sync.test`,
        phone: `+1415555${String(2000 + i)}`,
      }),
    );
  const idle = () => waitForContactSyncIdle(app, setup.installation.id);
  const count = () => ({
    hubspot: app.hubspot.requests.filter((r) => !r.path.startsWith('/oauth')).length,
    dialer: app.dialer.requests.length,
  });
  async function measure(change: () => Promise<void>) {
    await idle();
    const before = count();
    const started = performance.now();
    await change();
    await idle();
    const after = count();
    return {
      seconds: (performance.now() - started) / 1000,
      hubspot: (after.hubspot - before.hubspot) / CONTACTS,
      dialer: (after.dialer - before.dialer) / CONTACTS,
    };
  }
  const toDialer = await measure(async () => {
    const from = setup.portal.propertyChanges.length;
    for (const [i, id] of ids.entries()) editContact(setup.portal, id, { firstname: `Edited${i}` });
    await deliverPropertyChanges(app, PORTAL, from);
    await idle();
    // HubSpot's echo of nothing (we wrote nothing to HubSpot); Dialer.io's echo arrives by itself.
  });
  const toHubSpot = await measure(async () => {
    const from = setup.portal.propertyChanges.length;
    for (const [i, id] of ids.entries()) app.dialer.setContact(setup.account.id, id, { company: `Co ${i}` });
    await idle();
    await deliverPropertyChanges(app, PORTAL, from); // HubSpot's webhooks for our writes (echoes)
  });
  const line = (name: string, r: typeof toDialer) =>
    `${name}: ${r.hubspot.toFixed(2)} HubSpot + ${r.dialer.toFixed(2)} Dialer.io requests per change (${CONTACTS} changes, ${r.seconds.toFixed(1)} s)`;
  console.log(line('HubSpot edit -> Dialer.io', toDialer));
  console.log(line('Dialer.io edit -> HubSpot', toHubSpot));
  console.log(
    `load average ${os.loadavg()[0]!.toFixed(2)}, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
  );
} finally {
  await app.stop();
}
