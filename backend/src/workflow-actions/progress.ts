import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../platform/db/database.ts';
import { jsonColumn } from '../platform/db/json-column.ts';
import { ACTION_RESULTS, linkedListsSchema } from './schemas.ts';

// What an unfinished execution has already done in Dialer.io. Each step is stored once Dialer.io's
// answer has arrived, by the inline answer and the job alike, so the job that takes an execution
// over (or a retry) goes on from there instead of writing the contact or changing the list again.
// A step whose answer was lost is not stored and is sent again: each one is idempotent.

const linkedListSchema = linkedListsSchema.element;

export const executionProgressSchema = z.object({
  /** The Dialer.io contact as written (or found, with `updateDetails` off) and its lists then. */
  contact: z.object({ id: z.string(), lists: linkedListsSchema }).optional(),
  /** The membership change and its list (null: every list). */
  listChange: z.object({ result: z.enum(ACTION_RESULTS), list: linkedListSchema.nullable() }).optional(),
});
export type ExecutionProgress = z.infer<typeof executionProgressSchema>;
export type ListChange = NonNullable<ExecutionProgress['listChange']>;

/** The stored progress; none when absent or unreadable (then the steps are only sent again). */
export function readProgress(stored: unknown): ExecutionProgress {
  if (stored === null || stored === undefined) return {};
  const parsed = executionProgressSchema.safeParse(jsonColumn(stored));
  return parsed.success ? parsed.data : {};
}

/** Adds a finished step to an unfinished execution's progress (steps stored before are kept). */
export async function saveProgress(
  db: Db,
  installationId: string,
  callbackId: string,
  step: ExecutionProgress,
): Promise<void> {
  const json = JSON.stringify(executionProgressSchema.parse(step));
  await db
    .updateTable('workflow_executions')
    .set({
      progress: sql`coalesce(progress, '{}'::jsonb) || ${json}::jsonb`,
      updated_at: sql`now()`,
    })
    .where('installation_id', '=', installationId)
    .where('callback_id', '=', callbackId)
    .where('state', '<>', 'done')
    .execute();
}
