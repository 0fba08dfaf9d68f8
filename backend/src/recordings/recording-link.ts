import { sql } from 'kysely';
import { dialerClientFor } from '../dialer-connection/dialer-access.ts';
import type { AppContext } from '../platform/context.ts';
import { cachedRecordingLink, keepRecordingLink } from './link-cache.ts';

export type RecordingLinkResult =
  { ok: true; url: string } | { ok: false; reason: 'unknown_call' | 'no_recording' };

/** How long HubSpot's request waits for Dialer.io's link (its own timeout is not documented). */
const DIALER_TIMEOUT_MS = 10_000;

/**
 * The signed Dialer.io link for a call HubSpot asks to play. The request names the connection's
 * unguessable key (`hs_call_external_account_id`) and the call's Dialer.io id; one indexed query
 * finds the call of that connection's active installation and whether its recording is ready. A
 * call of another account or portal, an unknown key, a disconnected account, a recording not
 * ready or deleted: no Dialer.io request, `unknown_call` / `no_recording`. Otherwise one request,
 * under the account's pacing, unless this process holds a fresh link.
 */
export async function recordingLink(
  ctx: AppContext,
  accountKey: string,
  callId: string,
): Promise<RecordingLinkResult> {
  const { rows } = await sql<{
    installation_id: string;
    account_id: string;
    api_token_enc: string;
    recording: string | null;
  }>`
    select d.installation_id, d.account_id, d.api_token_enc, m.recording
    from dialer_connections d
    join installations i on i.id = d.installation_id and i.status = 'active'
    join calls c on c.installation_id = d.installation_id and c.call_id = ${callId}
    left join call_media m on m.installation_id = c.installation_id and m.call_id = c.call_id
    where d.recording_account_key = ${accountKey}
  `.execute(ctx.db);
  const found = rows[0];
  if (!found) return { ok: false, reason: 'unknown_call' };
  if (found.recording !== 'ready') return { ok: false, reason: 'no_recording' };

  const cached = cachedRecordingLink(found.installation_id, callId, ctx.now());
  if (cached) return { ok: true, url: cached };
  const client = dialerClientFor(
    ctx,
    { account_id: found.account_id, api_token_enc: found.api_token_enc },
    AbortSignal.timeout(DIALER_TIMEOUT_MS),
  );
  const recording = await client.getRecording(callId);
  if (typeof recording === 'string') return { ok: false, reason: 'no_recording' };
  keepRecordingLink(
    found.installation_id,
    callId,
    { url: recording.url, expiresAt: Date.parse(recording.expires_at) },
    ctx.now(),
  );
  return { ok: true, url: recording.url };
}
