import { Router } from 'express';
import { z } from 'zod';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError } from '../platform/http-errors.ts';
import { listAudit } from './audit.ts';
import { erasePerson, InvalidPhoneError } from './erase.ts';

export const erasureBody = z
  .object({
    email: z.string().trim().max(254).email().optional(),
    phone: z.string().trim().min(3).max(40).optional(),
    hubspotContactId: z
      .string()
      .trim()
      .regex(/^\d{1,20}$/)
      .optional(),
    deleteInDialer: z.boolean().optional(),
    confirm: z.literal('ERASE', {
      message: 'Type ERASE in "confirm": an erasure cannot be undone.',
    }),
  })
  .strict()
  .refine((body) => body.email || body.phone || body.hubspotContactId, {
    message: 'Name the person: email, phone or hubspotContactId.',
  });

const EXAMPLE =
  'Send {"email": "...", "phone": "...", "hubspotContactId": "...", "deleteInDialer": false, "confirm": "ERASE"} with at least one of email, phone or hubspotContactId.';

/** GDPR erasure (`POST /api/privacy/erasures`, super admin) and its audit (`GET`). */
export function privacyRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/api/privacy/erasures', async (req, res) => {
    res.json({ items: await listAudit(ctx.db, trusted(req).installation.id) });
  });
  router.post('/api/privacy/erasures', requireSuperAdmin(ctx), async (req, res) => {
    const body = erasureBody.safeParse(req.body);
    if (!body.success)
      throw new HttpError(400, 'invalid_request', `${body.error.issues[0]?.message ?? ''} ${EXAMPLE}`.trim());
    const { installation, userId } = trusted(req);
    try {
      const { confirm: _confirm, ...request } = body.data;
      const claim = { installationId: installation.id, source: 'api' as const, userId, hubspotEventId: null };
      res.json(await erasePerson(ctx, claim, request));
    } catch (error) {
      if (error instanceof InvalidPhoneError)
        throw new HttpError(
          400,
          'invalid_phone',
          "The phone number is not a valid number (use +country code, or the number as dialled in the Dialer.io account's country).",
        );
      throw error;
    }
  });
  return router;
}
