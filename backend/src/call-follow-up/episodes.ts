import { randomUUID } from 'node:crypto';
import type { DialerCall } from '../dialer/index.ts';
import type { FollowUpTask, FollowUpTaskKind } from './call-follow-up.table.ts';

/** A written call as the follow-up job sees it. */
export interface FollowUpCall {
  callId: string;
  hubspotCallId: string;
  call: DialerCall;
  contactId: string | null;
  /** The HubSpot owner the call was logged under (its agent's owner). */
  agentOwnerId: string | null;
  phoneE164: string | null;
}

/** An episode in memory: a stored task row, or a new one; `calls` = HubSpot calls to associate. */
export interface Episode {
  task: FollowUpTask;
  isNew: boolean;
  changed: boolean;
  calls: FollowUpCall[];
}

export const isMiss = (c: DialerCall) =>
  c.direction === 'inbound' && (c.status === 'missed' || c.status === 'voicemail');
export const isAnswered = (c: DialerCall) => c.status === 'completed' || c.answered_at !== null;
export const callTime = (c: DialerCall) => new Date(c.started_at ?? c.ended_at ?? Date.now());
export const missKey = (c: FollowUpCall) =>
  c.phoneE164 ?? (c.contactId ? `contact:${c.contactId}` : `call:${c.callId}`);
export const episodeKey = (kind: FollowUpTaskKind, key: string) => `${kind}|${key}`;

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function missedBody(number: string, first: Date, line: string, count: number, last: Date): string {
  const lines = [`Missed inbound call from ${number} at ${utc(first)} on line ${line}.`];
  if (count > 1) lines.push(`Missed calls from this number: ${count}, the last at ${utc(last)}.`);
  return lines.join('\n');
}

export function agentBody(agent: NonNullable<DialerCall['agent']>, count: number): string {
  return [
    `Calls handled by Dialer.io agent ${agent.name}${agent.email ? ` (${agent.email})` : ''} are logged in HubSpot without an owner.`,
    'Map the agent to a HubSpot owner in the Dialer Sync settings (Agents tab), then complete this task.',
    `Calls so far: ${count}.`,
  ].join('\n');
}

export function newEpisode(
  installationId: string,
  kind: FollowUpTaskKind,
  key: string,
  call: FollowUpCall,
  fields: { subject: string; body: string; dueAt: Date },
): Episode {
  const now = new Date();
  return {
    isNew: true,
    changed: true,
    calls: [call],
    task: {
      installation_id: installationId,
      id: randomUUID(),
      kind,
      episode_key: key,
      state: 'creating',
      hubspot_task_id: null,
      contact_id: kind === 'missed' ? call.contactId : null,
      phone_e164: kind === 'missed' ? call.phoneE164 : null,
      owner_id: null,
      subject: fields.subject,
      body: fields.body,
      due_at: fields.dueAt,
      miss_count: 1,
      first_call_id: call.callId,
      last_call_at: callTime(call.call),
      pending_update: false,
      closed_reason: null,
      created_at: now,
      updated_at: now,
    },
  };
}
