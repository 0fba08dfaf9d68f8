import type { ActivityEntry } from '../activity/record.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { ASSOCIATION_TYPES } from '../hubspot/paths.ts';
import type { Db } from '../platform/db/database.ts';
import { refusedAssociations } from './association-answer.ts';
import { sendInBatches } from './batches.ts';
import { markRollupsDirty } from './rollups.ts';

export interface CallLink {
  callId: string;
  hubspotCallId: string;
  contactId: string;
  phoneE164: string | null;
}

const typed = (typeId: number) => [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }];

/**
 * Gives calls logged without a contact their contact: associates them in HubSpot (100 per
 * request), stores the contact on the call (only where it is still empty), lets the open
 * missed-call task of the number follow (associated to the contact) and marks rollups dirty.
 */
export async function linkCallsToContacts(
  db: Db,
  installationId: string,
  client: PortalClient,
  links: CallLink[],
  activity: ActivityEntry[],
  how: string,
): Promise<number> {
  const refused = new Set<CallLink>();
  // The call or the contact is gone from HubSpot: that one link only.
  const refuse = (link: CallLink, reason: string) => {
    refused.add(link);
    activity.push({
      callId: link.callId,
      contactId: link.contactId,
      level: 'warning',
      step: 'contact_link_refused',
      message: `HubSpot refused to associate this call with contact ${link.contactId}: ${reason}.`,
    });
  };
  await sendInBatches(
    links,
    async (chunk) => {
      const answer = await client.send('batchAssociateCallsToContacts', {
        body: {
          inputs: chunk.map((l) => ({
            from: { id: l.hubspotCallId },
            to: { id: l.contactId },
            types: typed(ASSOCIATION_TYPES.callToContact),
          })),
        },
      });
      const inputs = chunk.map((l) => ({ fromId: l.hubspotCallId, toId: l.contactId }));
      for (const [index, reason] of refusedAssociations(answer, inputs)) refuse(chunk[index]!, reason);
    },
    (link, error) => refuse(link, error.message),
  );
  links = links.filter((l) => !refused.has(l));
  for (const link of links) {
    await db
      .updateTable('calls')
      .set({ contact_id: link.contactId })
      .where('installation_id', '=', installationId)
      .where('call_id', '=', link.callId)
      .where('contact_id', 'is', null)
      .execute();
    activity.push({
      callId: link.callId,
      contactId: link.contactId,
      phoneE164: link.phoneE164,
      level: 'info',
      step: 'contact_matched_late',
      message: `Associated this call with HubSpot contact ${link.contactId} (${how}).`,
    });
  }
  await forgetMissingNumbers(db, installationId, links);
  await tasksFollow(db, installationId, client, links);
  await markRollupsDirty(
    db,
    installationId,
    links.map((l) => l.contactId),
  );
  return links.length;
}

/** Call logging caches "no contact has this number": the number has one now. */
async function forgetMissingNumbers(db: Db, installationId: string, links: CallLink[]) {
  const phones = [...new Set(links.flatMap((l) => (l.phoneE164 ? [l.phoneE164] : [])))];
  if (phones.length === 0) return;
  await db
    .deleteFrom('phone_lookups')
    .where('installation_id', '=', installationId)
    .where('phone_e164', 'in', phones)
    .where('contact_id', 'is', null)
    .execute();
}

/** The number's open missed-call task (created without a contact) is associated to the contact. */
async function tasksFollow(db: Db, installationId: string, client: PortalClient, links: CallLink[]) {
  const byPhone = new Map(links.flatMap((l) => (l.phoneE164 ? [[l.phoneE164, l.contactId] as const] : [])));
  if (byPhone.size === 0) return;
  const tasks = await db
    .selectFrom('follow_up_tasks')
    .select(['id', 'hubspot_task_id', 'phone_e164'])
    .where('installation_id', '=', installationId)
    .where('kind', '=', 'missed')
    .where('state', '=', 'open')
    .where('contact_id', 'is', null)
    .where('phone_e164', 'in', [...byPhone.keys()])
    .execute();
  const open = tasks.filter((t) => t.hubspot_task_id);
  if (open.length === 0) return;
  const answer = await client.send('batchAssociateTasksToContacts', {
    body: {
      inputs: open.map((t) => ({
        from: { id: t.hubspot_task_id },
        to: { id: byPhone.get(t.phone_e164!) },
        types: typed(ASSOCIATION_TYPES.taskToContact),
      })),
    },
  });
  const refused = refusedAssociations(
    answer,
    open.map((t) => ({ fromId: t.hubspot_task_id!, toId: byPhone.get(t.phone_e164!)! })),
  );
  for (const task of open.filter((_, index) => !refused.has(index)))
    await db
      .updateTable('follow_up_tasks')
      .set({ contact_id: byPhone.get(task.phone_e164!)!, updated_at: new Date() })
      .where('installation_id', '=', installationId)
      .where('id', '=', task.id)
      .execute();
}
