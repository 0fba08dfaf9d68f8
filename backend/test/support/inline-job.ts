import type { Logger } from '../../src/platform/logger.ts';

/** What a job handler receives, for tests that run a job in place instead of through the queue. */
export function inlineJobContext(logger: Logger) {
  return { jobId: 'inline', attempt: 1, isFinalAttempt: false, logger, signal: new AbortController().signal };
}
