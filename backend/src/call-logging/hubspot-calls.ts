import { z } from 'zod';
import type { PortalClient } from '../hubspot/client.ts';
import { ASSOCIATION_TYPES } from '../hubspot/paths.ts';

/** A call ready to be written: its properties are final for `version`. */
export interface OutgoingCall {
  callId: string;
  version: number;
  hubspotCallId: string | null;
  contactId: string | null;
  phoneE164: string | null;
  /**
   * What the call should look like in HubSpot. An empty owner or outcome is never included, but
   * for one case: an empty outcome clears the status outcome we wrote before the call's
   * disposition (one with no HubSpot outcome) came, where HubSpot still holds it.
   */
  properties: Record<string, string>;
  /** What HubSpot already holds from us (null before the first write). */
  sent: Record<string, string> | null;
  /** Whether the create carries the association to `contactId`. */
  associate: boolean;
}

/** Why HubSpot refused one input of a multi-status batch. */
export interface Refusal {
  message: string;
  /** Properties HubSpot named as invalid. */
  properties: string[];
  /** The associated contact was the problem (deleted, merged away). */
  association: boolean;
  /** The HubSpot call of an update no longer exists. */
  missing: boolean;
}

export interface BatchOutcome {
  /** Call id → HubSpot call id. */
  written: Map<string, string>;
  refused: Map<string, Refusal>;
}

// Tolerant: only the fields we use, every one optional except the ids we key on.
const names = z.array(z.string()).catch([]);
const errorSchema = z.object({
  message: z.string().nullish(),
  category: z.string().nullish(),
  objectWriteTraceId: z.string().nullish(),
  context: z.record(z.string(), names).nullish().catch(null),
  errors: z
    .array(z.object({ message: z.string().nullish(), context: z.record(z.string(), names).nullish() }))
    .nullish()
    .catch(null),
});
const multiStatus = z.object({
  results: z
    .array(
      z.object({
        id: z.string(),
        objectWriteTraceId: z.string().nullish(),
        properties: z.record(z.string(), z.string().nullish()).nullish(),
      }),
    )
    .catch([]),
  errors: z.array(errorSchema).nullish().catch(null),
});
type BatchError = z.infer<typeof errorSchema>;

const toContact = (contactId: string) => [
  {
    to: { id: contactId },
    types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION_TYPES.callToContact }],
  },
];

/**
 * One multi-status batch create: every input carries `objectWriteTraceId` = our call id, so good
 * inputs land and each bad one comes back as its own error. Throws only for the whole request.
 */
export async function createCalls(
  client: PortalClient,
  calls: OutgoingCall[],
  signal?: AbortSignal,
): Promise<BatchOutcome> {
  const answer = await client.send('batchCreateCalls', {
    signal,
    body: {
      inputs: calls.map((call) => ({
        objectWriteTraceId: call.callId,
        properties: call.properties,
        associations: call.associate && call.contactId ? toContact(call.contactId) : [],
      })),
    },
  });
  return readOutcome(
    answer,
    calls,
    (result) => result.objectWriteTraceId ?? result.properties?.hs_call_external_id,
  );
}

/** One multi-status batch update sending only `changes` per call (never the unchanged fields). */
export async function updateCalls(
  client: PortalClient,
  calls: { call: OutgoingCall; changes: Record<string, string> }[],
  signal?: AbortSignal,
): Promise<BatchOutcome> {
  const answer = await client.send('batchUpdateCalls', {
    signal,
    body: {
      inputs: calls.map(({ call, changes }) => ({
        id: call.hubspotCallId,
        objectWriteTraceId: call.callId,
        properties: changes,
      })),
    },
  });
  const byHubSpotId = new Map(calls.map(({ call }) => [call.hubspotCallId!, call.callId]));
  return readOutcome(
    answer,
    calls.map((c) => c.call),
    (result) => result.objectWriteTraceId ?? byHubSpotId.get(result.id),
    byHubSpotId,
  );
}

function readOutcome(
  answer: unknown,
  calls: OutgoingCall[],
  callIdOf: (result: z.infer<typeof multiStatus>['results'][number]) => string | null | undefined,
  byHubSpotId = new Map<string, string>(),
): BatchOutcome {
  const parsed = multiStatus.safeParse(answer ?? {});
  const body = parsed.success ? parsed.data : { results: [], errors: null };
  const ours = new Set(calls.map((c) => c.callId));
  const written = new Map<string, string>();
  for (const result of body.results) {
    const callId = callIdOf(result);
    if (callId && ours.has(callId)) written.set(callId, result.id);
  }
  const refused = new Map<string, Refusal>();
  for (const error of body.errors ?? []) {
    for (const callId of callIdsOf(error, byHubSpotId)) {
      if (ours.has(callId) && !written.has(callId)) refused.set(callId, refusalOf(error));
    }
  }
  return { written, refused };
}

function callIdsOf(error: BatchError, byHubSpotId: Map<string, string>): string[] {
  if (error.objectWriteTraceId) return [error.objectWriteTraceId];
  const traced = error.context?.objectWriteTraceId ?? [];
  if (traced.length) return traced;
  return (error.context?.ids ?? []).flatMap((id) => byHubSpotId.get(id) ?? []);
}

function refusalOf(error: BatchError): Refusal {
  const properties = new Set(error.context?.propertyName ?? []);
  for (const inner of error.errors ?? [])
    for (const name of inner.context?.propertyName ?? []) properties.add(name);
  const message = error.message ?? error.category ?? 'no reason given';
  const missing = error.category === 'OBJECT_NOT_FOUND' && !/associat/i.test(message);
  return {
    message,
    properties: [...properties],
    association: /associat/i.test(message) || (error.context?.toObjectId?.length ?? 0) > 0,
    missing,
  };
}

/**
 * Finds calls we sent but whose answer we never stored (the process died, or the connection broke
 * after HubSpot created them): by `hs_call_external_id`. Call id → HubSpot call id (the oldest).
 */
export async function findCallsByExternalId(
  client: PortalClient,
  callIds: string[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const page = z.object({
    results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullish()) })),
    paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
  });
  for (let i = 0; i < callIds.length; i += 100) {
    const chunk = callIds.slice(i, i + 100);
    let after: string | undefined;
    do {
      const answer = page.parse(
        await client.send('searchCalls', {
          signal,
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
      for (const call of answer.results) {
        const externalId = call.properties.hs_call_external_id;
        if (externalId && !found.has(externalId)) found.set(externalId, call.id);
      }
      after = answer.paging?.next?.after;
    } while (after);
  }
  return found;
}
