import { sql } from 'kysely';
import { z } from 'zod';
import type { ActivityEntry } from '../activity/record.ts';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import { ASSOCIATION_TYPES } from '../hubspot/paths.ts';
import type { Db } from '../platform/db/database.ts';

/** A call ready to be written: its properties are final for `version`. */
export interface OutgoingCall {
  callId: string;
  version: number;
  hubspotCallId: string | null;
  contactId: string | null;
  phoneE164: string | null;
  properties: Record<string, string>;
}

const batchAnswer = z.object({
  results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullish()) })),
  errors: z
    .array(
      z.object({
        message: z.string().optional(),
        context: z.record(z.string(), z.array(z.string())).optional(),
      }),
    )
    .optional(),
});

/** HubSpot's search has not indexed calls we may have created: try again after this delay. */
export class RetryLaterError extends Error {
  readonly retryable = true;
  readonly code = 'retry_later';
  constructor(
    message: string,
    readonly waitMs: number,
  ) {
    super(message);
  }
}

/**
 * Finds calls we sent but whose answer we never stored (the process died, or the connection
 * broke after HubSpot created them): by `hs_call_external_id`, so a retry never creates twice.
 */
export async function recoverSentCalls(
  client: PortalClient,
  callIds: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < callIds.length; i += 100) {
    const chunk = callIds.slice(i, i + 100);
    let after: string | undefined;
    do {
      const page = z
        .object({
          results: batchAnswer.shape.results,
          paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
        })
        .parse(
          await client.send('searchCalls', {
            body: {
              filterGroups: [
                { filters: [{ propertyName: 'hs_call_external_id', operator: 'IN', values: chunk }] },
              ],
              properties: ['hs_call_external_id'],
              sorts: [{ propertyName: 'hs_createdate', direction: 'ASCENDING' }],
              limit: 100,
              after,
            },
          }),
        );
      for (const call of page.results) {
        const externalId = call.properties.hs_call_external_id;
        if (externalId && !found.has(externalId)) found.set(externalId, call.id);
      }
      after = page.paging?.next?.after;
    } while (after);
  }
  return found;
}

/** Marks calls as sent before the batch create goes out: the crash-safe point of no return. */
export async function markSending(db: Db, installationId: string, callIds: string[]): Promise<void> {
  if (callIds.length === 0) return;
  await db
    .updateTable('calls')
    .set({ sync_state: 'sending', sending_at: new Date(), attempts: sql`attempts + 1` })
    .where('installation_id', '=', installationId)
    .where('call_id', 'in', callIds)
    .execute();
}

export async function createCalls(client: PortalClient, calls: OutgoingCall[]): Promise<Map<string, string>> {
  const answer = batchAnswer.parse(
    await client.send('batchCreateCalls', {
      body: {
        inputs: calls.map((call) => ({
          properties: call.properties,
          associations: call.contactId
            ? [
                {
                  to: { id: call.contactId },
                  types: [
                    {
                      associationCategory: 'HUBSPOT_DEFINED',
                      associationTypeId: ASSOCIATION_TYPES.callToContact,
                    },
                  ],
                },
              ]
            : [],
        })),
      },
    }),
  );
  return new Map(
    answer.results.flatMap((r) =>
      r.properties.hs_call_external_id ? [[r.properties.hs_call_external_id, r.id] as const] : [],
    ),
  );
}

/** Updates existing HubSpot calls; returns the ids HubSpot no longer has. */
export async function updateCalls(client: PortalClient, calls: OutgoingCall[]): Promise<Set<string>> {
  const answer = batchAnswer.parse(
    await client.send('batchUpdateCalls', {
      body: { inputs: calls.map((call) => ({ id: call.hubspotCallId, properties: call.properties })) },
    }),
  );
  const updated = new Set(answer.results.map((r) => r.id));
  return new Set(calls.filter((c) => !updated.has(c.hubspotCallId!)).map((c) => c.hubspotCallId!));
}

/**
 * Stores HubSpot's answers for a batch in one statement: each call is synced, or pending again if
 * newer data arrived meanwhile (its version moved on while the request was out).
 */
export async function markWritten(
  db: Db,
  installationId: string,
  written: { call: OutgoingCall; hubspotCallId: string }[],
): Promise<void> {
  if (written.length === 0) return;
  const rows = written.map(
    ({ call, hubspotCallId }) =>
      sql`(${call.callId}, ${call.version}::int, ${hubspotCallId}, ${call.contactId}, ${call.phoneE164}, ${call.properties.hubspot_owner_id || null}, ${call.properties.hs_call_disposition || null}, ${JSON.stringify(call.properties)}::jsonb)`,
  );
  await sql`
    update calls set
      hubspot_call_id = v.hubspot_call_id,
      synced_version = v.version,
      sync_state = case when calls.version > v.version then 'pending' else 'synced' end,
      contact_id = v.contact_id,
      phone_e164 = v.phone_e164,
      owner_id = v.owner_id,
      outcome_id = v.outcome_id,
      properties = v.properties,
      last_error = null,
      sending_at = null,
      updated_at = now()
    from (values ${sql.join(rows)}) as v(call_id, version, hubspot_call_id, contact_id, phone_e164, owner_id, outcome_id, properties)
    where calls.installation_id = ${installationId} and calls.call_id = v.call_id
  `.execute(db);
}

export async function markFailed(
  db: Db,
  installationId: string,
  callId: string,
  reason: string,
  activity: ActivityEntry[],
) {
  await db
    .updateTable('calls')
    .set({ sync_state: 'failed', last_error: reason, sending_at: null, updated_at: new Date() })
    .where('installation_id', '=', installationId)
    .where('call_id', '=', callId)
    .execute();
  activity.push({
    callId,
    level: 'error',
    step: 'hubspot_failed',
    message: `HubSpot refused the call for good: ${reason}. Fix the cause, then retry it from the activity log.`,
  });
}

export function isPermanent(error: unknown): error is HubSpotError {
  return error instanceof HubSpotError && !error.retryable;
}
