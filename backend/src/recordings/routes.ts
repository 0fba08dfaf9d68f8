import { Router } from 'express';
import { z } from 'zod';
import { DialerApiError } from '../dialer/index.ts';
import { verifyHubSpotSignature } from '../hubspot/signature.ts';
import type { AppContext } from '../platform/context.ts';
import { sendError } from '../platform/http-errors.ts';
import { recordingLink } from './recording-link.ts';
import { RECORDING_PATH } from './recording-path.ts';

const query = z.object({
  appId: z.string().min(1).max(32),
  externalAccountId: z.string().min(16).max(128),
});

/**
 * `GET /hubspot/recordings/:externalId?appId=&externalAccountId=`: what HubSpot calls when a user
 * plays a call (decision 0013). HubSpot documents no signature for it: the request must name our
 * app and the connection's unguessable key, and a signature, when one is sent, must be valid.
 * Answers `{"authenticatedUrl"}`: Dialer.io's signed link; the audio never passes through us.
 */
export function recordingRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get(`${RECORDING_PATH}/:externalId`, async (req, res) => {
    const parsed = query.safeParse(req.query);
    const appId = ctx.config.hubspot.appId;
    if (!parsed.success || !appId || parsed.data.appId !== appId)
      return sendError(res, 404, 'not_found', 'No such recording.');
    if (!signatureAcceptable(ctx, req.method, req.originalUrl, req.headers))
      return sendError(res, 401, 'invalid_signature', 'The request is not signed by HubSpot for this app.');
    try {
      const link = await recordingLink(ctx, parsed.data.externalAccountId, String(req.params.externalId));
      if (!link.ok) return sendError(res, 404, 'not_found', 'No such recording.');
      res.setHeader('cache-control', 'no-store');
      res.json({ authenticatedUrl: link.url });
    } catch (error) {
      if (!(error instanceof DialerApiError)) throw error;
      ctx.logger.warn({ code: error.code }, 'Dialer.io did not give a recording link');
      sendError(res, 502, 'dialer_unavailable', 'Dialer.io did not answer with the recording.');
    }
  });
  return router;
}

/** Unsigned is accepted (HubSpot documents no signature here); a signature sent must be valid. */
function signatureAcceptable(
  ctx: AppContext,
  method: string,
  originalUrl: string,
  headers: Record<string, string | string[] | undefined>,
): boolean {
  const signed = headers['x-hubspot-signature-v3'] ?? headers['x-hubspot-signature'];
  if (signed === undefined) return true;
  const check = verifyHubSpotSignature(
    ctx.config.hubspot.clientSecret,
    { method, uri: `${ctx.config.publicBaseUrl}${originalUrl}`, rawBody: '', headers },
    { allowV2: true, nowMs: ctx.now() },
  );
  return check.ok;
}
