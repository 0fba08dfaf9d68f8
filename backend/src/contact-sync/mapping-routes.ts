import { Router } from 'express';
import { z } from 'zod';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import type { Mapping } from './catalog.ts';
import { contactSyncError } from './errors.ts';
import { listContactProperties } from './hubspot-properties.ts';
import { loadMappings } from './mapping-repository.ts';
import { changeMapping, removeMapping } from './mappings.ts';

const putBody = z
  .object({
    hubspotProperty: z.string().trim().min(1).max(100),
    direction: z.enum(['both', 'hubspot_to_dialer', 'dialer_to_hubspot']),
  })
  .strict();

const view = ({ kind: _kind, ...mapping }: Mapping) => mapping;

/** `/api/property-mappings` and the HubSpot contact properties the panel offers. */
export function propertyMappingRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/api/property-mappings', async (req, res) => {
    const mappings = await loadMappings(ctx.db, trusted(req).installation.id);
    res.json({ mappings: mappings.map(view) });
  });

  router.put('/api/property-mappings/:dialerField', requireSuperAdmin(ctx), async (req, res) => {
    const body = putBody.safeParse(req.body);
    if (!body.success)
      throw contactSyncError(
        'invalid_request',
        'Send {"hubspotProperty": "<name>", "direction": "both" | "hubspot_to_dialer" | "dialer_to_hubspot"}.',
      );
    const { installation } = trusted(req);
    const mapping = await changeMapping(ctx.db, installation.id, ctx.hubspot.forInstallation(installation), {
      dialerField: String(req.params.dialerField),
      ...body.data,
    });
    res.json({ mapping: view(mapping) });
  });

  router.delete('/api/property-mappings/:dialerField', requireSuperAdmin(ctx), async (req, res) => {
    await removeMapping(ctx.db, trusted(req).installation.id, String(req.params.dialerField));
    res.status(204).end();
  });

  router.get('/api/contact-properties', async (req, res) => {
    const { installation } = trusted(req);
    const properties = await listContactProperties(ctx.hubspot.forInstallation(installation), ctx.now());
    res.json({
      items: properties
        .map(({ name, label, type, fieldType, groupName, readOnly }) => ({
          name,
          label,
          type,
          fieldType,
          groupName,
          readOnly,
        }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    });
  });
  return router;
}
