import { ConfigError, loadConfig } from './platform/config.ts';
import { createLogger } from './platform/logger.ts';
import { createRuntime } from './runtime.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
const runtime = await createRuntime(config, { logger });
// Web answers as soon as it listens, possibly before the workers have started: a signal that
// comes meanwhile waits for the start to finish, then shuts down as usual.
const started = runtime.start();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests and jobs in flight');
    started
      .then(() => runtime.stop())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  });
}

const port = await started;
logger.info(
  { port, role: config.role, database: runtime.ctx.database.kind, publicBaseUrl: config.publicBaseUrl },
  'Dialer Sync is running',
);
