import { z } from 'zod';
import type { JobSpec } from '../platform/queue.ts';

/** Finishes an execution that was answered BLOCK (Dialer.io busy, slow or down). */
export const executeActionJob: JobSpec<{ installationId: string; callbackId: string }> = {
  name: 'workflow-actions.execute',
  schema: z.object({ installationId: z.string().uuid(), callbackId: z.string().min(1) }).strict(),
};

/** Sends the finished executions HubSpot waits for, 100 per batch, for one portal. */
export const completeCallbacksJob: JobSpec<{ installationId: string }> = {
  name: 'workflow-actions.complete-callbacks',
  schema: z.object({ installationId: z.string().uuid() }).strict(),
};
