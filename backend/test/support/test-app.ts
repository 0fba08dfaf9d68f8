import { createServer } from 'node:net';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import {
  startHubSpotSimulator,
  type HubSpotSimulator,
  type HubSpotSimulatorOptions,
} from '../simulators/hubspot/index.ts';
import { startDialerSimulator, type DialerSimulator } from '../simulators/dialer/index.ts';
import { hubspotSignedFetch } from './hubspot-signing.ts';
import { captureLogs } from './log-capture.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const TEST_CLIENT_ID = 'test-client-id';
export const TEST_CLIENT_SECRET = 'test-client-secret-0123456789';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  url: string;
  runtime: Runtime;
  config: Config;
  hubspot: HubSpotSimulator;
  dialer: DialerSimulator;
  logs: ReturnType<typeof captureLogs>;
  database: TestDatabase;
  /** A request signed like hubspot.fetch, for a portal and user (query params added). */
  api(
    method: string,
    path: string,
    options?: { portalId?: number; userId?: number; body?: unknown },
  ): Promise<Response>;
  /** Runs the whole OAuth install through the simulator; returns the portal id. */
  install(portalId?: number): Promise<number>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  hubspot?: HubSpotSimulatorOptions;
  dialer?: Parameters<typeof startDialerSimulator>[0];
  embedded?: boolean;
  /** Start workers (default true). */
  workers?: boolean;
  now?: () => number;
  /** Level of the captured logger (default debug). */
  logLevel?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const hubspot = await startHubSpotSimulator({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    ...options.hubspot,
  });
  // Retries soon, and for long enough that a receiver slowed by a busy machine loses nothing.
  const dialer = await startDialerSimulator({
    retrySchedule: [50, 100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000, 5_000],
    deliveryTimeoutMs: 30_000,
    ...options.dialer,
  });
  const database = await createTestDatabase({ embedded: options.embedded });
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: database.dataDir,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    HUBSPOT_CLIENT_ID: TEST_CLIENT_ID,
    HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET,
    HUBSPOT_APP_ID: '424242',
    HUBSPOT_API_BASE_URL: hubspot.url,
    HUBSPOT_AUTH_BASE_URL: hubspot.url,
    DIALER_API_BASE_URL: dialer.url,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'debug',
    // A live call's start alone is folded by the inbox sweep: soon, so tests need not wait 20 s.
    CALL_LIVE_EVENTS_DELAY_MS: '1000',
    PROCESS_ROLE: options.workers === false ? 'web' : 'all',
    ...options.env,
  });
  const logs = captureLogs(options.logLevel);
  const runtime = await createRuntime(config, {
    logger: logs.logger,
    now: options.now,
    embeddedTemplate: database.embeddedTemplate,
  });
  await runtime.start();
  const url = `http://127.0.0.1:${port}`;

  const app: TestApp = {
    url,
    runtime,
    config,
    hubspot,
    dialer,
    logs,
    database,
    api(method, path, { portalId, userId, body } = {}) {
      const query = new URLSearchParams();
      if (portalId !== undefined) query.set('portalId', String(portalId));
      if (userId !== undefined) query.set('userId', String(userId));
      const separator = path.includes('?') ? '&' : '?';
      const fullPath = query.size ? `${path}${separator}${query}` : path;
      return hubspotSignedFetch(url, {
        method,
        path: fullPath,
        body,
        secret: TEST_CLIENT_SECRET,
        publicBaseUrl: config.publicBaseUrl,
      });
    },
    async install(portalId = 12345) {
      if (!safePortal(hubspot, portalId)) hubspot.createPortal({ portalId });
      hubspot.setAuthorizePortal(portalId);
      const start = await fetch(`${url}/oauth/install`, { redirect: 'manual' });
      const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
      const callback = await fetch(consent.headers.get('location')!);
      if (callback.status !== 200)
        throw new Error(`install failed: ${callback.status} ${await callback.text()}`);
      return portalId;
    },
    async stop() {
      await runtime.stop();
      await hubspot.close();
      await dialer.close();
      await database.drop();
    },
  };
  return app;
}

function safePortal(hubspot: HubSpotSimulator, portalId: number): boolean {
  try {
    hubspot.portal(portalId);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while this test app's workers run a job for the installation: a job records its activity
 * and enqueues its follow-ups after its last state change, so "idle" waits for it to end too.
 */
export function jobRunningFor(app: TestApp, installationId: string): boolean {
  return app.runtime.ctx.queue
    .runningJobs()
    .some((data) => (data as { installationId?: string } | null)?.installationId === installationId);
}

/** Polls until `check` returns a truthy value (component tests wait on jobs this way). */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw lastError instanceof Error ? lastError : new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
