import express, { Router } from 'express';
import { DialerPayloadError, parseDialerEvent, verifyDialerSignature } from '../dialer/index.ts';
import { resolveWebhookKey } from '../dialer-connection/webhook-keys.ts';
import type { AppContext } from '../platform/context.ts';
import { sendError } from '../platform/http-errors.ts';
import { verifyBody } from '../platform/json-depth.ts';
import { jsonbSafe } from '../platform/jsonb-safe.ts';
import { acceptEvent } from './ingest.ts';

/**
 * `POST /dialer/webhooks/:key`: verify, persist, enqueue, answer. Nothing slow happens before
 * the answer; the calls.sync job does the rest.
 */
export function dialerWebhookRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post(
    '/dialer/webhooks/:key',
    express.raw({ type: () => true, limit: '512kb', verify: verifyBody }),
    async (req, res) => {
      const target = await resolveWebhookKey(ctx.db, ctx.box.decrypt, String(req.params.key));
      if (!target)
        return sendError(res, 404, 'unknown_webhook', 'No Dialer Sync connection has this webhook URL.');
      const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifyDialerSignature({
        secret: target.secret,
        rawBody,
        header: req.headers['dialer-signature'],
        nowSeconds: Math.floor(ctx.now() / 1000),
      });
      if (!check.ok)
        return sendError(res, 401, 'invalid_signature', `Dialer-Signature rejected: ${check.reason}.`);
      let event;
      try {
        // NUL characters and unpaired surrogates (valid JSON, refused by jsonb) become U+FFFD.
        event = jsonbSafe(parseDialerEvent(rawBody));
      } catch (error) {
        if (error instanceof DialerPayloadError) return sendError(res, 400, 'invalid_payload', error.message);
        throw error;
      }
      if (event.kind === 'unknown') {
        ctx.logger.info(
          { installationId: target.installationId, type: event.type },
          'ignored Dialer.io event of an unknown type',
        );
        return res.json({ status: 'ignored' });
      }
      const accepted = await acceptEvent(ctx, target.installationId, event);
      res.json({ status: accepted ? 'accepted' : 'duplicate' });
    },
  );
  return router;
}
