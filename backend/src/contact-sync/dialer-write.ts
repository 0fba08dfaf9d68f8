import {
  DialerApiError,
  type DialerClient,
  type DialerContact,
  type DialerContactInput,
} from '../dialer/index.ts';
import type { Db } from '../platform/db/database.ts';
import { saveLink } from './links.ts';
import {
  reserveTargetValues,
  restoreTargetValues,
  saveSyncedValues,
  valueKey,
  type SyncedRow,
  type SyncedValue,
} from './sync-values.ts';

export interface DialerWrite {
  contactId: string;
  dialerExternalId: string;
  body: DialerContactInput;
  /** The values this write syncs (remembered, so their echo is ignored). */
  written: SyncedRow[];
  /** What was stored before, to undo the reservation when Dialer.io refuses. */
  previous: Map<string, SyncedValue>;
  createdBy: 'hubspot' | 'link';
}

/**
 * One `PUT /v1/contacts/{external id}`: the values are reserved on the Dialer.io side first (their
 * `contact.updated` echo can arrive before the answer), confirmed and linked after. A refusal
 * (4xx) undoes the reservation and returns null; an outage throws for the job to retry.
 */
export async function writeToDialer(
  db: Db,
  installationId: string,
  dialer: DialerClient,
  write: DialerWrite,
): Promise<{ contact: DialerContact } | { refused: string }> {
  await reserveTargetValues(db, installationId, write.written, 'dialer');
  try {
    const { contact } = await dialer.upsertContact(write.dialerExternalId, write.body);
    await confirmDialerWrite(db, installationId, write, contact);
    return { contact };
  } catch (error) {
    if (!(error instanceof DialerApiError) || error.retryable) throw error;
    await restoreTargetValues(
      db,
      installationId,
      write.written.map((row) => ({
        ...row,
        previous: write.previous.get(valueKey(row.contactId, row.dialerField)),
      })),
      'dialer',
    );
    return { refused: error.message };
  }
}

/**
 * Records a write that reached Dialer.io: the values it synced, and the link to the Dialer.io
 * contact. Also for a write whose answer was lost and that was found in Dialer.io afterwards.
 */
export async function confirmDialerWrite(
  db: Db,
  installationId: string,
  write: Pick<DialerWrite, 'contactId' | 'dialerExternalId' | 'written' | 'createdBy'>,
  contact: DialerContact,
): Promise<void> {
  await saveSyncedValues(db, installationId, write.written);
  await saveLink(db, installationId, {
    contactId: write.contactId,
    dialerExternalId: write.dialerExternalId,
    dialerContactId: contact.id,
    createdBy: write.createdBy,
  });
}
