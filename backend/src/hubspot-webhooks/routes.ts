import express, { Router } from 'express';
import { z } from 'zod';
import { verifyHubSpotSignature } from '../hubspot/signature.ts';
import type { AppContext } from '../platform/context.ts';
import { sendError } from '../platform/http-errors.ts';
import { verifyBody } from '../platform/json-depth.ts';
import { hubSpotWebhookEventSchema } from './events.ts';
import { storeHubSpotEvents } from './store.ts';

/** HubSpot sends at most 100 events per delivery. */
const deliverySchema = z.array(hubSpotWebhookEventSchema).min(1).max(100);

/**
 * `POST /hubspot/webhooks`: HubSpot's app webhooks (contact changes, deletions, merges, privacy
 * deletions). Verify the v3 signature over the raw body, store each event once, queue the
 * portal's processing job in the same transaction, answer. Handlers run in the job.
 */
export function hubSpotWebhookRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post(
    '/hubspot/webhooks',
    express.raw({ type: () => true, limit: '1mb', verify: verifyBody }),
    async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const check = verifyHubSpotSignature(
        ctx.config.hubspot.clientSecret,
        {
          method: req.method,
          uri: `${ctx.config.publicBaseUrl}${req.originalUrl}`,
          rawBody,
          headers: req.headers,
        },
        { allowV2: false, nowMs: ctx.now() },
      );
      if (!check.ok) {
        ctx.logger.warn({ reason: check.reason }, 'rejected HubSpot webhook signature');
        return sendError(
          res,
          401,
          'invalid_signature',
          'The delivery is not signed by HubSpot for this app.',
        );
      }
      const delivery = parseDelivery(rawBody);
      if (!delivery.ok) return sendError(res, 400, 'invalid_payload', delivery.message);
      const result = await storeHubSpotEvents(ctx, delivery.events);
      res.json(result);
    },
  );
  return router;
}

function parseDelivery(rawBody: string) {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false as const, message: 'The delivery is not valid JSON.' };
  }
  const parsed = deliverySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return {
      ok: false as const,
      message: `Expected a JSON array of 1 to 100 HubSpot webhook events${where}: ${issue?.message ?? 'invalid'}.`,
    };
  }
  return { ok: true as const, events: parsed.data };
}
