import { sql } from 'kysely';
import type { PersonalDataEraser } from '../privacy/erasers.ts';
import { keysOfRowsMentioning } from '../privacy/scan.ts';

const orNone = (values: Iterable<string>) => {
  const list = [...values];
  return list.length > 0 ? list : [''];
};

/** The person's synced values and links, and the Dialer.io contact.updated events that mention them. */
const contactSyncData: PersonalDataEraser = {
  name: 'contactSync',
  async erase(db, scope) {
    const contactIds = orNone(scope.subject.contactIds);
    const values = await db
      .deleteFrom('contact_sync_values')
      .where('installation_id', '=', scope.installationId)
      .where('contact_id', 'in', contactIds)
      .executeTakeFirst();
    const writes = await db
      .deleteFrom('contact_sync_writes')
      .where('installation_id', '=', scope.installationId)
      .where('contact_id', 'in', contactIds)
      .executeTakeFirst();
    const links = await db
      .deleteFrom('contact_sync_links')
      .where('installation_id', '=', scope.installationId)
      .where('contact_id', 'in', contactIds)
      .executeTakeFirst();
    const mentioned = await keysOfRowsMentioning<string>(
      db,
      'contact_sync_inbox',
      sql`id`,
      sql`payload`,
      scope.installationId,
      scope.subject,
    );
    // `id` is a bigint: with nothing mentioned there is nothing to delete (an empty-string id would not parse).
    const events =
      mentioned.length === 0
        ? { numDeletedRows: 0n }
        : await db
            .deleteFrom('contact_sync_inbox')
            .where('installation_id', '=', scope.installationId)
            .where('id', 'in', mentioned.map(String))
            .executeTakeFirst();
    return (
      Number(values.numDeletedRows) +
      Number(writes.numDeletedRows) +
      Number(links.numDeletedRows) +
      Number(events.numDeletedRows)
    );
  },
};

export const contactSyncErasers: PersonalDataEraser[] = [contactSyncData];
