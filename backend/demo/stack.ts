// Starts what the demo runs against: both simulators and the real service on the embedded
// database in the given (fresh, temporary) folder; and talks to the service as HubSpot and a customer do.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/platform/config.ts';
import { createRuntime, type Runtime } from '../src/runtime.ts';
import { startDialerSimulator, type DialerSimulator } from '../test/simulators/dialer/index.ts';
import { startHubSpotSimulator, type HubSpotSimulator } from '../test/simulators/hubspot/index.ts';
import { hubspotSignedFetch } from '../test/support/hubspot-signing.ts';
import { freePort } from '../test/support/test-app.ts';

export interface DemoStack {
  url: string;
  hubspot: HubSpotSimulator;
  dialer: DialerSimulator;
  runtime: Runtime;
  /** A request signed like hubspot.fetch from the settings page (portal and user in the query). */
  api(
    method: string,
    path: string,
    who: { portalId: number; userId: number },
    body?: unknown,
  ): Promise<Response>;
  /** The whole OAuth install: our /oauth/install, HubSpot's consent page, our callback. */
  install(portalId: number): Promise<void>;
  /** Stops everything that was started; never throws, returns the problems. */
  stop(): Promise<string[]>;
}

type Closer = [what: string, close: () => Promise<unknown>];

/** Runs the closers last-started first; returns the problems instead of throwing. */
async function closeAll(closers: Closer[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [what, close] of [...closers].reverse()) {
    try {
      await close();
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}

export async function startStack(dataDir: string): Promise<DemoStack> {
  const closers: Closer[] = [];
  try {
    const clientId = `demo-${randomBytes(6).toString('hex')}`;
    const clientSecret = randomBytes(24).toString('hex');
    const hubspot = await startHubSpotSimulator({ clientId, clientSecret, defaultCountry: 'AU' });
    closers.push(['HubSpot simulator', () => hubspot.close()]);
    const dialer = await startDialerSimulator({ retrySchedule: [100, 250, 500, 1_000, 2_000] });
    closers.push(['Dialer.io simulator', () => dialer.close()]);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Built from scratch, not from process.env: the demo always runs on the embedded database,
    // even where DATABASE_URL is set.
    const config = loadConfig({
      NODE_ENV: 'development',
      PORT: String(port),
      PUBLIC_BASE_URL: url,
      DATA_DIR: dataDir,
      HUBSPOT_CLIENT_ID: clientId,
      HUBSPOT_CLIENT_SECRET: clientSecret,
      HUBSPOT_APP_ID: '4242',
      HUBSPOT_API_BASE_URL: hubspot.url,
      HUBSPOT_AUTH_BASE_URL: hubspot.url,
      DIALER_API_BASE_URL: dialer.url,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      PROCESS_ROLE: 'all',
      // The simulator indexes new records at once: no need to wait 10 s before a recovery search.
      HUBSPOT_SEARCH_INDEX_DELAY_MS: '300',
    });
    const runtime = await createRuntime(config);
    closers.push(['service', () => runtime.stop()]);
    await runtime.start();

    return {
      url,
      hubspot,
      dialer,
      runtime,
      api(method, path, { portalId, userId }, body) {
        const separator = path.includes('?') ? '&' : '?';
        return hubspotSignedFetch(url, {
          method,
          path: `${path}${separator}${new URLSearchParams({ portalId: String(portalId), userId: String(userId) })}`,
          body,
          secret: clientSecret,
          publicBaseUrl: config.publicBaseUrl,
        });
      },
      async install(portalId) {
        hubspot.setAuthorizePortal(portalId);
        const start = await fetch(`${url}/oauth/install`, { redirect: 'manual' });
        const consentUrl = start.headers.get('location');
        if (start.status !== 302 || !consentUrl) throw new Error(`/oauth/install answered ${start.status}`);
        const consent = await fetch(consentUrl, { redirect: 'manual' });
        const callbackUrl = consent.headers.get('location');
        if (!callbackUrl)
          throw new Error(`HubSpot's consent page answered ${consent.status} without a redirect`);
        const callback = await fetch(callbackUrl);
        if (callback.status !== 200)
          throw new Error(`/oauth/callback answered ${callback.status}: ${await callback.text()}`);
      },
      stop: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}
