import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  DialerAgent,
  DialerCall,
  DialerContact,
  DialerDisposition,
  DialerList,
} from '../../../src/dialer/types.ts';
import { contractRetrySchedule, DeliveryEngine, type SimEventEnvelope } from './delivery.ts';
import { buildCallLifecycle, type CallEvent, type CallLifecycleOptions } from './lifecycle.ts';
import type { FaultSpec, RecordedRequest, RequestMatch, SimControl } from './middleware.ts';
import { emitContactUpdates, watchContactWrites } from './contact-events.ts';
import { mediaOf, type SimUtterance } from './recordings.ts';
import { createApiApp } from './routes.ts';
import { SimState, type ContactInput, type DeliveryAttempt, type SimList, type SimWebhook } from './state.ts';

export type { CallEvent, CallLifecycleOptions, ContactInput, DeliveryAttempt, FaultSpec, RecordedRequest };
export type { RequestMatch };
export type { SimEventEnvelope, SimWebhook, SimUtterance };
export { contractRetrySchedule };

export interface DialerSimulatorOptions {
  port?: number;
  rateLimitPerSecond?: number;
  /** Clock for timestamps, signatures and the rate limit (ms since epoch). */
  now?: () => number;
  retrySchedule?: number[];
  deliveryTimeoutMs?: number;
  /** Deliver `contact.updated` whenever a contact changes (API writes and `setContact`). Default off. */
  contactEvents?: boolean;
}

export interface DialerAccountView {
  id: string;
  name: string;
  country: string;
  timezone: string;
  agents: DialerAgent[];
  dispositions: DialerDisposition[];
  lists: DialerList[];
  contacts: DialerContact[];
  webhooks: SimWebhook[];
  deliveries: DeliveryAttempt[];
}

export type BatchItem = CallEvent | [string, unknown] | { type: string; data: unknown; eventId?: string };

export interface DialerSimulator {
  url: string;
  close(): Promise<void>;
  readonly requests: readonly RecordedRequest[];
  requestsTo(method: string, pathPrefixOrRegex: string | RegExp): RecordedRequest[];
  clearRequests(): void;

  createAccount(input?: { id?: string; name?: string; country?: string; timezone?: string }): {
    id: string;
    token: string;
  };
  addToken(accountId: string): string;
  revokeToken(token: string): void;
  /** As Dialer.io does after 24 h of failed deliveries or a 410: the webhook stays, inactive. */
  disableWebhook(accountId: string, webhookId: string): void;
  addAgent(accountId: string, agent: Partial<DialerAgent> & { name: string; email: string }): DialerAgent;
  setAgent(accountId: string, agentId: string, patch: Partial<Omit<DialerAgent, 'id'>>): DialerAgent;
  addDisposition(
    accountId: string,
    d: Partial<DialerDisposition> & Omit<DialerDisposition, 'id'>,
  ): DialerDisposition;
  addList(accountId: string, list: Partial<SimList> & { name: string }): DialerList;
  setList(accountId: string, listId: string, patch: Partial<Omit<SimList, 'id'>>): DialerList;
  addContact(accountId: string, contact: ContactInput): DialerContact;
  setContact(
    accountId: string,
    externalId: string,
    patch: Partial<Omit<ContactInput, 'external_id' | 'lists'>>,
  ): DialerContact;
  contact(accountId: string, externalId: string): DialerContact | undefined;
  account(accountId: string): DialerAccountView;

  failNext(n: number, fault: FaultSpec): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** The next `n` matching requests are left unanswered until their caller gives up (never handled). */
  stallNext(n: number, match: RequestMatch): void;

  emit(
    accountId: string,
    type: string,
    data: unknown,
    opts?: { eventId?: string; duplicate?: boolean; delayMs?: number },
  ): SimEventEnvelope;
  /** Delivers one after another in the returned order (shuffled and/or each twice when asked). */
  emitBatch(
    accountId: string,
    events: readonly BatchItem[],
    opts?: { shuffle?: boolean; duplicate?: boolean; random?: () => number },
  ): SimEventEnvelope[];
  callLifecycle(accountId: string, call?: Partial<DialerCall>, opts?: CallLifecycleOptions): CallEvent[];
  /** Resolves when no delivery is pending, scheduled for retry or in flight. */
  waitForDeliveries(timeoutMs?: number): Promise<void>;
  /** The call's recording: `storing` (409 until ready), `ready` (served), `deleted` (404). */
  setRecording(accountId: string, callId: string, state: 'storing' | 'ready' | 'deleted'): void;
  setTranscript(accountId: string, callId: string, utterances: SimUtterance[], language?: string): void;
  /** Called while a contact write is handled, before it is answered (a test can kill its caller then). */
  onContactWrite(listener: ((externalId: string) => void) | null): void;
}

