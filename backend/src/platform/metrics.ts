import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  jobs: Counter<'queue' | 'result'>;
  hubspotRequests: Counter<'operation' | 'status'>;
  /** HubSpot answers by endpoint (`METHOD /path template`) and status class; no portal label. */
  hubspotResponses: Counter<'endpoint' | 'status_class'>;
  dialerRequests: Counter<'operation' | 'status'>;
  hubspotWebhookEvents: Counter<'result'>;
}

/** One registry per runtime, so tests that start several apps do not share counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'jobs_total',
      help: 'Jobs run, by queue and result (completed, retry, dead)',
      labelNames: ['queue', 'result'],
      registers: [registry],
    }),
    hubspotRequests: new Counter({
      name: 'hubspot_requests_total',
      help: 'Requests sent to HubSpot, by operation and HTTP status (or network)',
      labelNames: ['operation', 'status'],
      registers: [registry],
    }),
    hubspotResponses: new Counter({
      name: 'hubspot_responses_total',
      help: 'HubSpot answers by endpoint and status class (2xx, 3xx, 4xx, 5xx, network): API health',
      labelNames: ['endpoint', 'status_class'],
      registers: [registry],
    }),
    dialerRequests: new Counter({
      name: 'dialer_requests_total',
      help: 'Requests sent to Dialer.io, by operation and HTTP status',
      labelNames: ['operation', 'status'],
      registers: [registry],
    }),
    hubspotWebhookEvents: new Counter({
      name: 'hubspot_webhook_events_total',
      help: 'HubSpot app-webhook events received: accepted, duplicate, ignored_not_installed',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
