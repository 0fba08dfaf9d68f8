import type { ActivityEntry } from '../activity/record.ts';
import type { Outcome } from './perform.ts';
import type { ContactLinkUpdate } from './repository.ts';
import { DECLARED_OUTPUTS, type OutputFields } from './schemas.ts';
import type { WorkflowExecution } from './workflow-actions.table.ts';

// What an outcome becomes: HubSpot's output fields, the contact link and the activity log entry.

export function outputFieldsFor(outcome: Outcome): OutputFields {
  if (outcome.kind === 'success') {
    return {
      hs_execution_state: 'SUCCESS',
      result: outcome.result,
      dialer_contact_id: outcome.dialerContactId ?? '',
    };
  }
  return {
    hs_execution_state: 'FAIL_CONTINUE',
    error_code: outcome.code,
    error_message: outcome.message,
    ...(outcome.detail === null ? {} : { error_detail: outcome.detail }),
  };
}

/**
 * `typedOutputs` of a callback completion (HubSpot's 2026-03 reference; its generated SDKs require
 * it): the action's declared output fields (`outputFields` in the `*-hsmeta.json`) with their
 * values. Control fields (`hs_execution_state`) and the failure fields read by `executionRules`
 * stay in `outputFields` only.
 */
export function typedOutputsFor(outputFields: OutputFields): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const name of DECLARED_OUTPUTS) if (outputFields[name] !== undefined) typed[name] = outputFields[name];
  return typed;
}

export function contactLinkFor(outcome: Outcome): ContactLinkUpdate {
  if (outcome.kind === 'failure') return { synced: false, error: outcome.message };
  return {
    synced: true,
    dialerContactId: outcome.dialerContactId,
    phoneE164: outcome.phoneE164,
    lists: outcome.lists,
  };
}

const RESULT_TEXT = {
  added: (list: string) => `added the contact to the Dialer.io list “${list}”`,
  already_member: (list: string) => `found the contact already in the Dialer.io list “${list}”`,
  removed: (list: string) => `removed the contact from the Dialer.io list “${list}”`,
  not_member: (list: string) => `found the contact not in the Dialer.io list “${list}”`,
} as const;

export function activityFor(execution: WorkflowExecution, outcome: Outcome): ActivityEntry {
  const workflow = execution.workflow_id ? `Workflow ${execution.workflow_id}` : 'A workflow';
  const details = {
    callbackId: execution.callback_id,
    workflowId: execution.workflow_id,
    action: execution.action,
    attempts: execution.attempts,
  };
  const phoneE164 = outcome.phoneE164 ?? null;
  if (outcome.kind === 'failure') {
    const verb = execution.action === 'add' ? 'add the contact to' : 'remove the contact from';
    return {
      contactId: execution.contact_id,
      phoneE164,
      level: outcome.code === 'DIALER_UNAVAILABLE' ? 'error' : 'warning',
      step: 'workflow_action_failed',
      message: `${workflow} could not ${verb} a Dialer.io list: ${outcome.message}`,
      details: { ...details, errorCode: outcome.code },
    };
  }
  const text = outcome.list
    ? RESULT_TEXT[outcome.result](outcome.list.name)
    : 'removed the contact from every Dialer.io list';
  return {
    contactId: execution.contact_id,
    phoneE164,
    level: 'info',
    step: 'workflow_action_done',
    message: `${workflow} ${text}.`,
    details: {
      ...details,
      result: outcome.result,
      listId: outcome.list?.id ?? null,
      dialerContactId: outcome.dialerContactId,
    },
  };
}
