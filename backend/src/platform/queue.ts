import {
  PgBoss,
  fromKysely,
  fromPglite,
  type JobResult,
  type JobWithMetadata,
  type QueuePolicy,
} from 'pg-boss';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Db, DatabaseHandle } from './db/database.ts';
import type { Database } from './db/schema.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export interface JobContext {
  jobId: string;
  /** 1 for the first run, 2 for the first retry, ... */
  attempt: number;
  isFinalAttempt: boolean;
  logger: Logger;
  signal: AbortSignal;
}

/** What it takes to enqueue a job: its queue name and payload schema. */
export interface JobSpec<T> {
  name: string;
  schema: z.ZodType<T>;
}

/** A job type: its payload schema, its queue rules and the function that does the work. */
export interface JobDefinition<T> extends JobSpec<T> {
  queue?: {
    /** `stately` = one queued and one active job per singleton key. */
    policy?: QueuePolicy;
    retryLimit?: number;
    retryDelaySeconds?: number;
    retryDelayMaxSeconds?: number;
    expireInSeconds?: number;
    /**
     * Workers prove they are alive this often; a job whose worker died is retried after about
     * this long instead of after `expireInSeconds`. Set on queues whose jobs must not stall.
     */
    heartbeatSeconds?: number;
  };
  /** `localConcurrency`: jobs of this type run at once per process (see JobQueue.work). */
  work?: { batchSize?: number; localConcurrency?: number; pollingIntervalSeconds?: number };
  handle(data: T, ctx: JobContext): Promise<void>;
  /** Called once when the job fails for good (dead letter), to record the reason where users see it. */
  onDeadLetter?(data: T, error: Error, ctx: JobContext): Promise<void>;
}

export function defineJob<T>(definition: JobDefinition<T>): JobDefinition<T> {
  return definition;
}

/** Thrown by a handler when retrying cannot help (a 4xx, a missing record): dead letter at once. */
export class PermanentJobError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly code = 'permanent',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

function isPermanent(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false
  );
}

export interface SendOptions {
  singletonKey?: string;
  startAfterSeconds?: number;
  /** Enqueue inside this transaction, so the job exists only if the write that made it commits. */
  trx?: Transaction<Database> | Db;
}

/** pg-boss workers per job type and process: each wakes on every NOTIFY, so keep them few. */
const MAX_FETCHERS = 8;

export interface QueuePoolOptions {
  /** Connections of pg-boss's own pool (fetching, completing, NOTIFY listener). */
  poolSize?: number;
  /** Jobs of a type run at once in this process, overriding the job's `work.localConcurrency`. */
  concurrency?: Record<string, number>;
}

type QueueOptions = NonNullable<Parameters<PgBoss['createQueue']>[1]>;

