import { adminSession, setupConnected } from './fake-backend.ts';

const activity = {
  items: [
    {
      id: 1,
      callId: 'c-1',
      contactId: null,
      level: 'error',
      step: 'x',
      message: 'failed',
      details: null,
      createdAt: '2026-11-20T09:30:00.000Z',
    },
  ],
  nextCursor: null,
};
/** Every GET the page's sections make, answered. */
export const pageRoutes = {
  'GET /api/session': adminSession,
  'GET /api/settings': {
    debugMode: false,
    missedCalls: { enabled: true, dueMinutes: 60, fallbackOwnerId: null },
    contactSync: { creation: 'hubspot_to_dialer', createFromHubSpot: 'sent', updates: 'both' },
  },
  'GET /api/setup': setupConnected,
  'GET /api/agents': { items: [] },
  'GET /api/owners': { items: [] },
  'GET /api/dispositions': { items: [] },
  'GET /api/outcomes': { items: [] },
  'GET /api/calls/unmatched': { items: [] },
  'GET /api/property-mappings': { mappings: [] },
  'GET /api/contact-properties': { items: [] },
  'GET /api/sync/operations': {
    operations: [],
    lastRuns: { pull_contacts: null, push_contacts: null, mappingsRefresh: null },
  },
  'GET /api/activity': activity,
  'GET /api/health': {
    hubspot: { last24h: { requests: 0, succeeded: 0, failed: 0, successRate: null } },
  },
  'GET /api/privacy/erasures': { items: [] },
  'PATCH /api/settings': { debugMode: true },
};
