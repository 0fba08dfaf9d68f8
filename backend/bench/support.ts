// Benchmark plumbing: the simulators run in the bench process, the service in processes of its
// own (`node scripts/start.mjs`: the compiled dist/, as `npm start`), on a scratch PostgreSQL database.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { startDialerSimulator, type DialerSimulator } from '../test/simulators/dialer/index.ts';
import {
  startHubSpotSimulator,
  type HubSpotSimulator,
  type HubSpotSimulatorOptions,
} from '../test/simulators/hubspot/index.ts';
import { hubspotSignedFetch } from '../test/support/hubspot-signing.ts';
import { installAndConnectMany, type ManyPortalsApp } from '../test/support/many-portals.ts';
import {
  eventually,
  freePort,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  TEST_ENCRYPTION_KEY,
} from '../test/support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../test/support/test-database.ts';
import type { LoadConfig, LoadResult } from './load-generator.ts';
import { phoneNumber, type Target } from './payloads.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const LOG_DIR = resolve(ROOT, '.data/bench');
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchEnv {
  hubspot: HubSpotSimulator;
  dialer: DialerSimulator;
  database: TestDatabase;
  /** The bench's own connection to the service's database (checks and seeding). */
  handle: DatabaseHandle;
  url: string;
  vars: Record<string, string>;
  close(): Promise<void>;
}

export async function startEnv(
  options: { hubspot?: HubSpotSimulatorOptions; vars?: Record<string, string> } = {},
): Promise<BenchEnv> {
  const hubspot = await startHubSpotSimulator({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    ...options.hubspot,
  });
  const dialer = await startDialerSimulator({ retrySchedule: [200, 500, 1000, 2000, 4000, 8000, 15000] });
  const database = await createTestDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const vars = {
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_BASE_URL: url,
    DATABASE_URL: database.databaseUrl!,
    HUBSPOT_CLIENT_ID: TEST_CLIENT_ID,
    HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET,
    HUBSPOT_APP_ID: '424242',
    HUBSPOT_API_BASE_URL: hubspot.url,
    HUBSPOT_AUTH_BASE_URL: hubspot.url,
    DIALER_API_BASE_URL: dialer.url,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'info',
    // The load comes from one address at thousands of requests per second.
    RATE_LIMIT_PER_IP_PER_MINUTE: '10000000',
    RATE_LIMIT_PER_WEBHOOK_KEY_PER_MINUTE: '10000000',
    ...options.vars,
  };
  const handle = await openDatabase({ databaseUrl: database.databaseUrl, dataDir: ':memory:', poolSize: 4 });
  return {
    hubspot,
    dialer,
    database,
    handle,
    url,
    vars,
    async close() {
      await handle.close();
      await hubspot.close();
      await dialer.close();
      await database.drop();
    },
  };
}

