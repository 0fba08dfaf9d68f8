import { Router } from 'express';
import { z } from 'zod';
import { recordActivity } from '../activity/record.ts';
import {
  missedCallsPatchSchema,
  readMissedCallSettings,
  updateMissedCallSettings,
} from '../call-follow-up/settings.ts';
import {
  changeContactSyncSettings,
  contactSyncPatchSchema,
  getContactSyncSettings,
} from '../contact-sync/settings.ts';
import { requireSuperAdmin, trusted } from '../hubspot/signed-requests.ts';

import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { HttpError } from '../platform/http-errors.ts';
import { isDebugMode, sendsTranscripts, setDebugMode, setSendTranscripts } from './repository.ts';

const patchBody = z
  .object({
    debugMode: z.boolean().optional(),
    sendTranscripts: z.boolean().optional(),
    missedCalls: missedCallsPatchSchema.optional(),
    contactSync: contactSyncPatchSchema.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0);

async function readSettings(db: Db, installationId: string) {
  return {
    debugMode: await isDebugMode(db, installationId),
    sendTranscripts: await sendsTranscripts(db, installationId),
    missedCalls: await readMissedCallSettings(db, installationId),
    contactSync: await getContactSyncSettings(db, installationId),
  };
}

export function settingsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/api/settings', async (req, res) => {
    res.json(await readSettings(ctx.db, trusted(req).installation.id));
  });
  router.patch('/api/settings', requireSuperAdmin(ctx), async (req, res) => {
    const body = patchBody.safeParse(req.body);
    if (!body.success)
      throw new HttpError(
        400,
        'invalid_request',
        'Send {"debugMode": true | false}, {"sendTranscripts": true | false} and/or {"missedCalls": {"enabled", "dueMinutes", "fallbackOwnerId"}} and/or {"contactSync": {"creation", "createFromHubSpot", "updates"}}.',
      );
    const { installation, userId } = trusted(req);
    const { debugMode, sendTranscripts, missedCalls, contactSync } = body.data;
    if (sendTranscripts !== undefined)
      await changeSendTranscripts(ctx.db, installation.id, userId, sendTranscripts);
    if (contactSync) await changeContactSyncSettings(ctx, trusted(req), contactSync);
    // Recorded only when something changed: a replayed request (HubSpot retries a 5xx) or a
    // second click writes no second entry.
    const missedBefore = missedCalls && JSON.stringify(await readMissedCallSettings(ctx.db, installation.id));
    if (missedCalls) await updateMissedCallSettings(ctx.db, installation.id, missedCalls);
    if (
      missedCalls &&
      missedBefore !== JSON.stringify(await readMissedCallSettings(ctx.db, installation.id))
    ) {
      await recordActivity(ctx.db, installation.id, [
        {
          level: 'info',
          step: 'settings_changed',
          message: 'Missed-call task settings changed.',
          details: { userId, missedCalls },
        },
      ]);
    }
    if (debugMode !== undefined && debugMode !== (await isDebugMode(ctx.db, installation.id))) {
      await setDebugMode(ctx.db, installation.id, debugMode);
      await recordActivity(ctx.db, installation.id, [
        {
          level: 'info',
          step: 'settings_changed',
          message: debugMode
            ? 'Debug mode turned on: calls are processed but nothing is written to HubSpot.'
            : 'Debug mode turned off: calls are written to HubSpot again.',
          details: { userId },
        },
      ]);
    }
    res.json(await readSettings(ctx.db, installation.id));
  });
  return router;
}

async function changeSendTranscripts(db: Db, installationId: string, userId: number | null, on: boolean) {
  await setSendTranscripts(db, installationId, on);
  await recordActivity(db, installationId, [
    {
      level: 'info',
      step: 'settings_changed',
      message: on
        ? 'Dialer.io transcripts are sent to HubSpot from now on.'
        : 'Dialer.io transcripts are no longer sent to HubSpot (HubSpot transcribes recordings itself where it can).',
      details: { userId },
    },
  ]);
}
