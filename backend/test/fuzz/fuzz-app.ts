import { createApp } from '../../src/app.ts';
import { seedDialerConnection } from '../support/dialer-fixtures.ts';
import { listRoutes } from '../support/route-walker.ts';
import { startTestApp, TEST_CLIENT_SECRET, type TestApp } from '../support/test-app.ts';
import type { Target } from './requests.ts';

export interface FuzzApp {
  app: TestApp;
  secrets: { hubspot: string; dialer: string; publicBaseUrl: string };
  webhookKey: string;
}

/**
 * The app the fuzz tests send to: installed for `portal`, `admin` a super admin, Dialer.io
 * connected, and no per-address limits (the fuzzer sends thousands of requests from one address).
 */
export async function startFuzzApp(portal: number, admin: number): Promise<FuzzApp> {
  const app = await startTestApp({
    workers: false,
    logLevel: 'warn',
    env: { RATE_LIMIT_PER_IP_PER_MINUTE: '10000000', RATE_LIMIT_PER_WEBHOOK_KEY_PER_MINUTE: '10000000' },
  });
  await app.install(portal);
  app.hubspot.setUser(portal, admin, { superAdmin: true });
  const dialer = await seedDialerConnection(app, portal);
  const secrets = {
    hubspot: TEST_CLIENT_SECRET,
    dialer: dialer.webhookSecret,
    publicBaseUrl: app.config.publicBaseUrl,
  };
  return { app, secrets, webhookKey: dialer.webhookKey };
}

/** Every route of the app (walked from the router, so a new one is covered too) with its auth. */
export function routeTargets(app: TestApp): Target[] {
  return listRoutes(createApp(app.runtime.ctx)).map((route) => ({
    ...route,
    auth: route.path.startsWith('/dialer/')
      ? 'dialer'
      : /^\/(api|hubspot)\//.test(route.path)
        ? 'hubspot'
        : 'none',
  }));
}
