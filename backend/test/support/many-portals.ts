// Many installed portals at once, for the many-portals test and benchmark: each portal goes
// through the real OAuth install (with its own authorization code, so installs can run side by
// side) and the real Dialer.io connect route, a few portals at a time.
import type { Db } from '../../src/platform/db/database.ts';
import type { DialerSimulator } from '../simulators/dialer/index.ts';
import type { HubSpotSimulator } from '../simulators/hubspot/index.ts';
import { eventually } from './test-app.ts';

export const PORTAL_ADMIN = 41;

export interface ManyPortalsApp {
  url: string;
  hubspot: HubSpotSimulator;
  dialer: DialerSimulator;
  db: Db;
  /** A request signed like hubspot.fetch (TestApp.api). */
  api(
    method: string,
    path: string,
    options: { portalId: number; userId: number; body?: unknown },
  ): Promise<Response>;
}

export interface InstalledPortal {
  portalId: number;
  installationId: string;
  accountId: string;
  agent: { id: string; name: string; email: string };
  /** Where the portal's Dialer.io account posts its webhooks, and the secret it signs them with. */
  webhook: { path: string; secret: string };
}

/** Runs the OAuth install of one portal with a code issued for it (no shared "authorize portal"). */
export async function installPortal(
  app: Pick<ManyPortalsApp, 'url' | 'hubspot' | 'db'>,
  portalId: number,
): Promise<string> {
  const start = await fetch(`${app.url}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const redirectUri = authorize.searchParams.get('redirect_uri')!;
  const code = app.hubspot.issueAuthCode(
    portalId,
    redirectUri,
    authorize.searchParams.get('scope')?.split(' '),
  );
  const callback = new URL(redirectUri);
  callback.searchParams.set('code', code);
  callback.searchParams.set('state', authorize.searchParams.get('state')!);
  const answer = await fetch(callback);
  if (answer.status !== 200) throw new Error(`install of ${portalId} failed: ${answer.status}`);
  const row = await app.db
    .selectFrom('installations')
    .select('id')
    .where('portal_id', '=', portalId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether the install's bootstrap job has stored the portal's call outcomes. */
export async function isBootstrapped(db: Db, installationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('hubspot_outcomes')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('installation_id', '=', installationId)
    .executeTakeFirstOrThrow();
  return Number(row.n) > 0;
}

async function installAndConnectOne(app: ManyPortalsApp, portalId: number): Promise<InstalledPortal> {
  app.hubspot.createPortal({ portalId });
  app.hubspot.setUser(portalId, PORTAL_ADMIN, { superAdmin: true });
  app.hubspot.addOwner(portalId, {
    email: 'ann.agent@example.com',
    firstName: 'Ann',
    lastName: 'Agent',
    userId: 901,
  });
  const installationId = await installPortal(app, portalId);
  await eventually(() => isBootstrapped(app.db, installationId), 60_000, 50);
  const account = app.dialer.createAccount({ name: `Account of ${portalId}`, country: 'US' });
  const agent = app.dialer.addAgent(account.id, { name: 'Ann Agent', email: 'ann.agent@example.com' });
  const response = await app.api('POST', '/api/dialer/connection', {
    portalId,
    userId: PORTAL_ADMIN,
    body: { apiToken: account.token },
  });
  if (response.status !== 200) throw new Error(`connect of ${portalId} failed: ${response.status}`);
  const hook = app.dialer.account(account.id).webhooks[0]!;
  return {
    portalId,
    installationId,
    accountId: account.id,
    agent: { id: agent.id, name: agent.name, email: agent.email },
    webhook: { path: new URL(hook.url).pathname, secret: hook.secret },
  };
}

/** Installs and connects every portal, `concurrency` at a time; returns them in the given order. */
export async function installAndConnectMany(
  app: ManyPortalsApp,
  portalIds: number[],
  concurrency = 8,
): Promise<InstalledPortal[]> {
  const out: InstalledPortal[] = new Array(portalIds.length);
  let next = 0;
  const worker = async () => {
    while (next < portalIds.length) {
      const i = next++;
      out[i] = await installAndConnectOne(app, portalIds[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, portalIds.length) }, worker));
  return out;
}
