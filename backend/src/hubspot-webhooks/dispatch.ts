import type { AppContext } from '../platform/context.ts';
import type { HubSpotEventHandler, HubSpotWebhookEvent } from './events.ts';

export interface DispatchFailure {
  handler: string;
  eventIds: string[];
  reason: string;
}

const isPermanent = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false;

export function handlesEvent(handler: HubSpotEventHandler, event: HubSpotWebhookEvent): boolean {
  if (handler.subscriptionType !== event.subscriptionType) return false;
  return handler.objectTypeId === undefined || handler.objectTypeId === event.objectTypeId;
}

/**
 * Hands the events (oldest first) to every handler of their type. A handler's permanent error
 * (`retryable: false`) is about those events only: it is returned, and the other handlers go on.
 * Any other error is thrown, so the job retries the whole batch later (handlers are idempotent).
 */
export async function dispatchHubSpotEvents(
  ctx: AppContext,
  installationId: string,
  events: HubSpotWebhookEvent[],
  handlers: readonly HubSpotEventHandler[],
): Promise<DispatchFailure[]> {
  const failures: DispatchFailure[] = [];
  for (const handler of handlers) {
    const mine = events.filter((event) => handlesEvent(handler, event));
    if (mine.length === 0) continue;
    try {
      await handler.handle(ctx, installationId, mine);
    } catch (error) {
      if (!isPermanent(error)) throw error;
      failures.push({
        handler: handler.name,
        eventIds: mine.map((e) => e.eventId),
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return failures;
}
