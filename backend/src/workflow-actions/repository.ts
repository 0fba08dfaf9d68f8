import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { linkedListsSchema, type LinkedList, type OutputFields } from './schemas.ts';
import type { ActionKind, CallbackState, ContactLink, WorkflowExecution } from './workflow-actions.table.ts';

// Data access of the workflow actions. Every query names the installation.

export interface NewExecution {
  installationId: string;
  callbackId: string;
  action: ActionKind;
  contactId: string;
  workflowId: string | null;
  request: unknown;
}

/** Inserts the execution as `running`; undefined when HubSpot already called with this callbackId. */
export async function claimExecution(db: Db, values: NewExecution): Promise<WorkflowExecution | undefined> {
  return db
    .insertInto('workflow_executions')
    .values({
      installation_id: values.installationId,
      callback_id: values.callbackId,
      action: values.action,
      contact_id: values.contactId,
      workflow_id: values.workflowId,
      request: JSON.stringify(values.request),
      state: 'running',
    })
    .onConflict((oc) => oc.columns(['installation_id', 'callback_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findExecution(
  db: Db,
  installationId: string,
  callbackId: string,
): Promise<WorkflowExecution | undefined> {
  return db
    .selectFrom('workflow_executions')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('callback_id', '=', callbackId)
    .executeTakeFirst();
}

/** A repeated call while the first is unfinished: HubSpot now waits for the callback completion. */
export async function expectCallback(db: Db, installationId: string, callbackId: string): Promise<boolean> {
  const row = await db
    .updateTable('workflow_executions')
    .set({ needs_callback: true, updated_at: sql`updated_at` })
    .where('installation_id', '=', installationId)
    .where('callback_id', '=', callbackId)
    .where('state', '<>', 'done')
    .returning('callback_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Hands an execution to the job (`queued`); with `staleAfterMs`, only one left `running` that long. */
export async function markQueued(
  db: Db,
  installationId: string,
  callbackId: string,
  reason: string,
  staleAfterMs?: number,
): Promise<boolean> {
  let query = db
    .updateTable('workflow_executions')
    .set({ state: 'queued', needs_callback: true, message: reason, updated_at: sql`now()` })
    .where('installation_id', '=', installationId)
    .where('callback_id', '=', callbackId)
    .where('state', '<>', 'done');
  if (staleAfterMs !== undefined) {
    query = query
      .where('state', '=', 'running')
      .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterMs / 1000}::float8)`);
  }
  return (await query.returning('callback_id').executeTakeFirst()) !== undefined;
}

export async function countAttempt(db: Db, installationId: string, callbackId: string): Promise<void> {
  await db
    .updateTable('workflow_executions')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), updated_at: sql`now()` }))
    .where('installation_id', '=', installationId)
    .where('callback_id', '=', callbackId)
    .execute();
}

export interface FinalFields {
  outputFields: OutputFields;
  result: string | null;
  errorCode: string | null;
  message: string | null;
}

/**
 * Stores the final answer once; the request (contact details) and the progress are dropped. Undefined when another
 * process finished it first. `needs_callback` says whether HubSpot waits for a completion.
 */
export async function markDone(
  db: Db,
  installationId: string,
  callbackId: string,
  fields: FinalFields,
): Promise<{ needs_callback: boolean } | undefined> {
  return db
    .updateTable('workflow_executions')
    .set((eb) => ({
      state: 'done',
      request: null,
      progress: null,
      output_fields: JSON.stringify(fields.outputFields),
      result: fields.result,
      error_code: fields.errorCode,
      message: fields.message,
      callback_state: eb
        .case()
        .when('needs_callback', '=', true)
        .then('pending' as CallbackState)
        .else(null)
        .end(),
      updated_at: sql`now()`,
    }))
    .where('installation_id', '=', installationId)
    .where('callback_id', '=', callbackId)
    .where('state', '<>', 'done')
    .returning('needs_callback')
    .executeTakeFirst();
}

export type PendingCallback = Pick<
  WorkflowExecution,
  'callback_id' | 'output_fields' | 'contact_id' | 'created_at' | 'callback_attempts'
>;

/** The oldest finished executions whose completion HubSpot still waits for, and is due now. */
export async function pendingCallbacks(
  db: Db,
  installationId: string,
  limit: number,
): Promise<PendingCallback[]> {
  return db
    .selectFrom('workflow_executions')
    .select(['callback_id', 'output_fields', 'contact_id', 'created_at', 'callback_attempts'])
    .where('installation_id', '=', installationId)
    .where('callback_state', '=', 'pending')
    .where((eb) =>
      eb.or([eb('callback_retry_at', 'is', null), eb('callback_retry_at', '<=', sql<Date>`now()`)]),
    )
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

/** When the next deferred completion of the portal is due (null when none waits). */
export async function nextCallbackRetry(db: Db, installationId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('workflow_executions')
    .select((eb) => eb.fn.min('callback_retry_at').as('at'))
    .where('installation_id', '=', installationId)
    .where('callback_state', '=', 'pending')
    .where('callback_retry_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** A completion HubSpot refused (or could not take): sent again alone after `retryAt`. */
export async function deferCallback(
  db: Db,
  installationId: string,
  callbackId: string,
  retryAt: Date,
  error: string,
) {
  await db
    .updateTable('workflow_executions')
    .set((eb) => ({
      callback_attempts: eb('callback_attempts', '+', 1),
      callback_retry_at: retryAt,
      callback_error: error,
      updated_at: sql`now()`,
    }))
    .where('installation_id', '=', installationId)
    .where('callback_id', '=', callbackId)
    .execute();
}

/** Executions left `running` longer than `staleAfterMs` (their process died mid-answer). */
export async function staleRunning(db: Db, installationId: string, staleAfterMs: number): Promise<string[]> {
  const rows = await db
    .selectFrom('workflow_executions')
    .select('callback_id')
    .where('installation_id', '=', installationId)
    .where('state', '=', 'running')
    .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterMs / 1000}::float8)`)
    .limit(1000)
    .execute();
  return rows.map((row) => row.callback_id);
}

export async function markCallbacks(
  db: Db,
  installationId: string,
  callbackIds: string[],
  state: Exclude<CallbackState, 'pending'>,
  error: string | null = null,
): Promise<void> {
  if (callbackIds.length === 0) return;
  await db
    .updateTable('workflow_executions')
    .set({
      callback_state: state,
      callback_error: error,
      callback_sent_at: state === 'sent' ? sql`now()` : null,
      updated_at: sql`now()`,
    })
    .where('installation_id', '=', installationId)
    .where('callback_id', 'in', callbackIds)
    .execute();
}

export async function findContactLink(
  db: Db,
  installationId: string,
  contactId: string,
): Promise<(Omit<ContactLink, 'lists'> & { lists: LinkedList[] }) | undefined> {
  const row = await db
    .selectFrom('contact_links')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  if (!row) return undefined;
  const lists = linkedListsSchema.safeParse(row.lists);
  return { ...row, lists: lists.success ? lists.data : [] };
}

export type ContactLinkUpdate =
  | { synced: true; dialerContactId: string | null; phoneE164: string | null; lists: LinkedList[] | null }
  | { synced: false; error: string };

/** Keeps the link for the contact card: a success replaces what we know, a failure only notes it. */
export async function saveContactLink(
  db: Db,
  installationId: string,
  contactId: string,
  update: ContactLinkUpdate,
): Promise<void> {
  const base = { installation_id: installationId, contact_id: contactId };
  if (!update.synced) {
    await db
      .insertInto('contact_links')
      .values({ ...base, last_error: update.error })
      .onConflict((oc) =>
        oc
          .columns(['installation_id', 'contact_id'])
          .doUpdateSet({ last_error: update.error, updated_at: sql`now()` }),
      )
      .execute();
    return;
  }
  const row = {
    last_error: null,
    last_synced_at: sql<Date>`now()`,
    updated_at: sql<Date>`now()`,
    ...(update.dialerContactId === null ? {} : { dialer_contact_id: update.dialerContactId }),
    ...(update.phoneE164 === null ? {} : { phone_e164: update.phoneE164 }),
    ...(update.lists === null ? {} : { lists: JSON.stringify(update.lists) }),
  };
  await db
    .insertInto('contact_links')
    .values({ ...base, ...row })
    .onConflict((oc) => oc.columns(['installation_id', 'contact_id']).doUpdateSet(row))
    .execute();
}

/** The email of a HubSpot owner as last read (for the Dialer.io contact's `owner_email`). */
export async function ownerEmail(db: Db, installationId: string, ownerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('hubspot_owners')
    .select('email')
    .where('installation_id', '=', installationId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return row?.email ?? null;
}
