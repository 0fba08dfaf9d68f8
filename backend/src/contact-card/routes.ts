import { Router } from 'express';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { contactOfPortal } from './contact.ts';
import { contactStatus } from './status.ts';
import { removeFromAllLists, syncContactNow } from './sync.ts';

/** The contact card's backend. Every route first checks that the contact belongs to the signed portal. */
export function contactCardRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/api/contacts/:contactId/status', async (req, res) => {
    const { installation } = trusted(req);
    const contactId = String(req.params.contactId);
    await contactOfPortal(ctx, installation, contactId);
    res.json(await contactStatus(ctx, installation, contactId));
  });
  router.post('/api/contacts/:contactId/sync', async (req, res) => {
    const { installation } = trusted(req);
    const contactId = String(req.params.contactId);
    const properties = await contactOfPortal(ctx, installation, contactId);
    res.json(await syncContactNow(ctx, installation, contactId, properties));
  });
  router.delete('/api/contacts/:contactId/memberships', requireSuperAdmin(ctx), async (req, res) => {
    const { installation } = trusted(req);
    const contactId = String(req.params.contactId);
    await contactOfPortal(ctx, installation, contactId);
    res.json(await removeFromAllLists(ctx, installation, contactId));
  });
  return router;
}
