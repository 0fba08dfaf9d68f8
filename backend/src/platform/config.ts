import { z } from 'zod';
import { KEY_ID, type EncryptionKey } from './crypto.ts';

/** A development-only key: anyone can read it here, so it must never protect real tokens. */
export const DEVELOPMENT_ENCRYPTION_KEY = Buffer.alloc(32, 'dialer-sync-development-key-0001').toString(
  'base64',
);

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((value) => URL.canParse(value), { message: `must be an absolute URL (${what})` })
    .transform((value) => value.replace(/\/+$/, ''));

const encryptionKey = z
  .string()
  .trim()
  .refine((value) => /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32, {
    message: 'must be 32 bytes encoded as base64 (for example: openssl rand -base64 32)',
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: url('the HTTPS origin HubSpot and Dialer.io call').optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), {
      message: 'must be a postgres:// or postgresql:// URL',
    })
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  HUBSPOT_CLIENT_ID: z.string().trim().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: z.string().trim().min(1).optional(),
  HUBSPOT_APP_ID: z.string().trim().regex(/^\d+$/, 'must be the numeric app id').optional(),
  HUBSPOT_API_BASE_URL: url('HubSpot API').default('https://api.hubapi.com'),
  HUBSPOT_AUTH_BASE_URL: url('HubSpot authorize page').default('https://app.hubspot.com'),
  DIALER_API_BASE_URL: url('Dialer.io API').default('https://api.dialer.io'),
  ENCRYPTION_KEY: encryptionKey.optional(),
  ENCRYPTION_KEYS: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const keys = value.split(',').map((entry) => entry.trim().split(':'));
      for (const [id, key] of keys) {
        if (!id || !KEY_ID.test(id) || !key || !encryptionKey.safeParse(key).success) {
          ctx.addIssue({
            code: 'custom',
            message:
              'must be id:key pairs separated by commas, newest first (key: 32 bytes base64; id: letters, digits, - or _)',
          });
          return z.NEVER;
        }
      }
      return keys.map(([id, key]) => ({ id: id!, key: Buffer.from(key!, 'base64') }));
    })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PROCESS_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  HUBSPOT_RATE_LIMIT_PER_10S: z.coerce.number().int().min(1).max(1000).default(95),
  HUBSPOT_SEARCH_RATE_LIMIT_PER_S: z.coerce.number().int().min(1).max(100).default(4),
  HUBSPOT_SEARCH_INDEX_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  HUBSPOT_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(300),
  CALL_SYNC_PAUSE_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  CALL_SYNC_PAUSE_MAX_MS: z.coerce.number().int().min(100).max(86_400_000).default(3_600_000),
  CALL_LOST_CREATE_WINDOW_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(900_000),
  CALL_LIVE_EVENTS_DELAY_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  CALL_WAITING_LIMIT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(7 * 86_400_000)
    .default(14_400_000),
  SYNC_OPERATION_SLICE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  RETENTION_WEBHOOK_PAYLOAD_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RETENTION_ACTIVITY_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RATE_LIMIT_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(60_000),
  RATE_LIMIT_PER_WEBHOOK_KEY_PER_MINUTE: z.coerce.number().int().min(1).default(30_000),
  UNINSTALLED_DATA_RETENTION_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  JOB_QUEUE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  CALL_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(64),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  publicBaseUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  hubspot: {
    clientId: string;
    clientSecret: string;
    appId: string | undefined;
    apiBaseUrl: string;
    authBaseUrl: string;
    /** Requests per portal the client allows itself, per `intervalMs` (HubSpot allows 110 / 10 s). */
    rateLimit: { requests: number; intervalMs: number; burst: number };
    searchRateLimit: { requests: number; intervalMs: number; burst: number };
    /** How long HubSpot search takes to see a new record: recovery searches wait this long. */
    searchIndexDelayMs: number;
    /** First wait before a retried request (429, 5xx, network); doubles per attempt. */
    retryBaseMs: number;
  };
  /** Call pipeline recovery (decision 0008). */
  callSync: {
    /** A paused portal tries again after base × 2^n, capped at max; it never gives up. */
    pauseBaseMs: number;
    pauseMaxMs: number;
    /** How long a lost create is searched for before it may be created again. */
    lostCreateWindowMs: number;
    /** A call without a final event this long is written with what is known, and flagged. */
    waitingLimitMs: number;
    /** A live call's start or answer alone queues no sync run: the inbox sweep folds it after this. */
    liveEventsDelayMs: number;
  };
  dialer: { apiBaseUrl: string };
  /** One job of a pull or push runs this long, then queues the rest (no job runs for hours). */
  syncOperations: { sliceMs: number };
  /** Days raw webhook payloads (both inboxes) and activity-log entries are kept. */
  retention: { webhookPayloadDays: number; activityDays: number };
  /** Requests per minute on the public endpoints, per client address and per Dialer.io webhook key. */
  rateLimits: { perIpPerMinute: number; perWebhookKeyPerMinute: number };
  /** The newest key (OAuth state signing). */
  encryptionKey: Buffer;
  /** Every key that may have sealed a stored secret, newest first: the newest seals. */
  encryptionKeys: EncryptionKey[];
  logLevel: string;
  role: 'all' | 'web' | 'worker';
  /** Days an uninstalled portal's data is kept (a reinstall within them keeps everything). */
  uninstalledRetentionDays: number;
  /** PostgreSQL connections per process: the app's pool, pg-boss's pool. */
  pools: { database: number; jobQueue: number };
  /** `calls.sync` jobs (one portal each) run at once per worker process. */
  callSyncConcurrency: number;
  /** Problems that do not stop a development start but must be seen. */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once, at start. A bad value throws a ConfigError naming the key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const warnings: string[] = [];
  const production = e.NODE_ENV === 'production';
  const missing: string[] = (
    ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', 'PUBLIC_BASE_URL'] as const
  ).filter((key) => !e[key]);
  if (!e.ENCRYPTION_KEY && !e.ENCRYPTION_KEYS) missing.unshift('ENCRYPTION_KEY');
  if (production && missing.length > 0) {
    throw new ConfigError(missing.map((key) => `${key}: required when NODE_ENV=production`));
  }
  if (!e.ENCRYPTION_KEY && !e.ENCRYPTION_KEYS) {
    warnings.push(
      'ENCRYPTION_KEY is not set: using the PUBLIC DEVELOPMENT KEY. Secrets stored now are not protected. Set ENCRYPTION_KEY (openssl rand -base64 32) before real use.',
    );
  }
  if (!e.HUBSPOT_CLIENT_ID || !e.HUBSPOT_CLIENT_SECRET) {
    warnings.push(
      'HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET are not set: installs from HubSpot and signed HubSpot requests will fail.',
    );
  }
  const keys = encryptionKeysOf(e.ENCRYPTION_KEYS, e.ENCRYPTION_KEY);
  const publicBaseUrl = e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`;
  if (production && !publicBaseUrl.startsWith('https://')) {
    throw new ConfigError(['PUBLIC_BASE_URL: must be an https:// origin when NODE_ENV=production']);
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    publicBaseUrl,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    hubspot: {
      clientId: e.HUBSPOT_CLIENT_ID ?? 'unset-client-id',
      clientSecret: e.HUBSPOT_CLIENT_SECRET ?? 'unset-client-secret',
      appId: e.HUBSPOT_APP_ID,
      apiBaseUrl: e.HUBSPOT_API_BASE_URL,
      authBaseUrl: e.HUBSPOT_AUTH_BASE_URL,
      rateLimit: { requests: e.HUBSPOT_RATE_LIMIT_PER_10S, intervalMs: 10_000, burst: 5 },
      searchRateLimit: { requests: e.HUBSPOT_SEARCH_RATE_LIMIT_PER_S, intervalMs: 1_000, burst: 1 },
      searchIndexDelayMs: e.HUBSPOT_SEARCH_INDEX_DELAY_MS,
      retryBaseMs: e.HUBSPOT_RETRY_BASE_MS,
    },
    callSync: {
      pauseBaseMs: e.CALL_SYNC_PAUSE_BASE_MS,
      pauseMaxMs: Math.max(e.CALL_SYNC_PAUSE_MAX_MS, e.CALL_SYNC_PAUSE_BASE_MS),
      // Longer than a create can be in flight (15 s timeout) plus the index delay, whatever is set.
      lostCreateWindowMs: Math.max(e.CALL_LOST_CREATE_WINDOW_MS, e.HUBSPOT_SEARCH_INDEX_DELAY_MS),
      waitingLimitMs: e.CALL_WAITING_LIMIT_MS,
      liveEventsDelayMs: e.CALL_LIVE_EVENTS_DELAY_MS,
    },
    dialer: { apiBaseUrl: e.DIALER_API_BASE_URL },
    syncOperations: { sliceMs: e.SYNC_OPERATION_SLICE_MS },
    rateLimits: {
      perIpPerMinute: e.RATE_LIMIT_PER_IP_PER_MINUTE,
      perWebhookKeyPerMinute: e.RATE_LIMIT_PER_WEBHOOK_KEY_PER_MINUTE,
    },
    retention: {
      webhookPayloadDays: e.RETENTION_WEBHOOK_PAYLOAD_DAYS,
      activityDays: e.RETENTION_ACTIVITY_DAYS,
    },
    encryptionKey: keys[0]!.key,
    encryptionKeys: keys,
    logLevel: e.LOG_LEVEL,
    role: e.PROCESS_ROLE,
    uninstalledRetentionDays: e.UNINSTALLED_DATA_RETENTION_DAYS,
    pools: { database: e.DATABASE_POOL_SIZE, jobQueue: e.JOB_QUEUE_POOL_SIZE },
    callSyncConcurrency: e.CALL_SYNC_CONCURRENCY,
    warnings,
  };
}

/**
 * ENCRYPTION_KEYS (`id:key,...`, newest first) when set; ENCRYPTION_KEY joins them as the key
 * `default` (the id it sealed with before key rotation), so moving to ENCRYPTION_KEYS keeps old secrets readable.
 */
function encryptionKeysOf(keys: EncryptionKey[] | undefined, single: string | undefined): EncryptionKey[] {
  const fromSingle = { id: 'default', key: Buffer.from(single ?? DEVELOPMENT_ENCRYPTION_KEY, 'base64') };
  if (!keys) return [fromSingle];
  return single && !keys.some((k) => k.id === 'default') ? [...keys, fromSingle] : keys;
}
