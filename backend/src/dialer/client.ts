import { z } from 'zod';
import { DialerPayloadError } from './errors.ts';
import { createDialerRequester, type DialerHttpOptions, type DialerRequest } from './http.ts';
import {
  dialerAccountSchema,
  dialerAgentSchema,
  dialerContactSchema,
  dialerCreatedWebhookSchema,
  dialerDispositionSchema,
  dialerListSchema,
  dialerRecordingSchema,
  dialerTranscriptSchema,
  dialerWebhookSchema,
  pageSchema,
  parseWith,
  type DialerAccount,
  type DialerAgent,
  type DialerContact,
  type DialerContactInput,
  type DialerCreatedWebhook,
  type DialerDisposition,
  type DialerEventType,
  type DialerList,
  type DialerRecording,
  type DialerTranscript,
  type DialerWebhook,
} from './types.ts';

export type DialerClientOptions = DialerHttpOptions;

export interface DialerClient {
  getAccount(): Promise<DialerAccount>;
  listAgents(): Promise<DialerAgent[]>;
  listDispositions(): Promise<DialerDisposition[]>;
  listLists(): Promise<DialerList[]>;
  upsertContact(
    externalId: string,
    body: DialerContactInput,
  ): Promise<{ contact: DialerContact; created: boolean }>;
  getContact(externalId: string): Promise<DialerContact | null>;
  /**
   * Sets the `external_id` of a contact made in Dialer.io itself (`PATCH /v1/contacts/by-id/{id}`):
   * the contact, or 'conflict' when another contact has that external id, or null when unknown.
   */
  setExternalId(contactId: string, externalId: string): Promise<DialerContact | 'conflict' | null>;
  /** False when Dialer.io did not know the contact. */
  deleteContact(externalId: string): Promise<boolean>;
  addListMember(listId: string, externalId: string): Promise<'added' | 'already_member'>;
  removeListMember(listId: string, externalId: string): Promise<'removed' | 'not_member'>;
  /** Removes the contact from every list; an unknown contact is in no list, so that is success too. */
  removeAllMemberships(externalId: string): Promise<void>;
  createWebhook(input: {
    url: string;
    events: readonly (DialerEventType | string)[];
    description?: string;
  }): Promise<DialerCreatedWebhook>;
  listWebhooks(): Promise<DialerWebhook[]>;
  /** False when the webhook was already gone. */
  deleteWebhook(id: string): Promise<boolean>;
  /** A fresh signed link to the call's audio; `missing` (none, deleted) or `not_ready` (being stored). */
  getRecording(callId: string): Promise<DialerRecording | 'missing' | 'not_ready'>;
  /** The call's transcript; `missing` (none: an account option) or `not_ready` (being made). */
  getTranscript(callId: string): Promise<DialerTranscript | 'missing' | 'not_ready'>;
}

const contactAnswerSchema = z.object({ contact: dialerContactSchema });
const PAGE_LIMIT = '100';
const MAX_PAGES = 10_000;

const seg = encodeURIComponent;

