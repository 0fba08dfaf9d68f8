import { z } from 'zod';
import { DialerPayloadError } from './errors.ts';

// Schemas for what Dialer.io sends us (see /work/shared/dialer-api.md). A tolerant reader: unknown
// extra fields are dropped, and only what we key on is required (ids, a call's direction and
// status, an account's country); any other field may be missing or null and then reads as null
// (or an empty list/record, false, 0). A field that is present with the wrong type still fails.

/** Missing or null → null; present → checked against `schema`. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? null);
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.output<T>) =>
  schema.nullish().transform((value) => (value ?? fallback) as z.output<T>);

const isoDateTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO-8601 date-time' });

export const dialerAccountSchema = z.object({
  id: z.string().min(1),
  name: withDefault(z.string(), ''),
  country: z.string().length(2),
  timezone: optional(z.string()),
});
export type DialerAccount = z.infer<typeof dialerAccountSchema>;

export const dialerAgentSchema = z.object({
  id: z.string().min(1),
  name: withDefault(z.string(), ''),
  email: withDefault(z.string(), ''),
  status: withDefault(z.enum(['active', 'disabled']), 'active'),
});
export type DialerAgent = z.infer<typeof dialerAgentSchema>;

export const DISPOSITION_CATEGORIES = ['connected', 'not_connected', 'voicemail', 'other'] as const;
export const dialerDispositionSchema = z.object({
  id: z.string().min(1),
  name: withDefault(z.string(), ''),
  category: withDefault(z.enum(DISPOSITION_CATEGORIES), 'other'),
});
export type DialerDisposition = z.infer<typeof dialerDispositionSchema>;

export const dialerListSchema = z.object({
  id: z.string().min(1),
  name: withDefault(z.string(), ''),
  kind: withDefault(z.enum(['list', 'campaign']), 'list'),
  contact_count: withDefault(z.number().int().nonnegative(), 0),
  archived: withDefault(z.boolean(), false),
});
export type DialerList = z.infer<typeof dialerListSchema>;

export const LINE_TYPES = ['landline', 'wireless', 'voip', 'foreign', 'unknown'] as const;
export const dialerContactSchema = z.object({
  id: z.string().min(1),
  external_id: optional(z.string()),
  phone: optional(z.string()),
  email: optional(z.string()),
  first_name: optional(z.string()),
  last_name: optional(z.string()),
  company: optional(z.string()),
  timezone: optional(z.string()),
  owner_email: optional(z.string()),
  dnc: optional(z.boolean()),
  line_type: optional(z.enum(LINE_TYPES)),
  fields: withDefault(z.record(z.string(), z.string()), {}),
  lists: withDefault(
    z.array(z.object({ id: z.string(), name: withDefault(z.string(), ''), added_at: optional(isoDateTime) })),
    [],
  ),
  updated_at: optional(isoDateTime),
});
export type DialerContact = z.infer<typeof dialerContactSchema>;

/** Body of `PUT /v1/contacts/{external_id}`. `dnc` and `line_type` are Dialer.io's alone. */
export interface DialerContactInput {
  phone: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  timezone?: string | null;
  owner_email?: string | null;
  fields?: Record<string, string>;
}

export const CALL_EVENT_TYPES = [
  'call.started',
  'call.answered',
  'call.ended',
  'call.dispositioned',
  'call.recording_ready',
  'call.transcribed',
  'call.recording_deleted',
] as const;
export type DialerCallEventType = (typeof CALL_EVENT_TYPES)[number];
export const DIALER_EVENT_TYPES = [...CALL_EVENT_TYPES, 'contact.updated', 'agent.updated'] as const;
export type DialerEventType = (typeof DIALER_EVENT_TYPES)[number];

export const dialerWebhookSchema = z.object({
  id: z.string().min(1),
  url: withDefault(z.string(), ''),
  events: withDefault(z.array(z.string()), []),
  active: withDefault(z.boolean(), true),
});
export type DialerWebhook = z.infer<typeof dialerWebhookSchema>;

/** Answer of `POST /v1/webhooks`: the only time the signing secret is shown. */
export const dialerCreatedWebhookSchema = dialerWebhookSchema.extend({ secret: z.string().min(1) });
export type DialerCreatedWebhook = z.infer<typeof dialerCreatedWebhookSchema>;

export const CALL_STATUSES = [
  'ringing',
  'in_progress',
  'completed',
  'missed',
  'voicemail',
  'no_answer',
  'busy',
  'failed',
  'canceled',
] as const;
export type DialerCallStatus = (typeof CALL_STATUSES)[number];

