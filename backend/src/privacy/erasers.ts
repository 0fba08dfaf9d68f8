import { sql } from 'kysely';
import { followUpErasers } from '../call-follow-up/personal-data.ts';
import { contactSyncErasers } from '../contact-sync/personal-data.ts';
import type { Db } from '../platform/db/database.ts';
import { recordingErasers } from '../recordings/personal-data.ts';
import { keysOfRowsMentioning, tableExists } from './scan.ts';
import type { Subject } from './subject.ts';

/** What an eraser gets: the subject, and the Dialer.io call ids whose rows were erased so far. */
export interface ErasureScope {
  installationId: string;
  subject: Subject;
  callIds: string[];
}

/**
 * One table's share of an erasure; returns how many rows it deleted or redacted. A capability
 * that stores personal data appends its eraser to `personalDataErasers` (they run in order, in
 * the erasure's transaction).
 */
export interface PersonalDataEraser {
  name: string;
  erase(db: Db, scope: ErasureScope): Promise<number>;
}

const contactIdsOf = (scope: ErasureScope) => [...scope.subject.contactIds];
const phonesOf = (scope: ErasureScope) => [...scope.subject.phones.keys()];
/** An `in` list that matches nothing (no stored id or number is empty). */
const none = [''];
const orNone = (values: string[]) => (values.length > 0 ? values : none);

const calls: PersonalDataEraser = {
  name: 'calls',
  async erase(db, scope) {
    const mentioned = await keysOfRowsMentioning<string>(
      db,
      'calls',
      sql`call_id`,
      sql`data`,
      scope.installationId,
      scope.subject,
    );
    const deleted = await db
      .deleteFrom('calls')
      .where('installation_id', '=', scope.installationId)
      .where((eb) =>
        eb.or([
          eb('contact_id', 'in', orNone(contactIdsOf(scope))),
          eb('phone_e164', 'in', orNone(phonesOf(scope))),
          eb('call_id', 'in', orNone(mentioned)),
        ]),
      )
      .returning('call_id')
      .execute();
    scope.callIds.push(...deleted.map((row) => row.call_id));
    return deleted.length;
  },
};

const dialerWebhookPayloads: PersonalDataEraser = {
  name: 'webhookPayloads',
  async erase(db, scope) {
    const mentioned = await keysOfRowsMentioning<number>(
      db,
      'webhook_inbox',
      sql`id`,
      sql`payload`,
      scope.installationId,
      scope.subject,
    );
    const deleted = await db
      .deleteFrom('webhook_inbox')
      .where('installation_id', '=', scope.installationId)
      .where((eb) =>
        eb.or([
          eb('call_id', 'in', orNone(scope.callIds)),
          eb('id', 'in', mentioned.length ? mentioned : [-1]),
        ]),
      )
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  },
};

/** HubSpot's app-webhook inbox (the receiver's table): payloads that mention the person go. */
const hubSpotWebhookPayloads: PersonalDataEraser = {
  name: 'hubspotWebhookPayloads',
  async erase(db, scope) {
    if (!(await tableExists(db, 'hubspot_webhook_inbox'))) return 0;
    const mentioned = await keysOfRowsMentioning<string>(
      db,
      'hubspot_webhook_inbox',
      sql`id::text`,
      sql`payload`,
      scope.installationId,
      scope.subject,
    );
    if (mentioned.length === 0) return 0;
    const result = await sql`delete from hubspot_webhook_inbox
      where installation_id = ${scope.installationId} and id::text in (${sql.join(mentioned)})`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  },
};

const activityLog: PersonalDataEraser = {
  name: 'activityEntriesRedacted',
  async erase(db, scope) {
    const mentioned = await keysOfRowsMentioning<number>(
      db,
      'activity_log',
      sql`id`,
      sql`jsonb_build_object('message', message, 'details', details)`,
      scope.installationId,
      scope.subject,
    );
    const redacted = await db
      .updateTable('activity_log')
      .set({ contact_id: null, phone_e164: null, details: null, message: 'Personal data erased.' })
      .where('installation_id', '=', scope.installationId)
      .where((eb) =>
        eb.or([
          eb('contact_id', 'in', orNone(contactIdsOf(scope))),
          eb('phone_e164', 'in', orNone(phonesOf(scope))),
          eb('call_id', 'in', orNone(scope.callIds)),
          eb('id', 'in', mentioned.length ? mentioned : [-1]),
        ]),
      )
      .executeTakeFirst();
    return Number(redacted.numUpdatedRows);
  },
};

const byContactOrPhone = (table: 'contact_links' | 'phone_lookups', name: string): PersonalDataEraser => ({
  name,
  async erase(db, scope) {
    const deleted = await db
      .deleteFrom(table)
      .where('installation_id', '=', scope.installationId)
      .where((eb) =>
        eb.or([
          eb('contact_id', 'in', orNone(contactIdsOf(scope))),
          eb('phone_e164', 'in', orNone(phonesOf(scope))),
        ]),
      )
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  },
});

const cachedNames: PersonalDataEraser = {
  name: 'cachedNames',
  async erase(db, scope) {
    const deleted = await db
      .deleteFrom('contact_cache')
      .where('installation_id', '=', scope.installationId)
      .where('contact_id', 'in', orNone(contactIdsOf(scope)))
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  },
};

/** Workflow executions stay (HubSpot's callbackId must stay idempotent); their request goes. */
const workflowRequests: PersonalDataEraser = {
  name: 'workflowRequests',
  async erase(db, scope) {
    const mentioned = await keysOfRowsMentioning<string>(
      db,
      'workflow_executions',
      sql`callback_id`,
      sql`request`,
      scope.installationId,
      scope.subject,
    );
    const redacted = await db
      .updateTable('workflow_executions')
      .set({ request: null })
      .where('installation_id', '=', scope.installationId)
      .where((eb) =>
        eb.or([
          eb('contact_id', 'in', orNone(contactIdsOf(scope))),
          eb('callback_id', 'in', orNone(mentioned)),
        ]),
      )
      .executeTakeFirst();
    return Number(redacted.numUpdatedRows);
  },
};

export const personalDataErasers: PersonalDataEraser[] = [
  calls,
  dialerWebhookPayloads,
  hubSpotWebhookPayloads,
  activityLog,
  byContactOrPhone('contact_links', 'contactLinks'),
  byContactOrPhone('phone_lookups', 'phoneLookups'),
  cachedNames,
  workflowRequests,
  ...followUpErasers,
  ...contactSyncErasers,
  ...recordingErasers,
];
