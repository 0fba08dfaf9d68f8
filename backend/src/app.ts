import express, { type Express } from 'express';
import { activityRoutes } from './activity/routes.ts';
import { connectionHooks } from './call-logging/connection-hooks.ts';
import { unmatchedCallRoutes } from './call-follow-up/unmatched-routes.ts';
import { apiHealthRoutes } from './api-health/routes.ts';
import { recordingRoutes } from './recordings/routes.ts';
import { dialerWebhookRoutes } from './call-logging/webhook-routes.ts';
import { contactCardRoutes } from './contact-card/routes.ts';
import { propertyMappingRoutes } from './contact-sync/mapping-routes.ts';
import { operationRoutes } from './contact-sync/operation-routes.ts';
import { dialerConnectionRoutes } from './dialer-connection/routes.ts';
import { hubSpotWebhookRoutes } from './hubspot-webhooks/routes.ts';
import { requireHubSpotSignature } from './hubspot/signed-requests.ts';
import { oauthRoutes } from './installations/oauth-routes.ts';
import { sessionRoutes } from './installations/session-routes.ts';
import { uninstallReplayAnswer, uninstallRoutes } from './installations/uninstall-routes.ts';
import { mappingRoutes } from './mappings/routes.ts';
import { privacyRoutes } from './privacy/routes.ts';
import { operationsRoutes } from './operations/routes.ts';
import type { AppContext } from './platform/context.ts';
import { settingsRoutes } from './settings/routes.ts';
import { apiErrorMapping, errorHandler, sendError } from './platform/http-errors.ts';
import { dialerFailureAnswer } from './dialer/http-answer.ts';
import { hubSpotFailureAnswer } from './hubspot/http-answer.ts';
import { verifyBody } from './platform/json-depth.ts';
import {
  jsonbSafeBody,
  limitBodySize,
  publicRateLimits,
  rejectNulInUrl,
  securityHeaders,
} from './platform/http-hardening.ts';
import { workflowActionRoutes } from './workflow-actions/routes.ts';

const WEBHOOK_ROUTES = new Set(['/dialer/webhooks/:key', '/hubspot/webhooks']);

/** The HTTP surface (DESIGN.md): each capability mounts its own router. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const route =
        (req.route?.path as string | undefined) ??
        (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'unmatched');
      const seconds = (performance.now() - started) / 1000;
      ctx.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      ctx.metrics.httpDuration.observe({ method: req.method, route }, seconds);
      const line = { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) };
      // A webhook delivery that went well is counted in /metrics and recorded by its job; a line
      // each, thousands a second, was a tenth of the web process's CPU. Anything else is logged.
      if (res.statusCode < 400 && WEBHOOK_ROUTES.has(route)) ctx.logger.debug(line, 'request');
      else ctx.logger.info(line, 'request');
    });
    next();
  });

  app.use(securityHeaders(), limitBodySize(), rejectNulInUrl());
  app.use(operationsRoutes(ctx));
  const limits = publicRateLimits(ctx.config);
  app.use(['/oauth', '/dialer/webhooks', '/hubspot', '/api'], limits.perIp);
  app.use('/dialer/webhooks/:key', limits.perWebhookKey);
  app.use(oauthRoutes(ctx));
  app.use(dialerWebhookRoutes(ctx));
  app.use(hubSpotWebhookRoutes(ctx));
  app.use(recordingRoutes(ctx)); // HubSpot asks for a call's recording (unsigned: decision 0013)

  // Settings page and card (hubspot.fetch): JSON, signed, portal and user from the signed URL.
  app.use(
    '/api',
    express.json({ limit: '1mb', verify: verifyBody }),
    requireHubSpotSignature(ctx, 'query', { answerForUninstalled: uninstallReplayAnswer }),
    jsonbSafeBody,
  );
  app.use(sessionRoutes(ctx));
  app.use(dialerConnectionRoutes(ctx, connectionHooks));
  app.use(settingsRoutes(ctx));
  app.use(activityRoutes(ctx));
  app.use(mappingRoutes(ctx));
  app.use(contactCardRoutes(ctx));
  app.use(unmatchedCallRoutes(ctx));
  app.use(privacyRoutes(ctx));
  app.use(uninstallRoutes(ctx));
  app.use(apiHealthRoutes(ctx));
  app.use(propertyMappingRoutes(ctx));
  app.use(operationRoutes(ctx));

  // Workflow actions (HubSpot-signed, portal from the signed body).
  app.use(workflowActionRoutes(ctx));

  app.use((_req, res) => sendError(res, 404, 'not_found', 'No such route.'));
  // hubspot.fetch replays a 5xx once and shows the page only a generic error: known failures of
  // the /api routes are 4xx with a message (workflow actions and webhooks keep 5xx = retry).
  app.use('/api', apiErrorMapping([hubSpotFailureAnswer, dialerFailureAnswer]));
  app.use(errorHandler(ctx.logger));
  return app;
}
