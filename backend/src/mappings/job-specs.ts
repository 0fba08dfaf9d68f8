import { z } from 'zod';
import type { JobSpec } from '../platform/queue.ts';

const perInstallation = z.object({ installationId: z.string().uuid() }).strict();

/** Pulls owners, outcomes, agents and dispositions of one portal again and re-matches them. */
export const mappingRefreshJob: JobSpec<{ installationId: string }> = {
  name: 'mappings.refresh',
  schema: perInstallation,
};

/**
 * Gives the portal's recent calls logged without an owner (or without an outcome) the owner their
 * agent (the outcome their disposition) is mapped to now.
 */
export const ownerBackfillJob: JobSpec<{ installationId: string }> = {
  name: 'mappings.backfill-owners',
  schema: perInstallation,
};

/** Every hour: one `mappings.refresh` per connected portal, then the next sweep (decision 0004). */
export const refreshSweepJob: JobSpec<Record<string, never>> = {
  name: 'mappings.refresh-sweep',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
};

export const REFRESH_EVERY_SECONDS = 60 * 60;
export const SWEEP_KEY = 'hourly';
