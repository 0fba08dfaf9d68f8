import type { DialerClient, DialerContact, DialerContactInput } from '../dialer/index.ts';
import { DialerApiError } from '../dialer/index.ts';
import type { DialerConnection } from '../dialer-connection/dialer-connection.table.ts';
import type { AppContext } from '../platform/context.ts';
import { failure, failureFromDialerError, type Failure } from './failures.ts';
import type { ListCatalog } from './list-catalog.ts';
import { contactPhone } from '../phone/index.ts';
import type { ExecutionProgress, ListChange } from './progress.ts';
import { findContactLink, ownerEmail } from './repository.ts';
import {
  addToListInputsSchema,
  removeFromListInputsSchema,
  type ActionResult,
  type LinkedList,
  type StoredRequest,
} from './schemas.ts';
import type { ActionKind } from './workflow-actions.table.ts';

// The Dialer.io side of one execution, shared by the inline answer and the job. A failure that
// retrying cannot change comes back as a `Failure`; anything thrown is worth trying again later.

export interface Success {
  kind: 'success';
  result: ActionResult;
  dialerContactId: string | null;
  phoneE164: string | null;
  list: LinkedList | null;
  /** The contact's lists after the change; null when unknown. */
  lists: LinkedList[] | null;
}

export type Outcome = Success | (Failure & { phoneE164?: string | null });

export interface ActionJob {
  installationId: string;
  action: ActionKind;
  contactId: string;
  request: StoredRequest;
  /** The steps an earlier try of this execution has done: they are not sent again. */
  progress: ExecutionProgress;
}

export interface Collaborators {
  ctx: AppContext;
  connection: DialerConnection;
  client: DialerClient;
  lists: ListCatalog;
  /** Stores a step as done once Dialer.io has answered it (the execution's progress). */
  recordProgress(step: ExecutionProgress): Promise<void>;
}

export async function performAction(job: ActionJob, deps: Collaborators): Promise<Outcome> {
  try {
    return job.action === 'add' ? await addToList(job, deps) : await removeFromList(job, deps);
  } catch (error) {
    const permanent = failureFromDialerError(error);
    if (permanent) return permanent;
    throw error;
  }
}

async function addToList(job: ActionJob, deps: Collaborators): Promise<Outcome> {
  const inputs = addToListInputsSchema.safeParse(job.request.inputFields);
  if (!inputs.success) return failure('INVALID_INPUT', describeIssues(inputs.error.issues));
  const phone = contactPhone(job.request.properties, deps.connection.country);
  if (!phone.ok) return failure(phone.code);
  let { contact, listChange } = job.progress;
  if (!listChange) {
    const list = await usableList(job, deps, inputs.data.list);
    if (list.kind === 'failure') return { ...list, phoneE164: phone.e164 };
    contact ??= await writeContact(job, deps, phone.e164, inputs.data.updateDetails);
    const added = await addMember(job, deps, list);
    if ('kind' in added) return { ...added, phoneE164: phone.e164 };
    listChange = added;
  }
  const others = (contact?.lists ?? []).filter((l) => l.id !== listChange.list?.id);
  return {
    kind: 'success',
    result: listChange.result,
    dialerContactId: contact?.id ?? null,
    phoneE164: phone.e164,
    list: listChange.list,
    lists: contact && listChange.list ? [...others, listChange.list] : null,
  };
}

/** The contact written (or found) in Dialer.io, kept as the execution's progress. */
async function writeContact(
  job: ActionJob,
  deps: Collaborators,
  phoneE164: string,
  updateDetails: boolean,
): Promise<NonNullable<ExecutionProgress['contact']>> {
  const written = await ensureContact(job, deps, phoneE164, updateDetails);
  const contact = { id: written.id, lists: written.lists.map(({ id, name }) => ({ id, name })) };
  await deps.recordProgress({ contact });
  return contact;
}

