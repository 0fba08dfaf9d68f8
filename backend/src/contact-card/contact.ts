import { z } from 'zod';
import { HubSpotError } from '../hubspot/errors.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError, UPSTREAM_FAILED } from '../platform/http-errors.ts';

export const CONTACT_PROPERTIES = [
  'phone',
  'mobilephone',
  'email',
  'firstname',
  'lastname',
  'company',
  'hubspot_owner_id',
];

const contactAnswer = z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullish()) });

/**
 * The HubSpot contact as the signed portal sees it: one read with the portal's own token, so a
 * contact id of another portal is a 404 here and never reaches Dialer.io or our tables.
 */
export async function contactOfPortal(ctx: AppContext, installation: Installation, contactId: string) {
  if (!/^\d{1,20}$/.test(contactId))
    throw new HttpError(400, 'invalid_contact', 'A HubSpot contact id is a number.');
  try {
    const answer = await ctx.hubspot.forInstallation(installation).send('readContact', {
      params: { contactId },
      query: { properties: CONTACT_PROPERTIES.join(',') },
    });
    return contactAnswer.parse(answer).properties;
  } catch (error) {
    if (error instanceof HubSpotError && error.code === 'not_found') {
      throw new HttpError(404, 'unknown_contact', 'This contact does not exist in this HubSpot portal.');
    }
    if (error instanceof HubSpotError)
      throw new HttpError(
        UPSTREAM_FAILED,
        'hubspot_unavailable',
        'HubSpot could not be reached. Try again in a minute.',
      );
    throw error;
  }
}
