import { randomBytes } from 'node:crypto';
import type { DialerAgent, DialerContact, DialerDisposition, DialerList } from '../../../src/dialer/types.ts';

// In-memory Dialer.io: accounts, tokens and everything an account owns.
// Only types are shared with the client; the behaviour is an independent reading of the contract.

export type LineType = DialerContact['line_type'];

export interface SimList {
  id: string;
  name: string;
  kind: 'list' | 'campaign';
  archived: boolean;
}

export interface SimContact {
  id: string;
  /** Null for a contact made in Dialer.io itself (keyed by its id until `PATCH by-id` sets one). */
  external_id: string | null;
  phone: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  timezone: string | null;
  owner_email: string | null;
  dnc: boolean;
  line_type: LineType;
  fields: Record<string, string>;
  /** list id → ISO time added */
  memberships: Map<string, string>;
  updated_at: string;
}

export interface SimWebhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  secret: string;
  active: boolean;
}

export interface DeliveryAttempt {
  eventId: string;
  webhookId: string;
  type: string;
  attempt: number;
  /** HTTP status, or null when the receiver could not be reached or timed out. */
  status: number | null;
  error?: 'timeout' | 'network';
  at: number;
}

export interface SimAccount {
  id: string;
  name: string;
  country: string;
  timezone: string;
  agents: Map<string, DialerAgent>;
  dispositions: Map<string, DialerDisposition>;
  lists: Map<string, SimList>;
  contacts: Map<string, SimContact>;
  webhooks: Map<string, SimWebhook>;
  deliveries: DeliveryAttempt[];
  /** request times inside the current rate-limit window */
  recentRequests: number[];
}

export type ContactInput = Partial<Omit<SimContact, 'memberships' | 'external_id' | 'updated_at'>> & {
  external_id: string | null;
  phone: string;
  /** list ids the contact is a member of */
  lists?: string[];
};

