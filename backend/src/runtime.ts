import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { createRequestStats } from './api-health/request-stats.ts';
import { createHubSpotClient } from './hubspot/client.ts';
import { createHubSpotOAuthApi } from './hubspot/oauth-api.ts';
import { createPostgresRateLimiter } from './hubspot/rate-limiter.ts';
import { inboxSweep } from './call-logging/inbox-sweep.ts';
import { callSweep } from './call-logging/sweeper.ts';
import { createFollowUpJobs, followUpSweep } from './call-follow-up/jobs.ts';
import { createCallSyncJob } from './call-logging/sync-job.ts';
import { createHubSpotEventsJob } from './hubspot-webhooks/process-job.ts';
import { webhookHealth } from './dialer-connection/webhook-health.ts';
import { noticeSweep } from './recordings/notice-sweep.ts';
import { callSyncJob } from './call-logging/sync-job-spec.ts';
import { createContactSyncJobs, scheduleContactSweep } from './contact-sync/jobs.ts';
import { createBootstrapJob } from './installations/bootstrap-job.ts';
import { createLifecycleJob, scheduleLifecycle } from './installations/lifecycle-job.ts';
import { finishUninstall } from './installations/uninstall.ts';
import { createPurgeJob, schedulePurge } from './operations/purge-job.ts';
import { createStateCodec } from './installations/oauth-state.ts';
import { createTokenProvider } from './installations/token-provider.ts';
import { createMappingJobs, scheduleMappingRefresh } from './mappings/jobs.ts';
import type { Config } from './platform/config.ts';
import type { AppContext } from './platform/context.ts';
import { createSecretBox } from './platform/crypto.ts';
import { openDatabase } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrator.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createMetrics } from './platform/metrics.ts';
import { JobQueue, type JobDefinition } from './platform/queue.ts';
import { createWorkflowActionJobs } from './workflow-actions/jobs.ts';
import { workflowSweep } from './workflow-actions/sweeper.ts';

export interface RuntimeOptions {
  logger?: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  /** See `DatabaseOptions.embeddedTemplate` (tests). */
  embeddedTemplate?: Blob;
}

export interface Runtime {
  ctx: AppContext;
  /** Listens (role web or all) and starts the workers (role worker or all). Resolves with the port. */
  start(): Promise<number>;
  /** Graceful: stop taking requests and jobs, finish the ones in flight, close the pool. */
  stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
function jobDefinitions(ctx: AppContext): JobDefinition<any>[] {
  return [
    createBootstrapJob(ctx),
    createCallSyncJob(ctx),
    createHubSpotEventsJob(ctx),
    callSweep(ctx).definition,
    inboxSweep(ctx).definition,
    webhookHealth(ctx).definition,
    noticeSweep(ctx).definition,
    createPurgeJob(ctx),
    createLifecycleJob(ctx),
    ...createWorkflowActionJobs(ctx),
    ...createMappingJobs(ctx),
    ...createFollowUpJobs(ctx),
    ...createContactSyncJobs(ctx),
  ];
}

/** The job workers of this process, and the recurring jobs they run. */
async function startWorkers(ctx: AppContext): Promise<void> {
  await ctx.queue.work();
  await schedulePurge(ctx, 60);
  await scheduleLifecycle(ctx, 60);
  await scheduleMappingRefresh(ctx);
  for (const recurring of [
    callSweep(ctx),
    inboxSweep(ctx),
    webhookHealth(ctx),
    workflowSweep(ctx),
    noticeSweep(ctx),
  ])
    await recurring.schedule();
  await followUpSweep(ctx).schedule(600);
  await scheduleContactSweep(ctx);
}

export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  for (const warning of config.warnings) logger.warn(`CONFIGURATION WARNING: ${warning}`);
  const metrics = createMetrics();
  const database = await openDatabase({
    ...config,
    poolSize: config.pools.database,
    embeddedTemplate: options.embeddedTemplate,
  });
  await migrateToLatest(database.db);
  const queue = await JobQueue.start(database, logger, metrics, {
    poolSize: config.pools.jobQueue,
    concurrency: { [callSyncJob.name]: config.callSyncConcurrency },
  });
  const box = createSecretBox(config.encryptionKeys);
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const oauth = createHubSpotOAuthApi({
    apiBaseUrl: config.hubspot.apiBaseUrl,
    clientId: config.hubspot.clientId,
    clientSecret: config.hubspot.clientSecret,
    fetch: doFetch,
  });
  // The uninstall use-case needs the context the token provider is part of: bound below.
  let onUninstalled = async (_installationId: string) => {};
  const tokens = createTokenProvider({
    db: database.db,
    box,
    oauth,
    logger,
    now,
    uninstalledRetentionDays: config.uninstalledRetentionDays,
    onUninstalled: (installationId) => onUninstalled(installationId),
  });
  const requestStats = createRequestStats(database.db, logger, now);
  const hubspot = createHubSpotClient({
    apiBaseUrl: config.hubspot.apiBaseUrl,
    rateLimit: config.hubspot.rateLimit,
    searchRateLimit: config.hubspot.searchRateLimit,
    tokens,
    limiter: createPostgresRateLimiter(database.db),
    metrics,
    stats: requestStats,
    logger,
    fetch: doFetch,
    retryBaseMs: config.hubspot.retryBaseMs,
  });
  const ctx: AppContext = {
    config,
    db: database.db,
    database,
    logger,
    metrics,
    box,
    queue,
    oauth,
    tokens,
    hubspot,
    requestStats,
    states: createStateCodec(config.encryptionKey),
    fetch: doFetch,
    now,
  };
  onUninstalled = (installationId) => finishUninstall(ctx, installationId);
  await queue.register(jobDefinitions(ctx));

  let server: Server | undefined;
  const listen = () =>
    new Promise<number>((resolve) => {
      server = createApp(ctx).listen(config.port, () => {
        const address = server!.address();
        resolve(typeof address === 'object' && address ? address.port : config.port);
      });
      server.keepAliveTimeout = 65_000;
    });
  return {
    ctx,
    async start() {
      // The web answers (and /readyz turns 200) while the workers start: neither waits for the other.
      const [port] = await Promise.all([
        config.role === 'worker' ? Promise.resolve(0) : listen(),
        config.role === 'web' ? Promise.resolve() : startWorkers(ctx),
      ]);
      return port;
    },
    async stop() {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        await closing;
      }
      await queue.stop();
      await requestStats.stop();
      await database.close();
    },
  };
}