function matchesPath(path: string, pattern: string | RegExp): boolean {
  if (typeof pattern !== 'string') return pattern.test(path);
  return path.startsWith(pattern) || path.startsWith(`/v1${pattern}`);
}

export async function startDialerSimulator(opts: DialerSimulatorOptions = {}): Promise<DialerSimulator> {
  const state = new SimState(opts.now ?? Date.now);
  const control: SimControl = {
    latencyMs: 0,
    rateLimitPerSecond: opts.rateLimitPerSecond ?? 20,
    faults: [],
    stalls: [],
    requests: [],
  };
  const engine = new DeliveryEngine(state, {
    retrySchedule: opts.retrySchedule ?? contractRetrySchedule(),
    deliveryTimeoutMs: opts.deliveryTimeoutMs ?? 10_000,
  });

  if (opts.contactEvents) emitContactUpdates(state, engine);
  const server = createServer(createApiApp(state, control));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const toEnvelope = (accountId: string, item: BatchItem): SimEventEnvelope =>
    Array.isArray(item)
      ? engine.envelope(accountId, item[0], item[1])
      : engine.envelope(accountId, item.type, item.data, item.eventId);

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    get requests() {
      return control.requests;
    },
    requestsTo: (method, pattern) =>
      control.requests.filter(
        (r) => (method === '*' || r.method === method.toUpperCase()) && matchesPath(r.path, pattern),
      ),
    clearRequests: () => void control.requests.splice(0),

    createAccount: (input) => state.createAccount(input),
    addToken: (accountId) => state.addToken(accountId),
    revokeToken: (token) => state.revokeToken(token),
    disableWebhook: (accountId, webhookId) => {
      const hook = state.get(accountId).webhooks.get(webhookId);
      if (!hook) throw new Error(`Dialer simulator: no webhook ${webhookId}`);
      hook.active = false;
    },
    addAgent: (accountId, agent) => state.addAgent(accountId, agent),
    setAgent: (accountId, agentId, patch) => state.setAgent(accountId, agentId, patch),
    addDisposition: (accountId, d) => state.addDisposition(accountId, d),
    addList: (accountId, list) => state.addList(accountId, list),
    setList: (accountId, listId, patch) => state.setList(accountId, listId, patch),
    addContact: (accountId, contact) => state.addContact(accountId, contact),
    setContact: (accountId, externalId, patch) => state.setContact(accountId, externalId, patch),
    contact(accountId, externalId) {
      const account = state.get(accountId);
      const contact = account.contacts.get(externalId);
      return contact && state.renderContact(account, contact);
    },
    account(accountId) {
      const a = state.get(accountId);
      return {
        id: a.id,
        name: a.name,
        country: a.country,
        timezone: a.timezone,
        agents: [...a.agents.values()].map((agent) => ({ ...agent })),
        dispositions: [...a.dispositions.values()].map((d) => ({ ...d })),
        lists: [...a.lists.values()].map((list) => state.renderList(a, list)),
        contacts: [...a.contacts.values()].map((contact) => state.renderContact(a, contact)),
        webhooks: [...a.webhooks.values()].map((hook) => ({ ...hook, events: [...hook.events] })),
        deliveries: [...a.deliveries],
      };
    },

    failNext(n, fault) {
      if (n > 0) control.faults.push({ ...fault, remaining: n });
    },
    clearFaults() {
      control.faults.splice(0);
    },
    setLatency(ms) {
      control.latencyMs = ms;
    },
    stallNext(n, match) {
      if (n > 0) control.stalls.push({ ...match, remaining: n });
    },

    emit(accountId, type, data, emitOpts = {}) {
      const event = engine.envelope(accountId, type, data, emitOpts.eventId);
      void engine.deliver(state.get(accountId), event, emitOpts);
      return event;
    },
    emitBatch(accountId, items, batchOpts = {}) {
      const account = state.get(accountId);
      const events = items.map((item) => toEnvelope(accountId, item));
      const order = batchOpts.duplicate ? events.flatMap((event) => [event, event]) : [...events];
      if (batchOpts.shuffle) {
        const random = batchOpts.random ?? Math.random;
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
      }
      engine.track(
        (async () => {
          for (const event of order) await engine.deliver(account, event);
        })(),
      );
      return order;
    },
    callLifecycle: (accountId, call = {}, lifecycleOpts = {}) =>
      buildCallLifecycle(state.get(accountId), call, lifecycleOpts, state.now()),
    waitForDeliveries: (timeoutMs = 120_000) => engine.waitForIdle(timeoutMs),
    onContactWrite: (listener) => watchContactWrites(state, listener),
    setRecording(accountId, callId, recordingState) {
      mediaOf(state.get(accountId), callId).recording = { state: recordingState };
    },
    setTranscript(accountId, callId, utterances, language = 'en-US') {
      mediaOf(state.get(accountId), callId).transcript = { language, utterances };
    },
  };
}
