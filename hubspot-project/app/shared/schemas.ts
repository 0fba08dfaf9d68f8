import { z } from 'zod';

/** The shapes the backend answers with; every response is parsed before the UI sees it. */

const id = z.union([z.string(), z.number()]).transform(String);
const nullableId = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null ? null : String(v)));
const nullableText = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    retryAfterSeconds: z.number().nonnegative().optional(),
  }),
});

export const sessionSchema = z.object({
  portalId: z.number(),
  userId: z.number().nullable(),
  superAdmin: z.boolean(),
  installation: z.object({ status: z.string() }).loose(),
});
export type Session = z.infer<typeof sessionSchema>;

const count = z.object({ mapped: z.number(), total: z.number() });
export const setupSchema = z.object({
  hubspot: z.object({ connected: z.boolean() }),
  dialer: z.union([
    z.object({
      connected: z.literal(true),
      accountName: nullableText,
      country: nullableText,
      tokenRejected: z.boolean().optional(),
    }),
    z.object({ connected: z.literal(false) }),
  ]),
  webhook: z.object({
    active: z.boolean(),
    recreatedAt: z.string().nullable().optional(),
    problem: z.string().nullable().optional(),
  }),
  /** The call pipeline is paused for a cause about the portal; it resumes by itself. */
  callSync: z
    .object({
      paused: z.boolean(),
      reason: z.string().nullable(),
      nextTryAt: z.string().nullable().optional(),
    })
    .optional(),
  lastEventAt: z.string().nullable(),
  agents: count,
  dispositions: count,
  debugMode: z.boolean(),
});
export type Setup = z.infer<typeof setupSchema>;

