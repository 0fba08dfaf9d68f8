import type { PersonalDataEraser } from '../privacy/erasers.ts';
import { forgetRecordingLink } from './link-cache.ts';

/**
 * What an erasure removes of recordings: `call_media` rows of the erased calls (their state and
 * HubSpot's transcript id; no audio and no transcript text is ever stored), and any signed link
 * this process still holds for them. After it, HubSpot's request for those recordings gets 404.
 */
export const recordingErasers: PersonalDataEraser[] = [
  {
    name: 'callMedia',
    async erase(db, scope) {
      if (scope.callIds.length === 0) return 0;
      const deleted = await db
        .deleteFrom('call_media')
        .where('installation_id', '=', scope.installationId)
        .where('call_id', 'in', scope.callIds)
        .executeTakeFirst();
      scope.callIds.forEach((callId) => forgetRecordingLink(scope.installationId, callId));
      return Number(deleted.numDeletedRows);
    },
  },
];
