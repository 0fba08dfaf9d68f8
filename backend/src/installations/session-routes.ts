import { Router } from 'express';
import { signedUserIsSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';

/** `GET /api/session`: who is looking (from the signed URL) and what they may do. */
export function sessionRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/api/session', async (req, res) => {
    const { portalId, userId, installation } = trusted(req);
    const superAdmin = await signedUserIsSuperAdmin(ctx, installation, userId);
    res.json({
      portalId,
      userId,
      superAdmin,
      installation: { status: installation.status, installedAt: installation.installed_at },
    });
  });
  return router;
}
