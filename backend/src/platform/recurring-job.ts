import { z } from 'zod';
import type { AppContext } from './context.ts';
import { defineJob, type JobDefinition, type JobSpec } from './queue.ts';

type NoData = Record<string, never>;

export interface RecurringJob {
  definition: JobDefinition<NoData>;
  /** Queues the next run unless one is queued (stately, one key): at every start and by each run. */
  schedule(afterSeconds?: number): Promise<void>;
}

/**
 * A job that runs every `everySeconds` across all processes: each run first queues the next one,
 * so the chain survives restarts, deploys and a failed run (a dead letter queues the next too).
 */
export function recurringJob(
  ctx: AppContext,
  options: { name: string; everySeconds: number; handle: () => Promise<void> },
): RecurringJob {
  const spec: JobSpec<NoData> = { name: options.name, schema: z.object({}).strict() as z.ZodType<NoData> };
  const schedule = async (afterSeconds = options.everySeconds) => {
    await ctx.queue.send(spec, {}, { singletonKey: 'recurring', startAfterSeconds: afterSeconds });
  };
  const definition = defineJob({
    ...spec,
    queue: { policy: 'stately', retryLimit: 3 },
    async handle() {
      await schedule();
      await options.handle();
    },
    async onDeadLetter() {
      await schedule();
    },
  });
  return { definition, schedule };
}

/** The ids of every active installation (for recurring jobs that visit each portal). */
export async function activeInstallationIds(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.db.selectFrom('installations').select('id').where('status', '=', 'active').execute();
  return rows.map((row) => row.id);
}