/** Service processes still running: killed if the bench exits early, so none is left behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((proc) => proc.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

let built = false;

/** Builds dist/ when the sources are newer (what `npm start` does), once per bench process. */
function buildServiceOnce(): void {
  if (built) return;
  const result = spawnSync(process.execPath, ['scripts/start.mjs', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building dist/ failed (exit ${result.status})`);
  built = true;
}

/** One service process; its RSS is sampled from /proc (the value process.memoryUsage().rss reports). */
export class Service {
  rssMaxMb = 0;
  private timer: NodeJS.Timeout | undefined;
  private exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcess,
    readonly name: string,
    readonly logFile: string,
  ) {
    this.exited = new Promise((done) => proc.once('exit', (code) => done(code)));
    this.timer = setInterval(() => this.sampleRss(), 250);
  }

  static async start(
    env: BenchEnv,
    role: 'all' | 'web' | 'worker',
    name: string = role,
    vars: Record<string, string> = {},
  ): Promise<Service> {
    buildServiceOnce();
    mkdirSync(LOG_DIR, { recursive: true });
    const logFile = resolve(LOG_DIR, `${name}-${Date.now()}.log`);
    const fd = openSync(logFile, 'w');
    // BENCH_NODE_ARGS: extra node flags for the service, e.g. `--cpu-prof --cpu-prof-dir=.data/bench`.
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const proc = spawn(process.execPath, [...nodeArgs, 'scripts/start.mjs'], {
      cwd: ROOT,
      env: { ...process.env, ...env.vars, ...vars, PROCESS_ROLE: role, SKIP_BUILD_CHECK: '1' },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    const service = new Service(proc, name, logFile);
    let gone = false;
    void service.exited.then(() => (gone = true));
    // Ready: the start-up line is logged (at info), or /healthz answers (web, any log level).
    await eventually(
      async () => {
        if (gone) throw new Error(`${name} exited at start:\n${service.logTail()}`);
        if (readFileSync(logFile, 'utf8').includes('Dialer Sync is running')) return true;
        return role !== 'worker' && (await fetch(`${env.url}/healthz`).catch(() => null))?.status === 200;
      },
      60_000,
      100,
    ).catch(async (error: unknown) => {
      await service.kill9();
      throw error;
    });
    return service;
  }

  get rssMb(): number {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  }

  /** CPU seconds (user + system) the process has used so far. */
  get cpuSeconds(): number {
    try {
      const fields = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
    } catch {
      return 0;
    }
  }

  private sampleRss() {
    this.rssMaxMb = Math.max(this.rssMaxMb, this.rssMb);
  }

  logTail(lines = 20): string {
    return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  }

  /** Counts log lines matching a pattern (errors, warnings...). */
  countLog(pattern: RegExp): number {
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter((line) => pattern.test(line)).length;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.proc.kill('SIGTERM');
    const timeout = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timeout);
  }

  async kill9(): Promise<void> {
    clearInterval(this.timer);
    this.proc.kill('SIGKILL');
    await this.exited;
  }
}

export interface Portal {
  portalId: number;
  installationId: string;
  accountId: string;
  target: Target;
}

/**
 * Installs `count` portals and connects each to a Dialer.io account through the service's own
 * routes (`concurrency` at a time). Needs a service process with workers running.
 */
export async function setupPortals(
  env: BenchEnv,
  count: number,
  firstPortalId = 700_001,
  concurrency = 8,
): Promise<Portal[]> {
  const app: ManyPortalsApp = {
    url: env.url,
    hubspot: env.hubspot,
    dialer: env.dialer,
    db: env.handle.db,
    api: (method, path, o) =>
      hubspotSignedFetch(env.url, {
        method,
        path: `${path}?portalId=${o.portalId}&userId=${o.userId}`,
        body: o.body,
        secret: TEST_CLIENT_SECRET,
        publicBaseUrl: env.url,
      }),
  };
  const ids = Array.from({ length: count }, (_, i) => firstPortalId + i);
  const installed = await installAndConnectMany(app, ids, concurrency);
  return installed.map((p) => ({
    portalId: p.portalId,
    installationId: p.installationId,
    accountId: p.accountId,
    target: {
      path: p.webhook.path,
      secret: p.webhook.secret,
      template: { accountId: p.accountId, agent: p.agent, contactIds: [], phones: [] },
    },
  }));
}

/**
 * Gives the portal `contacts` HubSpot contacts: the first half are the Dialer contacts'
 * external_id of the even calls, the numbers of the second half are dialled by the odd calls.
 * Then warms up (one call per contact and per number, so the contact-name and phone caches hold
 * them: a portal after its first day) and waits until it is all logged.
 */
export async function seedWarmContacts(env: BenchEnv, portal: Portal, contacts: number): Promise<LoadResult> {
  const { portalId, target } = portal;
  const half = Math.floor(contacts / 2);
  for (let i = 0; i < contacts; i++) {
    const id = env.hubspot.addContact(portalId, {
      firstname: `F${i}`,
      lastname: `L${i}`,
      phone: phoneNumber(i),
    });
    if (i < half) target.template.contactIds.push(id);
  }
  target.template.phones = Array.from({ length: contacts - half }, (_, i) => phoneNumber(half + i));
  const warm = await generateLoad({
    baseUrl: env.url,
    targets: [target],
    runId: 'warm',
    rate: 0,
    concurrency: 16,
    durationMs: 120_000,
    maxRequests: contacts * 3,
  });
  await waitForIdle(env, 180_000);
  return warm;
}

/** Runs the load generator in a child process and returns its summary. */
export function generateLoad(cfg: LoadConfig): Promise<LoadResult> {
  return new Promise((done, fail) => {
    const child = fork(resolve(import.meta.dirname, 'load-generator.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (result) => done(result as LoadResult));
    child.once('exit', (code) => code !== 0 && fail(new Error(`load generator exited with ${code}`)));
    child.send(cfg);
  });
}

/** Waits until every portal's inbox is processed and no call is pending or being sent. */
export async function waitForIdle(env: BenchEnv, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      const inbox = await env.handle.db
        .selectFrom('webhook_inbox')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .where('processed_at', 'is', null)
        .executeTakeFirstOrThrow();
      const open = await env.handle.db
        .selectFrom('calls')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .where('sync_state', 'in', ['pending', 'sending'])
        .executeTakeFirstOrThrow();
      return Number(inbox.n) === 0 && Number(open.n) === 0;
    },
    timeoutMs,
    200,
  );
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
