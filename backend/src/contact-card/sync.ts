import { recordActivity } from '../activity/record.ts';
import { DialerApiError, type DialerContactInput } from '../dialer/index.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError, UPSTREAM_FAILED } from '../platform/http-errors.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { contactPhone } from '../phone/index.ts';
import { ownerEmail, saveContactLink } from '../workflow-actions/repository.ts';

async function connected(ctx: AppContext, installation: Installation) {
  const connection = await findConnection(ctx.db, installation.id);
  if (!connection)
    throw new HttpError(409, 'dialer_not_connected', 'Connect Dialer.io in the Dialer Sync settings first.');
  return connection;
}

async function dialerCall<T>(
  ctx: AppContext,
  installationId: string,
  contactId: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DialerApiError)) throw error;
    const message =
      error.code === 'invalid_token'
        ? 'Dialer.io refused the API token: reconnect Dialer.io in the settings.'
        : `Dialer.io answered: ${error.message}`;
    await saveContactLink(ctx.db, installationId, contactId, { synced: false, error: message });
    throw new HttpError(
      error.code === 'invalid_token' ? 409 : error.code === 'rate_limited' ? 429 : UPSTREAM_FAILED,
      `dialer_${error.code}`,
      message,
    );
  }
}

/** "Sync to Dialer.io now": the contact's phone, name, email, company and owner, upserted. */
export async function syncContactNow(
  ctx: AppContext,
  installation: Installation,
  contactId: string,
  properties: Record<string, string | null | undefined>,
) {
  const connection = await connected(ctx, installation);
  const phone = contactPhone(properties, connection.country);
  if (!phone.ok) {
    const message =
      phone.code === 'NO_PHONE'
        ? 'This contact has no phone number: add one in HubSpot, then sync again.'
        : 'The phone number of this contact is not a number Dialer.io can call.';
    await saveContactLink(ctx.db, installation.id, contactId, { synced: false, error: message });
    throw new HttpError(400, phone.code === 'NO_PHONE' ? 'no_phone' : 'invalid_phone', message);
  }
  const owner = properties.hubspot_owner_id
    ? await ownerEmail(ctx.db, installation.id, properties.hubspot_owner_id)
    : null;
  const body: DialerContactInput = {
    phone: phone.e164,
    email: properties.email?.trim() || null,
    first_name: properties.firstname?.trim() || null,
    last_name: properties.lastname?.trim() || null,
    company: properties.company?.trim() || null,
    ...(owner ? { owner_email: owner } : {}),
  };
  const client = dialerClientFor(ctx, connection);
  const { contact } = await dialerCall(ctx, installation.id, contactId, () =>
    client.upsertContact(contactId, body),
  );
  const lists = contact.lists.map(({ id, name }) => ({ id, name }));
  await saveContactLink(ctx.db, installation.id, contactId, {
    synced: true,
    dialerContactId: contact.id,
    phoneE164: phone.e164,
    lists,
  });
  await recordActivity(ctx.db, installation.id, [
    {
      contactId,
      phoneE164: phone.e164,
      level: 'info',
      step: 'contact_synced',
      message: `Contact ${contactId} synced to Dialer.io from the contact card.`,
    },
  ]);
  return { synced: true, dialerContactId: contact.id };
}

/** "Remove from all Dialer lists". */
export async function removeFromAllLists(ctx: AppContext, installation: Installation, contactId: string) {
  const connection = await connected(ctx, installation);
  const client = dialerClientFor(ctx, connection);
  await dialerCall(ctx, installation.id, contactId, () => client.removeAllMemberships(contactId));
  await saveContactLink(ctx.db, installation.id, contactId, {
    synced: true,
    dialerContactId: null,
    phoneE164: null,
    lists: [],
  });
  await recordActivity(ctx.db, installation.id, [
    {
      contactId,
      level: 'info',
      step: 'contact_removed_from_lists',
      message: `Contact ${contactId} removed from every Dialer.io list from the contact card.`,
    },
  ]);
  return { removed: true };
}