export const CONTACT_TEXT_FIELDS = [
  'email',
  'first_name',
  'last_name',
  'company',
  'timezone',
  'owner_email',
] as const;

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class SimState {
  readonly accounts = new Map<string, SimAccount>();
  readonly tokens = new Map<string, string>();
  /** Called when a contact changes (contact-events.ts turns it into a `contact.updated` delivery). */
  onContactChanged?: (account: SimAccount, contact: SimContact, changed: string[]) => void;

  constructor(readonly now: () => number) {}

  isoNow(): string {
    return isoSeconds(this.now());
  }

  createAccount(input: { id?: string; name?: string; country?: string; timezone?: string } = {}) {
    const id = input.id ?? newId('acc');
    if (this.accounts.has(id)) throw new Error(`Dialer simulator: account ${id} already exists`);
    this.accounts.set(id, {
      id,
      name: input.name ?? 'Acme Calling',
      country: input.country ?? 'US',
      timezone: input.timezone ?? 'America/New_York',
      agents: new Map(),
      dispositions: new Map(),
      lists: new Map(),
      contacts: new Map(),
      webhooks: new Map(),
      deliveries: [],
      recentRequests: [],
    });
    return { id, token: this.addToken(id) };
  }

  addToken(accountId: string): string {
    this.get(accountId);
    const token = `dlr_${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, accountId);
    return token;
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  accountForToken(token: string | undefined): SimAccount | undefined {
    const accountId = token === undefined ? undefined : this.tokens.get(token);
    return accountId === undefined ? undefined : this.accounts.get(accountId);
  }

  get(accountId: string): SimAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`Dialer simulator: unknown account ${accountId}`);
    return account;
  }

  addAgent(accountId: string, input: Partial<DialerAgent> & { name: string; email: string }): DialerAgent {
    const agent: DialerAgent = {
      id: input.id ?? newId('agt'),
      name: input.name,
      email: input.email,
      status: input.status ?? 'active',
    };
    this.get(accountId).agents.set(agent.id, agent);
    return { ...agent };
  }

  setAgent(accountId: string, agentId: string, patch: Partial<Omit<DialerAgent, 'id'>>): DialerAgent {
    const agent = this.get(accountId).agents.get(agentId);
    if (!agent) throw new Error(`Dialer simulator: unknown agent ${agentId}`);
    Object.assign(agent, patch);
    return { ...agent };
  }

  addDisposition(accountId: string, input: Partial<DialerDisposition> & Omit<DialerDisposition, 'id'>) {
    const disposition: DialerDisposition = {
      id: input.id ?? newId('dsp'),
      name: input.name,
      category: input.category,
    };
    this.get(accountId).dispositions.set(disposition.id, disposition);
    return { ...disposition };
  }

  addList(accountId: string, input: Partial<SimList> & { name: string }): DialerList {
    const account = this.get(accountId);
    const list: SimList = {
      id: input.id ?? newId('lst'),
      name: input.name,
      kind: input.kind ?? 'list',
      archived: input.archived ?? false,
    };
    account.lists.set(list.id, list);
    return this.renderList(account, list);
  }

  setList(accountId: string, listId: string, patch: Partial<Omit<SimList, 'id'>>): DialerList {
    const account = this.get(accountId);
    const list = account.lists.get(listId);
    if (!list) throw new Error(`Dialer simulator: unknown list ${listId}`);
    Object.assign(list, patch);
    return this.renderList(account, list);
  }

  addContact(accountId: string, input: ContactInput): DialerContact {
    const account = this.get(accountId);
    const { lists = [], ...given } = input;
    const fields = Object.fromEntries(
      Object.entries(given).filter(([, value]) => value !== undefined),
    ) as typeof given;
    const now = this.isoNow();
    const contact: SimContact = {
      id: newId('con'),
      email: null,
      first_name: null,
      last_name: null,
      company: null,
      timezone: null,
      owner_email: null,
      dnc: false,
      line_type: 'unknown',
      fields: {},
      ...fields,
      memberships: new Map(lists.map((listId) => [listId, now])),
      updated_at: now,
    };
    account.contacts.set(contact.external_id ?? contact.id, contact);
    return this.renderContact(account, contact);
  }

  /** Changes a contact as Dialer.io itself would (e.g. `dnc`, `line_type`). */
  setContact(
    accountId: string,
    externalId: string,
    patch: Partial<Omit<ContactInput, 'external_id' | 'lists'>>,
  ) {
    const account = this.get(accountId);
    const contact = account.contacts.get(externalId);
    if (!contact) throw new Error(`Dialer simulator: unknown contact ${externalId}`);
    Object.assign(contact, patch, { updated_at: this.isoNow() });
    // As Dialer.io names them: a custom field is `fields.<key>`.
    const changed = Object.keys(patch).flatMap((key) =>
      key === 'fields' ? Object.keys(patch.fields ?? {}).map((field) => `fields.${field}`) : [key],
    );
    this.onContactChanged?.(account, contact, changed);
    return this.renderContact(account, contact);
  }

  /** `PATCH /v1/contacts/by-id/{id}`: sets the key of a contact made in Dialer.io itself. */
  setExternalId(account: SimAccount, contactId: string, externalId: string): SimContact | 'conflict' | null {
    const contact = [...account.contacts.values()].find((c) => c.id === contactId);
    if (!contact) return null;
    if (contact.external_id === externalId) return contact;
    const taken = account.contacts.get(externalId);
    if (contact.external_id !== null || (taken && taken !== contact)) return 'conflict';
    account.contacts.delete(contact.id);
    contact.external_id = externalId;
    account.contacts.set(externalId, contact);
    return contact;
  }

  renderList(account: SimAccount, list: SimList): DialerList {
    let count = 0;
    for (const contact of account.contacts.values()) if (contact.memberships.has(list.id)) count++;
    return { ...list, contact_count: count };
  }

  renderContact(account: SimAccount, contact: SimContact): DialerContact {
    const { memberships, ...rest } = contact;
    const lists = [...memberships].map(([id, added_at]) => ({
      id,
      name: account.lists.get(id)?.name ?? id,
      added_at,
    }));
    return { ...rest, fields: { ...rest.fields }, lists };
  }
}