async function addMember(
  job: ActionJob,
  deps: Collaborators,
  list: UsableList,
): Promise<Failure | ListChange> {
  const result = await deps.client.addListMember(list.id, job.contactId).catch((error: unknown) => {
    if (error instanceof DialerApiError && error.code === 'not_found') return failure('UNKNOWN_LIST');
    throw error;
  });
  if (typeof result !== 'string') return result;
  return recordListChange(deps, { result, list: { id: list.id, name: list.name } });
}

async function removeFromList(job: ActionJob, deps: Collaborators): Promise<Outcome> {
  const inputs = removeFromListInputsSchema.safeParse(job.request.inputFields);
  if (!inputs.success) return failure('INVALID_INPUT', describeIssues(inputs.error.issues));
  const link = await findContactLink(deps.ctx.db, job.installationId, job.contactId);
  let change = job.progress.listChange;
  if (!change && inputs.data.scope === 'all_lists') {
    await deps.client.removeAllMemberships(job.contactId);
    change = await recordListChange(deps, { result: 'removed', list: null });
  } else if (!change) {
    const list = await usableList(job, deps, inputs.data.list!);
    if (list.kind === 'failure') return list;
    const result = await deps.client.removeListMember(list.id, job.contactId);
    change = await recordListChange(deps, { result, list: { id: list.id, name: list.name } });
  }
  const { list } = change;
  const lists = list === null ? [] : link ? link.lists.filter((l) => l.id !== list.id) : null;
  const dialerContactId = link?.dialer_contact_id ?? null;
  return { kind: 'success', result: change.result, dialerContactId, phoneE164: null, list, lists };
}

async function recordListChange(deps: Collaborators, listChange: ListChange): Promise<ListChange> {
  await deps.recordProgress({ listChange });
  return listChange;
}

interface UsableList {
  kind: 'list';
  id: string;
  name: string;
}

async function usableList(
  job: ActionJob,
  deps: Collaborators,
  listId: string,
): Promise<Failure | UsableList> {
  const list = await deps.lists.find(job.installationId, listId, deps.client);
  if (!list) return failure('UNKNOWN_LIST');
  if (list.archived) return failure('ARCHIVED_LIST');
  return { kind: 'list', id: list.list_id, name: list.name };
}

/** Creates or refreshes the Dialer.io contact; with `updateDetails` off an existing one is left alone. */
async function ensureContact(
  job: ActionJob,
  deps: Collaborators,
  phoneE164: string,
  updateDetails: boolean,
): Promise<DialerContact> {
  if (!updateDetails) {
    const existing = await deps.client.getContact(job.contactId);
    if (existing) return existing;
  }
  const body = await contactDetails(job, deps, phoneE164);
  return (await deps.client.upsertContact(job.contactId, body)).contact;
}

/** Name, email, company and owner as HubSpot sent them: an emptied property is emptied in Dialer.io. */
async function contactDetails(
  job: ActionJob,
  deps: Collaborators,
  phone: string,
): Promise<DialerContactInput> {
  const props = job.request.properties;
  const text = (name: string) => (name in props ? { value: props[name]?.trim() || null } : undefined);
  const body: DialerContactInput = { phone };
  const fields = {
    email: 'email',
    first_name: 'firstname',
    last_name: 'lastname',
    company: 'company',
  } as const;
  for (const [key, property] of Object.entries(fields)) {
    const given = text(property);
    if (given) body[key as keyof typeof fields] = given.value;
  }
  const owner = text('hubspot_owner_id');
  if (owner) {
    const email =
      owner.value === null ? null : await ownerEmail(deps.ctx.db, job.installationId, owner.value);
    // An owner we do not know yet keeps Dialer.io's owner rather than clearing it.
    if (owner.value === null || email !== null) body.owner_email = email;
  }
  return body;
}

function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .map((issue) => `${issue.path.map(String).join('.') || 'inputs'}: ${issue.message}`)
    .join('; ');
}