export const dialerCallSchema = z.object({
  id: z.string().min(1),
  direction: z.enum(['inbound', 'outbound']),
  status: z.enum(CALL_STATUSES),
  from_number: withDefault(z.string(), ''),
  to_number: withDefault(z.string(), ''),
  started_at: optional(isoDateTime),
  answered_at: optional(isoDateTime),
  ended_at: optional(isoDateTime),
  duration_seconds: withDefault(z.number().nonnegative(), 0),
  talk_seconds: withDefault(z.number().nonnegative(), 0),
  agent: optional(
    z.object({ id: z.string(), name: withDefault(z.string(), ''), email: withDefault(z.string(), '') }),
  ),
  disposition: optional(z.object({ id: z.string(), name: withDefault(z.string(), '') })),
  notes: optional(z.string()),
  recording_url: optional(z.string()),
  list_id: optional(z.string()),
  contact: optional(z.object({ id: z.string(), external_id: optional(z.string()) })),
});
export type DialerCall = z.infer<typeof dialerCallSchema>;

/** `GET /v1/calls/{id}/recording`: a signed link that works without a token until `expires_at`. */
export const dialerRecordingSchema = z.object({
  url: z.string().url(),
  expires_at: isoDateTime,
  content_type: withDefault(z.string(), 'audio/wav'),
  channels: withDefault(z.number(), 2),
  duration_seconds: withDefault(z.number().nonnegative(), 0),
});
export type DialerRecording = z.infer<typeof dialerRecordingSchema>;

/** `GET /v1/calls/{id}/transcript`. */
export const dialerTranscriptSchema = z.object({
  call_id: z.string(),
  language: optional(z.string()),
  utterances: z.array(
    z.object({
      speaker: z.enum(['agent', 'contact']),
      text: z.string(),
      start_ms: z.number().nonnegative(),
      end_ms: z.number().nonnegative(),
    }),
  ),
});
export type DialerTranscript = z.infer<typeof dialerTranscriptSchema>;

export const dialerEventEnvelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created_at: isoDateTime,
  account_id: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type DialerEventEnvelope = z.infer<typeof dialerEventEnvelopeSchema>;

const callDataSchema = z.object({ call: dialerCallSchema });
const contactDataSchema = z.object({ contact: dialerContactSchema, changed: z.array(z.string()) });
const agentDataSchema = z.object({ agent: dialerAgentSchema });

export type ParsedDialerEvent =
  | { kind: 'call'; type: DialerCallEventType; event: DialerEventEnvelope; call: DialerCall }
  | {
      kind: 'contact';
      type: 'contact.updated';
      event: DialerEventEnvelope;
      contact: DialerContact;
      changed: string[];
    }
  | { kind: 'agent'; type: 'agent.updated'; event: DialerEventEnvelope; agent: DialerAgent }
  | { kind: 'unknown'; type: string; event: DialerEventEnvelope };

/** Paths and messages only: payloads carry phone numbers and emails, which must not reach logs. */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path].map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
  prefix: PropertyKey[] = [],
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new DialerPayloadError(`Invalid ${what}`, describeIssues(result.error, prefix));
  return result.data;
}

function toJson(input: unknown): unknown {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return input;
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DialerPayloadError('Invalid Dialer.io event: body is not JSON');
  }
}

/**
 * Parses a webhook body (raw string/Buffer or already-parsed JSON) into a discriminated event.
 * A well-formed envelope of a type we do not know is `kind: 'unknown'`; anything that breaks
 * the contract throws `DialerPayloadError`.
 */
export function parseDialerEvent(input: unknown): ParsedDialerEvent {
  const event = parseWith(dialerEventEnvelopeSchema, toJson(input), 'Dialer.io event envelope');
  const what = `Dialer.io ${event.type} event`;
  switch (event.type) {
    case 'call.started':
    case 'call.answered':
    case 'call.ended':
    case 'call.dispositioned':
    case 'call.recording_ready':
    case 'call.transcribed':
    case 'call.recording_deleted': {
      const { call } = parseWith(callDataSchema, event.data, what, ['data']);
      return { kind: 'call', type: event.type, event, call };
    }
    case 'contact.updated': {
      const { contact, changed } = parseWith(contactDataSchema, event.data, what, ['data']);
      return { kind: 'contact', type: event.type, event, contact, changed };
    }
    case 'agent.updated': {
      const { agent } = parseWith(agentDataSchema, event.data, what, ['data']);
      return { kind: 'agent', type: event.type, event, agent };
    }
    default:
      return { kind: 'unknown', type: event.type, event };
  }
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().min(1).nullable() });
}
