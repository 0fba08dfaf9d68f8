import type { PersonalDataEraser } from '../privacy/erasers.ts';

const orNone = (values: Iterable<string>) => {
  const list = [...values];
  return list.length > 0 ? list : [''];
};

/** Missed-call episodes carry the caller's number and name (subject, body): they go. */
const followUpTasks: PersonalDataEraser = {
  name: 'followUpTasks',
  async erase(db, scope) {
    const deleted = await db
      .deleteFrom('follow_up_tasks')
      .where('installation_id', '=', scope.installationId)
      .where((eb) =>
        eb.or([
          eb('contact_id', 'in', orNone(scope.subject.contactIds)),
          eb('phone_e164', 'in', orNone(scope.subject.phones.keys())),
          eb('first_call_id', 'in', orNone(scope.callIds)),
        ]),
      )
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  },
};

/**
 * What the follow-up job saw of the person's calls (and their task memberships), the contact made
 * for their number, and their contact's rollups.
 */
const followUpState: PersonalDataEraser = {
  name: 'followUpState',
  async erase(db, scope) {
    const seen = await db
      .deleteFrom('call_follow_ups')
      .where('installation_id', '=', scope.installationId)
      .where((eb) =>
        eb.or([
          eb('contact_id', 'in', orNone(scope.subject.contactIds)),
          eb('call_id', 'in', orNone(scope.callIds)),
        ]),
      )
      .executeTakeFirst();
    const members = await db
      .deleteFrom('follow_up_task_calls')
      .where('installation_id', '=', scope.installationId)
      .where('call_id', 'in', orNone(scope.callIds))
      .executeTakeFirst();
    const created = await db
      .deleteFrom('unknown_caller_contacts')
      .where('installation_id', '=', scope.installationId)
      .where((eb) =>
        eb.or([
          eb('contact_id', 'in', orNone(scope.subject.contactIds)),
          eb('phone_e164', 'in', orNone(scope.subject.phones.keys())),
        ]),
      )
      .executeTakeFirst();
    const rollups = await db
      .deleteFrom('contact_rollups')
      .where('installation_id', '=', scope.installationId)
      .where('contact_id', 'in', orNone(scope.subject.contactIds))
      .executeTakeFirst();
    return [seen, members, created, rollups].reduce((n, r) => n + Number(r.numDeletedRows), 0);
  },
};

export const followUpErasers: PersonalDataEraser[] = [followUpTasks, followUpState];