export const missedCallsSchema = z.object({
  enabled: z.boolean(),
  dueMinutes: z.number(),
  fallbackOwnerId: nullableId,
});
export type MissedCalls = z.infer<typeof missedCallsSchema>;
export const contactSyncSettingsSchema = z.object({
  creation: z.enum(['hubspot_to_dialer', 'both', 'off']),
  createFromHubSpot: z.enum(['with_phone', 'sent']),
  updates: z.enum(['both', 'hubspot_to_dialer']),
});
export type ContactSyncSettings = z.infer<typeof contactSyncSettingsSchema>;
export const settingsSchema = z.object({
  debugMode: z.boolean(),
  sendTranscripts: z.boolean().optional(),
  missedCalls: missedCallsSchema.optional(),
  contactSync: contactSyncSettingsSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const activityItemSchema = z.object({
  id,
  callId: nullableId,
  contactId: nullableId,
  level: z.string(),
  step: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  createdAt: z.string(),
});
export type ActivityItem = z.infer<typeof activityItemSchema>;
export const activityPageSchema = z.object({
  items: z.array(activityItemSchema),
  nextCursor: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;

export const mappingStateSchema = z.enum(['mapped', 'waiting', 'disabled']);
export type MappingState = z.infer<typeof mappingStateSchema>;

export const agentSchema = z.object({
  agentId: id,
  name: z.string(),
  email: nullableText,
  status: nullableText,
  ownerId: nullableId,
  state: mappingStateSchema,
  mappingSource: nullableText,
  lastCallAt: nullableText,
});
export type Agent = z.infer<typeof agentSchema>;
export const agentsSchema = z.object({ items: z.array(agentSchema) });

export const ownersSchema = z.object({
  items: z.array(z.object({ id, email: nullableText, name: nullableText })),
});
export type Owner = z.infer<typeof ownersSchema>['items'][number];

export const dispositionSchema = z.object({
  dispositionId: id,
  name: z.string(),
  category: nullableText,
  outcomeId: nullableId,
  state: mappingStateSchema,
  mappingSource: nullableText,
});
export type Disposition = z.infer<typeof dispositionSchema>;
export const dispositionsSchema = z.object({ items: z.array(dispositionSchema) });

export const outcomesSchema = z.object({ items: z.array(z.object({ id, label: z.string() })) });
export type Outcome = z.infer<typeof outcomesSchema>['items'][number];

/** Calls logged without a contact (the unmatched calls panel). */
export const unmatchedCallsSchema = z.object({
  items: z.array(
    z.object({
      callId: id,
      direction: z.string(),
      status: z.string(),
      number: nullableText,
      startedAt: nullableText,
      agent: nullableText,
      ownerId: nullableId,
    }),
  ),
});
export type UnmatchedCall = z.infer<typeof unmatchedCallsSchema>['items'][number];
export const contactHitsSchema = z.object({
  items: z.array(z.object({ id, name: nullableText, email: nullableText, phone: nullableText })),
});
export type ContactHit = z.infer<typeof contactHitsSchema>['items'][number];

/** The contact card: proposed shape, owned by the contact-sync issue (docs/hubspot-project.md). */
export const contactStatusSchema = z.object({
  contactId: id,
  dialer: z.object({
    linked: z.boolean(),
    dialerContactId: nullableId,
    doNotCall: z
      .boolean()
      .nullish()
      .transform((v) => v ?? null),
    lineType: nullableText,
  }),
  lists: z.array(z.object({ listId: id, name: z.string(), addedAt: nullableText })),
  calls: z.array(
    z.object({
      callId: id,
      startedAt: z.string(),
      direction: nullableText,
      outcome: nullableText,
      owner: nullableText,
      syncState: z.string(),
      hasRecording: z
        .boolean()
        .nullish()
        .transform((v) => v ?? false),
      transcriptSent: z
        .boolean()
        .nullish()
        .transform((v) => v ?? false),
    }),
  ),
  lastError: z
    .object({ message: z.string(), at: nullableText })
    .nullish()
    .transform((v) => v ?? null),
});
export type ContactStatus = z.infer<typeof contactStatusSchema>;

export const directionSchema = z.enum(['both', 'hubspot_to_dialer', 'dialer_to_hubspot']);
export type Direction = z.infer<typeof directionSchema>;
export const propertyMappingSchema = z.object({
  dialerField: z.string(),
  hubspotProperty: z.string(),
  category: z.enum(['locked', 'special', 'default', 'custom', 'compliance']),
  direction: directionSchema,
  editable: z.boolean(),
  removable: z.boolean(),
});
export type PropertyMapping = z.infer<typeof propertyMappingSchema>;
export const propertyMappingsSchema = z.object({ mappings: z.array(propertyMappingSchema) });
export const contactPropertiesSchema = z.object({
  items: z.array(
    z
      .object({ name: z.string(), label: z.string(), type: z.string(), readOnly: z.boolean().optional() })
      .loose(),
  ),
});
export type ContactProperty = z.infer<typeof contactPropertiesSchema>['items'][number];

export const operationKindSchema = z.enum(['pull_contacts', 'push_contacts']);
export type OperationKind = z.infer<typeof operationKindSchema>;
export const syncOperationSchema = z.object({
  id: z.string(),
  kind: operationKindSchema,
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  total: z.number().nullable(),
  done: z.number(),
  failed: z.number(),
  startedAt: z.string(),
  finishedAt: nullableText,
  lastError: nullableText,
});
export type SyncOperation = z.infer<typeof syncOperationSchema>;
export const syncOperationsSchema = z.object({
  operations: z.array(syncOperationSchema),
  lastRuns: z.object({
    pull_contacts: nullableText,
    push_contacts: nullableText,
    mappingsRefresh: nullableText,
  }),
});
export type SyncOperations = z.infer<typeof syncOperationsSchema>;

/** Mutations answer with small objects the UI does not depend on beyond "it worked". */
export const acceptedSchema = z.unknown();
/** Answer of "Retry all failed calls": how many went back to the queue. */
export const retriedSchema = z.object({ retried: z.number().int().nonnegative() });

/** What the privacy panel sends: at least one identifier (the panel adds `confirm: "ERASE"`). */
export interface ErasureRequest {
  email?: string;
  phone?: string;
  hubspotContactId?: string;
  deleteInDialer: boolean;
}
const counts = z.record(z.string(), z.number());
export const erasureResultSchema = z.object({
  erasureId: z.number(),
  counts,
  dialerDeletion: z.string(),
});
export type ErasureResult = z.infer<typeof erasureResultSchema>;
export const erasuresSchema = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      at: z.string(),
      source: z.string(),
      requestedBy: z.string(),
      counts,
      dialerDeletion: z.string(),
    }),
  ),
});
export type ErasureAuditEntry = z.infer<typeof erasuresSchema>['items'][number];
export const healthSchema = z.object({
  hubspot: z.object({
    last24h: z.object({
      requests: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      successRate: z.number().nullable(),
    }),
  }),
});
export type Health = z.infer<typeof healthSchema>;

export const uninstalledSchema = z.object({ uninstalled: z.literal(true), purgeAfter: z.string() });
