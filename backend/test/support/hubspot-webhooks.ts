import { randomUUID } from 'node:crypto';
import type { HubSpotWebhookEvent } from '../../src/hubspot-webhooks/events.ts';
import { hubspotSignedFetch } from './hubspot-signing.ts';
import { TEST_CLIENT_SECRET, type TestApp } from './test-app.ts';

let sequence = 0;

/** One HubSpot app-webhook event as HubSpot sends it; `overrides` set what the test is about. */
export function hubSpotEvent(
  portalId: number,
  overrides: Partial<HubSpotWebhookEvent> & { subscriptionType: string },
): HubSpotWebhookEvent {
  sequence += 1;
  return {
    eventId: `${Date.now()}${String(sequence).padStart(4, '0')}`,
    subscriptionId: 1001,
    portalId,
    appId: 424242,
    occurredAt: Date.now(),
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    sourceId: `userId:${randomUUID().slice(0, 8)}`,
    ...overrides,
  };
}

/** Delivers events to `POST /hubspot/webhooks` signed (v3) as HubSpot signs them. */
export function deliverHubSpotEvents(
  app: TestApp,
  events: unknown,
  options: { secret?: string; timestampMs?: number } = {},
): Promise<Response> {
  return hubspotSignedFetch(app.url, {
    method: 'POST',
    path: '/hubspot/webhooks',
    body: events,
    secret: options.secret ?? TEST_CLIENT_SECRET,
    publicBaseUrl: app.config.publicBaseUrl,
    timestampMs: options.timestampMs,
  });
}