/** A job's queue and its dead-letter queue (first), with the options they are created with. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
function queueOptions(definition: JobDefinition<any>): { name: string; options: QueueOptions }[] {
  const dead = `${definition.name}.dead`;
  const q = definition.queue ?? {};
  return [
    { name: dead, options: { policy: 'standard', retentionSeconds: 60 * 60 * 24 * 30 } },
    {
      name: definition.name,
      options: {
        policy: q.policy ?? 'standard',
        retryLimit: q.retryLimit ?? 8,
        retryDelay: q.retryDelaySeconds ?? 2,
        retryBackoff: true,
        retryDelayMax: q.retryDelayMaxSeconds ?? 600,
        expireInSeconds: q.expireInSeconds ?? 300,
        ...(q.heartbeatSeconds ? { heartbeatSeconds: q.heartbeatSeconds } : {}),
        deadLetter: dead,
        notify: true,
      },
    },
  ];
}

export class JobQueue {
  private readonly definitions = new Map<string, JobDefinition<unknown>>();
  private workerIds: string[] = [];
  private readonly concurrency: Map<string, number>;
  /** The payloads of the jobs this process is running now, by job id. */
  private readonly running = new Map<string, { name: string; data: unknown }>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    concurrency: Record<string, number> = {},
  ) {
    this.concurrency = new Map(Object.entries(concurrency));
  }

  static async start(
    handle: DatabaseHandle,
    logger: Logger,
    metrics: Metrics,
    options: QueuePoolOptions = {},
  ): Promise<JobQueue> {
    const boss =
      handle.kind === 'pglite'
        ? new PgBoss({
            db: fromPglite(handle.pglite!),
            backend: 'pglite',
            useListenNotify: true,
            schedule: false,
          })
        : new PgBoss({
            connectionString: handle.connectionString!,
            max: options.poolSize ?? 10,
            useListenNotify: true,
            schedule: false,
          });
    boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
    boss.on('warning', (warning) => logger.warn({ warning }, 'job queue warning'));
    await boss.start();
    return new JobQueue(boss, logger, metrics, options.concurrency);
  }

  /**
   * Creates the queues (and their dead-letter queues) that do not exist yet. Safe to call on
   * every start: one query finds the existing queues, so a usual start creates none.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
  async register(definitions: JobDefinition<any>[]): Promise<void> {
    for (const definition of definitions) this.definitions.set(definition.name, definition);
    const wanted = definitions.flatMap((definition) => queueOptions(definition));
    const found = await this.boss.getQueues(wanted.map((queue) => queue.name));
    const existing = new Set(found.map((queue) => queue.name));
    // In order: a dead-letter queue exists before the queue that names it.
    for (const queue of wanted)
      if (!existing.has(queue.name)) await this.boss.createQueue(queue.name, queue.options);
  }

  async send<T>(definition: JobSpec<T>, data: T, options: SendOptions = {}): Promise<string | null> {
    const payload = definition.schema.parse(data) as object;
    return this.boss.send(definition.name, payload, {
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      ...(options.trx ? { db: fromKysely(options.trx as never) } : {}),
    });
  }

  /**
   * Several jobs of one type in one statement (one round trip), e.g. one per portal. Jobs a
   * singleton key refuses are skipped, as with `send`.
   */
  async sendMany<T>(
    definition: JobSpec<T>,
    jobs: { data: T; singletonKey?: string }[],
    options: Pick<SendOptions, 'trx'> = {},
  ): Promise<void> {
    if (jobs.length === 0) return;
    const rows = jobs.map((job) => ({
      data: definition.schema.parse(job.data) as object,
      ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}),
    }));
    await this.boss.insert(
      definition.name,
      rows,
      options.trx ? { db: fromKysely(options.trx as never) } : {},
    );
  }

  /**
   * Starts the workers of every registered job in this process. `localConcurrency` jobs of a
   * type run at once, spread over up to MAX_FETCHERS pg-boss workers that each take a batch of
   * jobs per fetch. A worker whose fetch found jobs fetches again as soon as they are done
   * (pg-boss would otherwise wait for a NOTIFY, which a stately queue does not send for a job
   * queued behind an active one, or for the polling interval); an empty fetch waits for a NOTIFY.
   */
  async work(): Promise<void> {
    for (const definition of this.definitions.values()) {
      const w = definition.work ?? {};
      const slots = this.concurrency.get(definition.name) ?? w.localConcurrency ?? 1;
      const fetchers = Math.min(slots, MAX_FETCHERS);
      const batchSize = w.batchSize ?? Math.ceil(slots / fetchers);
      for (let i = 0; i < fetchers; i++) {
        let id = '';
        id = await this.boss.work(
          definition.name,
          {
            batchSize,
            localConcurrency: 1,
            pollingIntervalSeconds: w.pollingIntervalSeconds ?? 0.5,
            notifyPollingIntervalSeconds: 2,
            includeMetadata: true,
            perJobResults: true,
          },
          async (jobs) => {
            const results = await this.runBatch(definition, jobs);
            if (id) this.boss.notifyWorker(id);
            return results;
          },
        );
        this.workerIds.push(id);
      }
    }
  }

  private async runBatch(
    definition: JobDefinition<unknown>,
    jobs: JobWithMetadata<unknown>[],
  ): Promise<JobResult[]> {
    return Promise.all(jobs.map((job) => this.runOne(definition, job)));
  }

  private async runOne(
    definition: JobDefinition<unknown>,
    job: JobWithMetadata<unknown>,
  ): Promise<JobResult> {
    const attempt = job.retryCount + 1;
    const ctx: JobContext = {
      jobId: job.id,
      attempt,
      isFinalAttempt: job.retryCount >= job.retryLimit,
      logger: this.logger.child({ job: definition.name, jobId: job.id, attempt }),
      signal: job.signal,
    };
    const started = performance.now();
    const finish = (result: 'completed' | 'retry' | 'dead') => {
      this.metrics.jobs.inc({ queue: definition.name, result });
      ctx.logger.info({ result, ms: Math.round(performance.now() - started) }, 'job finished');
    };
    const parsed = definition.schema.safeParse(job.data);
    if (!parsed.success) {
      finish('dead');
      return {
        id: job.id,
        status: 'deadletter',
        output: { error: `invalid job data: ${parsed.error.message}` },
      };
    }
    this.running.set(job.id, { name: definition.name, data: parsed.data });
    try {
      await definition.handle(parsed.data, ctx);
      finish('completed');
      return { id: job.id, status: 'completed' };
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const output = { error: err.message, code: (err as { code?: string }).code ?? 'error', attempt };
      if (isPermanent(err) || ctx.isFinalAttempt) {
        ctx.logger.warn({ err }, 'job failed for good');
        await definition
          .onDeadLetter?.(parsed.data, err, ctx)
          .catch((hookError: unknown) => ctx.logger.error({ err: hookError }, 'dead-letter hook failed'));
        finish('dead');
        return { id: job.id, status: 'deadletter', output };
      }
      ctx.logger.warn({ err }, 'job failed, will retry');
      finish('retry');
      return { id: job.id, status: 'failed', output };
    } finally {
      this.running.delete(job.id);
    }
  }

  /** The payloads of the jobs (of one type, or all) that this process is running now, for tests. */
  runningJobs<T = unknown>(definition?: JobSpec<T>): T[] {
    return [...this.running.values()]
      .filter((job) => !definition || job.name === definition.name)
      .map((job) => job.data as T);
  }

  /** Stops taking jobs and waits for the ones in flight (up to `timeoutMs`). */
  async stop(timeoutMs = 20_000): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }

  get raw(): PgBoss {
    return this.boss;
  }
}
