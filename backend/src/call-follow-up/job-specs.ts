import { z } from 'zod';
import type { JobSpec } from '../platform/queue.ts';

const perInstallation = z.object({ installationId: z.string().uuid() }).strict();

/** After calls are written: late links, tasks, rollups of one portal (one in flight per portal). */
export const followUpJob: JobSpec<{ installationId: string }> = {
  name: 'call-follow-up.run',
  schema: perInstallation,
};

/** Hourly per portal: unmatched calls of the last 7 days searched again, open tasks read back. */
export const matchSweepJob: JobSpec<{ installationId: string }> = {
  name: 'call-follow-up.match-sweep',
  schema: perInstallation,
};
