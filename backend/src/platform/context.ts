import type { RequestStats } from '../api-health/request-stats.ts';
import type { HubSpotClient } from '../hubspot/client.ts';
import type { HubSpotOAuthApi } from '../hubspot/oauth-api.ts';
import type { TokenProvider } from '../hubspot/tokens.ts';
import type { Config } from './config.ts';
import type { SecretBox } from './crypto.ts';
import type { Db, DatabaseHandle } from './db/database.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { StateCodec } from './oauth-state.ts';
import type { JobQueue } from './queue.ts';

/** The service's collaborators, built once at start (runtime.ts) and handed to routes and jobs. */
export interface AppContext {
  config: Config;
  db: Db;
  database: DatabaseHandle;
  logger: Logger;
  metrics: Metrics;
  box: SecretBox;
  queue: JobQueue;
  oauth: HubSpotOAuthApi;
  tokens: TokenProvider;
  hubspot: HubSpotClient;
  /** Each portal's HubSpot answers per hour (the settings page's API health). */
  requestStats: RequestStats;
  states: StateCodec;
  fetch: typeof fetch;
  now: () => number;
}