export function createDialerClient(options: DialerClientOptions): DialerClient {
  const send = createDialerRequester(options);

  async function call<T>(request: DialerRequest, schema: z.ZodType<T>): Promise<T> {
    const { body } = await send(request);
    return parseWith(schema, body, `Dialer.io answer to ${request.route}`);
  }

  async function listAll<T>(path: string, item: z.ZodType<T>): Promise<T[]> {
    const route = `GET /v1${path}`;
    const schema = pageSchema(item);
    const items: T[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query: Record<string, string> = { limit: PAGE_LIMIT, ...(cursor === null ? {} : { cursor }) };
      const answer = await call({ method: 'GET', path, route, query }, schema);
      items.push(...(answer.data as T[]));
      cursor = answer.next_cursor;
      if (cursor === null) return items;
      if (seen.has(cursor)) throw new DialerPayloadError(`Dialer.io ${route} repeated a page cursor`);
      seen.add(cursor);
    }
    throw new DialerPayloadError(`Dialer.io ${route} returned more than ${MAX_PAGES} pages`);
  }

  async function media<T>(path: string, route: string, schema: z.ZodType<T>) {
    const { status, body } = await send({ method: 'GET', path, route, accept: [404, 409] });
    if (status === 404) return 'missing' as const;
    if (status === 409) return 'not_ready' as const;
    return parseWith(schema, body, `Dialer.io answer to ${route}`);
  }

  return {
    getAccount: () =>
      call({ method: 'GET', path: '/account', route: 'GET /v1/account' }, dialerAccountSchema),
    listAgents: () => listAll('/agents', dialerAgentSchema),
    listDispositions: () => listAll('/dispositions', dialerDispositionSchema),
    listLists: () => listAll('/lists', dialerListSchema),

    async upsertContact(externalId, body) {
      const route = 'PUT /v1/contacts/{external_id}';
      const { status, body: answer } = await send({
        method: 'PUT',
        path: `/contacts/${seg(externalId)}`,
        route,
        body,
      });
      const { contact } = parseWith(contactAnswerSchema, answer, `Dialer.io answer to ${route}`);
      return { contact, created: status === 201 };
    },

    async getContact(externalId) {
      const route = 'GET /v1/contacts/{external_id}';
      const { status, body } = await send({
        method: 'GET',
        path: `/contacts/${seg(externalId)}`,
        route,
        accept: [404],
      });
      if (status === 404) return null;
      return parseWith(contactAnswerSchema, body, `Dialer.io answer to ${route}`).contact;
    },

    async setExternalId(contactId, externalId) {
      const route = 'PATCH /v1/contacts/by-id/{id}';
      const { status, body } = await send({
        method: 'PATCH',
        path: `/contacts/by-id/${seg(contactId)}`,
        route,
        body: { external_id: externalId },
        accept: [404, 409],
      });
      if (status === 404) return null;
      if (status === 409) return 'conflict';
      return parseWith(contactAnswerSchema, body, `Dialer.io answer to ${route}`).contact;
    },

    async deleteContact(externalId) {
      const { status } = await send({
        method: 'DELETE',
        path: `/contacts/${seg(externalId)}`,
        route: 'DELETE /v1/contacts/{external_id}',
        accept: [404],
      });
      return status !== 404;
    },

    async addListMember(listId, externalId) {
      const { status } = await send({
        method: 'POST',
        path: `/lists/${seg(listId)}/members`,
        route: 'POST /v1/lists/{list_id}/members',
        body: { external_id: externalId },
      });
      return status === 201 ? 'added' : 'already_member';
    },

    async removeListMember(listId, externalId) {
      const { status } = await send({
        method: 'DELETE',
        path: `/lists/${seg(listId)}/members/${seg(externalId)}`,
        route: 'DELETE /v1/lists/{list_id}/members/{external_id}',
        accept: [404],
      });
      return status === 404 ? 'not_member' : 'removed';
    },

    async removeAllMemberships(externalId) {
      await send({
        method: 'DELETE',
        path: `/contacts/${seg(externalId)}/memberships`,
        route: 'DELETE /v1/contacts/{external_id}/memberships',
        accept: [404],
      });
    },

    createWebhook: ({ url, events, description }) =>
      call(
        {
          method: 'POST',
          path: '/webhooks',
          route: 'POST /v1/webhooks',
          body: { url, events, ...(description === undefined ? {} : { description }) },
          idempotent: false,
        },
        dialerCreatedWebhookSchema,
      ),

    listWebhooks: () => listAll('/webhooks', dialerWebhookSchema),

    getRecording: (callId) =>
      media(`/calls/${seg(callId)}/recording`, 'GET /v1/calls/{id}/recording', dialerRecordingSchema),
    getTranscript: (callId) =>
      media(`/calls/${seg(callId)}/transcript`, 'GET /v1/calls/{id}/transcript', dialerTranscriptSchema),

    async deleteWebhook(id) {
      const { status } = await send({
        method: 'DELETE',
        path: `/webhooks/${seg(id)}`,
        route: 'DELETE /v1/webhooks/{id}',
        accept: [404],
      });
      return status !== 404;
    },
  };
}
