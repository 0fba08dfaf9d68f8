import {
  DialerApiError,
  type DialerClient,
  type DialerContact,
  type DialerContactInput,
} from '../dialer/index.ts';
import type { AppContext } from '../platform/context.ts';
import { saveLink } from './links.ts';
import { observeAll, wrote, type Rules } from './reconcile.ts';
import type { FieldState } from './sync-model.ts';
import { fieldKey, finishWrites, loadStates, loadWrites, logWrites, saveStates } from './sync-state.ts';
import { dialerChangedAt, dialerContactHolds, setDialerField } from './values.ts';

/** One field of a HubSpot contact as read, in both forms. */
export interface ReadField {
  dialerField: string;
  hubspotValue: string;
  dialerValue: string;
}

export interface ContactWrite {
  contactId: string;
  dialerExternalId: string;
  /** The Dialer.io phone (E.164): the API needs one. */
  phone: string;
  fields: ReadField[];
  /** When HubSpot was read (before the read): the values are HubSpot's as of then at least. */
  readAt: number;
  /** The previous attempt's answer was lost: read Dialer.io back before sending again. */
  inFlight: boolean;
  createdBy: 'hubspot' | 'link';
}

/**
 * A whole HubSpot contact written to Dialer.io (a pull, or a create) through the sync model
 * (decision 0012): the values read are observations of HubSpot as of the read, a field whose
 * winner is a later change on Dialer.io is not sent, the write is logged before the `PUT` (its
 * `contact.updated` echo can come first) and held by Dialer.io from the answer's time on, and the
 * contacts are linked. A contact already written whose answer was lost is confirmed, not sent
 * again. A refusal (4xx) returns it; an outage throws for the job to retry.
 */
export async function writeContactToDialer(
  ctx: AppContext,
  installationId: string,
  dialer: DialerClient,
  rules: Rules,
  write: ContactWrite,
): Promise<{ contact: DialerContact } | { refused: string }> {
  const { contactId } = write;
  const states = await loadStates(ctx.db, installationId, [contactId]);
  const logged = await loadWrites(ctx.db, installationId, [contactId]);
  const observations = write.fields.map((f) => ({
    contactId,
    dialerField: f.dialerField,
    side: 'hubspot' as const,
    value: f.hubspotValue,
    at: write.readAt,
  }));
  const touched = observeAll(observations, states, logged, rules);
  const stateOf = (f: ReadField) => states.get(fieldKey(contactId, f.dialerField));
  const winnerOf = (f: ReadField) => stateOf(f)?.dialerValue ?? null;
  const sent = write.fields.filter((f) => winnerOf(f) === null || winnerOf(f) === f.dialerValue);
  // A later Dialer.io phone stays (the API needs one in every PUT).
  const phoneField = write.fields.find((f) => f.dialerField === 'phone');
  const body: DialerContactInput = { phone: (phoneField && winnerOf(phoneField)) || write.phone };
  for (const f of sent) setDialerField(body, f.dialerField, f.dialerValue);
  for (const f of sent) touched.add(fieldKey(contactId, f.dialerField));
  const held = (contact: DialerContact) => {
    for (const f of sent) wrote(stateOf(f), 'dialer', f.dialerValue, dialerChangedAt(contact, ctx.now()));
  };
  try {
    const existing = write.inFlight ? await dialer.getContact(write.dialerExternalId) : null;
    if (existing && dialerContactHolds(existing, body)) {
      held(existing);
      await linkWritten(ctx, installationId, write, existing);
      return { contact: existing };
    }
    const ids = await logWrites(
      ctx.db,
      installationId,
      'dialer',
      sent.map(planned(write, states)),
      ctx.now(),
    );
    const { contact } = await dialer.upsertContact(write.dialerExternalId, body);
    await finishWrites(ctx.db, ids, ctx.now());
    held(contact);
    await linkWritten(ctx, installationId, write, contact);
    return { contact };
  } catch (error) {
    if (!(error instanceof DialerApiError) || error.retryable) throw error;
    return { refused: error.message };
  } finally {
    await saveStates(ctx.db, installationId, states, touched);
  }
}

const planned = (write: ContactWrite, states: Map<string, FieldState>) => (f: ReadField) => ({
  contactId: write.contactId,
  dialerField: f.dialerField,
  value: f.dialerValue,
  originAt: states.get(fieldKey(write.contactId, f.dialerField))?.changedAt ?? write.readAt,
});

async function linkWritten(
  ctx: AppContext,
  installationId: string,
  write: ContactWrite,
  contact: DialerContact,
): Promise<void> {
  await saveLink(ctx.db, installationId, {
    contactId: write.contactId,
    dialerExternalId: write.dialerExternalId,
    dialerContactId: contact.id,
    createdBy: write.createdBy,
  });
}
