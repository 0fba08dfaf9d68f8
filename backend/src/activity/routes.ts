import { Router } from 'express';
import { z } from 'zod';
import { normalisePhone } from '../phone/index.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import { retryCalls } from './retry.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError } from '../platform/http-errors.ts';

const listQuery = z.object({
  callId: z.string().min(1).max(200).optional(),
  phone: z.string().min(3).max(40).optional(),
  level: z.enum(['info', 'warning', 'error']).optional(),
  cursor: z.string().regex(/^\d+$/, 'cursor must come from nextCursor').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function activityRoutes(ctx: AppContext): Router {
  const router = Router();

  /** Newest first; filters by call, phone number (any format) and level; cursor pagination. */
  router.get('/api/activity', async (req, res) => {
    const { portalId: _p, userId: _u, ...rest } = req.query;
    const query = listQuery.safeParse(rest);
    if (!query.success)
      throw new HttpError(400, 'invalid_request', query.error.issues[0]?.message ?? 'Invalid filters.');
    const { installation } = trusted(req);
    const q = query.data;
    let phone: string | null = null;
    if (q.phone) {
      const country = (await findConnection(ctx.db, installation.id))?.country ?? 'US';
      phone = normalisePhone(q.phone, country)?.e164 ?? null;
      if (!phone) throw new HttpError(400, 'invalid_phone', 'That is not a phone number we can read.');
    }
    let select = ctx.db.selectFrom('activity_log').selectAll().where('installation_id', '=', installation.id);
    if (q.callId) select = select.where('call_id', '=', q.callId);
    if (phone) select = select.where('phone_e164', '=', phone);
    if (q.level) select = select.where('level', '=', q.level);
    if (q.cursor) select = select.where('id', '<', Number(q.cursor));
    const rows = await select
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    res.json({
      items: page.map((row) => ({
        id: row.id,
        callId: row.call_id,
        contactId: row.contact_id,
        level: row.level,
        step: row.step,
        message: row.message,
        details: row.details,
        createdAt: new Date(row.created_at).toISOString(),
      })),
      nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null,
    });
  });

  /** A failed call goes back to the queue (retried by itself too, on a schedule). */
  router.post('/api/activity/calls/:callId/retry', requireSuperAdmin(ctx), async (req, res) => {
    const { installation, userId } = trusted(req);
    const callId = String(req.params.callId);
    const retried = await retryCalls(ctx, installation.id, userId, [callId]);
    if (retried.length === 0)
      throw new HttpError(
        404,
        'call_not_failed',
        'No failed call with this id: only failed calls can be retried.',
      );
    res.json({ retried: true, callId });
  });

  /** Every failed call of the portal goes back to the queue at once (super admin). */
  router.post('/api/activity/calls/retry-failed', requireSuperAdmin(ctx), async (req, res) => {
    const { installation, userId } = trusted(req);
    if (req.body && typeof req.body === 'object' && Object.keys(req.body as object).length > 0)
      throw new HttpError(400, 'invalid_request', 'This request takes no body.');
    const retried = await retryCalls(ctx, installation.id, userId, undefined);
    res.json({ retried: retried.length });
  });

  return router;
}
