import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { completeInstall, startInstall } from './install.ts';
import { renderPage } from './pages.ts';

/**
 * `state` is absent when HubSpot started the install (the app's install URL in HubSpot, a test
 * account, a listing button): nothing of ours to check then. A `state` that is present must be
 * one we issued, unexpired and unused.
 */
const callbackQuery = z.object({
  code: z.string().min(1).max(2048),
  state: z.string().max(512).optional(),
});

export function oauthRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/oauth/install', async (_req, res) => {
    res.redirect(302, await startInstall(ctx));
  });

  router.get('/oauth/callback', async (req, res) => {
    if (typeof req.query.error === 'string') {
      res
        .status(400)
        .type('html')
        .send(
          renderPage(
            'Installation cancelled',
            'HubSpot did not grant access, so nothing was installed. You can start again from the HubSpot marketplace.',
          ),
        );
      return;
    }
    const query = callbackQuery.safeParse(req.query);
    if (!query.success) {
      res
        .status(400)
        .type('html')
        .send(
          renderPage(
            'Installation failed',
            'The link from HubSpot is incomplete. Start the installation again.',
          ),
        );
      return;
    }
    const result = await completeInstall(ctx, query.data);
    if (result.ok) {
      res
        .status(200)
        .type('html')
        .send(
          renderPage(
            'Dialer Sync is installed',
            `HubSpot portal ${result.installation.portal_id} is connected. Open HubSpot → Marketplace → Connected apps → Dialer Sync → Settings to connect Dialer.io.`,
          ),
        );
      return;
    }
    const status = result.reason === 'hubspot_unavailable' ? 502 : 400;
    res
      .status(status)
      .type('html')
      .send(renderPage('Installation failed', `${result.message} Start the installation again.`));
  });

  return router;
}
