import type { DialerContact } from '../dialer/index.ts';
import { findConnection } from '../dialer-connection/repository.ts';
import type { Installation } from '../installations/installation.table.ts';
import type { AppContext } from '../platform/context.ts';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import { findContactLink } from '../workflow-actions/repository.ts';

const LAST_CALLS = 10;

/**
 * What the contact card shows: the contact in Dialer.io, its lists, its last calls (with whether
 * each has a playable recording and a transcript sent to HubSpot), the last error.
 */
export async function contactStatus(ctx: AppContext, installation: Installation, contactId: string) {
  const link = await findContactLink(ctx.db, installation.id, contactId);
  const connection = await findConnection(ctx.db, installation.id);
  let dialer: DialerContact | null = null;
  let readError: string | null = null;
  if (connection) {
    try {
      dialer = await dialerClientFor(ctx, connection).getContact(contactId);
    } catch (error) {
      readError = `Dialer.io could not be read: ${(error as Error).message}`;
    }
  }
  const lists = dialer
    ? dialer.lists.map((l) => ({ listId: l.id, name: l.name, addedAt: l.added_at }))
    : (link?.lists ?? []).map((l) => ({ listId: l.id, name: l.name, addedAt: null }));
  const lastError = link?.last_error ?? readError;
  return {
    contactId,
    dialer: {
      linked: dialer !== null || Boolean(link?.dialer_contact_id),
      dialerContactId: dialer?.id ?? link?.dialer_contact_id ?? null,
      doNotCall: dialer ? dialer.dnc : null,
      lineType: dialer ? dialer.line_type : null,
    },
    lists,
    calls: await lastCalls(ctx, installation.id, contactId),
    lastError: lastError
      ? { message: lastError, at: link?.updated_at ? new Date(link.updated_at).toISOString() : null }
      : null,
  };
}

async function lastCalls(ctx: AppContext, installationId: string, contactId: string) {
  const rows = await ctx.db
    .selectFrom('calls')
    .leftJoin('hubspot_outcomes', (join) =>
      join
        .onRef('hubspot_outcomes.installation_id', '=', 'calls.installation_id')
        .onRef('hubspot_outcomes.outcome_id', '=', 'calls.outcome_id'),
    )
    .leftJoin('hubspot_owners', (join) =>
      join
        .onRef('hubspot_owners.installation_id', '=', 'calls.installation_id')
        .onRef('hubspot_owners.owner_id', '=', 'calls.owner_id'),
    )
    .leftJoin('call_media', (join) =>
      join
        .onRef('call_media.installation_id', '=', 'calls.installation_id')
        .onRef('call_media.call_id', '=', 'calls.call_id'),
    )
    .select([
      'calls.call_id',
      'calls.started_at',
      'calls.data',
      'calls.sync_state',
      'hubspot_outcomes.label',
      'hubspot_owners.email',
      'hubspot_owners.first_name',
      'hubspot_owners.last_name',
      'call_media.recording',
      'call_media.transcript',
    ])
    .where('calls.installation_id', '=', installationId)
    .where('calls.contact_id', '=', contactId)
    .orderBy('calls.started_at', 'desc')
    .limit(LAST_CALLS)
    .execute();
  return rows.map((row) => ({
    callId: row.call_id,
    startedAt: new Date(row.started_at ?? 0).toISOString(),
    direction: (row.data as { direction?: string }).direction ?? null,
    outcome: row.label ?? null,
    owner: [row.first_name, row.last_name].filter(Boolean).join(' ') || row.email || null,
    syncState: row.sync_state,
    // A recording that plays in HubSpot (a deleted one does not), a transcript HubSpot accepted.
    hasRecording: row.recording === 'ready',
    transcriptSent: row.transcript === 'sent',
  }));
}
