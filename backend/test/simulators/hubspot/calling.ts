// Calling extensions: recording settings per app, "recording ready", third-party transcripts, and
// playback as HubSpot does it (GET the app's URL with `%s` = external id and `appId`,
// `externalAccountId` in the query; then a Range request to the `authenticatedUrl` it answers).
import { Router } from 'express';
import type { SimCore } from './core.ts';
import { SimHttpError, bodyOf, notFound, param, portalOf, validationError } from './http.ts';

export interface SimTranscript {
  id: string;
  portalId: number;
  engagementId: number;
  utterances: {
    speaker: { id: string; name?: string; email?: string };
    text: string;
    languageCode?: string;
    startTimeMillis: number;
    endTimeMillis: number;
  }[];
}

export class CallingState {
  /** appId → `urlToRetrieveAuthedRecording`. */
  readonly recordingUrls = new Map<string, string>();
  /** portalId → engagement ids marked ready, in order (repeats kept: tests count them). */
  readonly ready = new Map<number, number[]>();
  readonly transcripts: SimTranscript[] = [];
  private seq = 1;
  nextId = () => String(7_000_000 + this.seq++);
}

function recordingUrl(input: Record<string, unknown>, required: boolean): string | undefined {
  const url = input.urlToRetrieveAuthedRecording;
  if (url === undefined && !required) return undefined;
  if (typeof url !== 'string' || !url.includes('%s') || !/^https?:\/\//.test(url))
    throw validationError('urlToRetrieveAuthedRecording must be a URL containing %s');
  return url;
}

export function callingRouter(core: SimCore, calling: CallingState): Router {
  const r = Router();
  const base = '/crm/extensions/calling/2026-03';

  r.post(`${base}/:appId/settings/recording`, (req, res) => {
    portalOf(res);
    const appId = param(req, 'appId');
    if (calling.recordingUrls.has(appId))
      throw new SimHttpError(409, 'CONFLICT', `Recording settings already exist for app ${appId}`);
    calling.recordingUrls.set(appId, recordingUrl(bodyOf(req), true)!);
    res.json({ urlToRetrieveAuthedRecording: calling.recordingUrls.get(appId) });
  });
  r.patch(`${base}/:appId/settings/recording`, (req, res) => {
    portalOf(res);
    const appId = param(req, 'appId');
    if (!calling.recordingUrls.has(appId)) throw notFound(`No recording settings for app ${appId}`);
    const url = recordingUrl(bodyOf(req), false);
    if (url) calling.recordingUrls.set(appId, url);
    res.json({ urlToRetrieveAuthedRecording: calling.recordingUrls.get(appId) });
  });
  r.get(`${base}/:appId/settings/recording`, (req, res) => {
    portalOf(res);
    const url = calling.recordingUrls.get(param(req, 'appId'));
    if (!url) throw notFound('No recording settings for this app');
    res.json({ urlToRetrieveAuthedRecording: url });
  });

  r.post(`${base}/recordings/ready`, (req, res) => {
    const portal = portalOf(res);
    const id = Number(bodyOf(req).engagementId);
    if (!Number.isInteger(id) || !portal.call(String(id))) throw notFound(`No call ${String(id)}`);
    calling.ready.set(portal.portalId, [...(calling.ready.get(portal.portalId) ?? []), id]);
    res.status(204).end();
  });

  r.post(`${base}/transcripts`, (req, res) => {
    const portal = portalOf(res);
    const body = bodyOf(req);
    const id = Number(body.engagementId);
    if (!Number.isInteger(id) || !portal.call(String(id))) throw notFound(`No call ${String(id)}`);
    const utterances = body.transcriptCreateUtterances;
    if (!Array.isArray(utterances) || utterances.length === 0)
      throw validationError('transcriptCreateUtterances must be a non-empty array');
    for (const u of utterances as Record<string, unknown>[]) {
      const speaker = u.speaker as Record<string, unknown> | undefined;
      if (typeof speaker?.id !== 'string' || typeof u.text !== 'string')
        throw validationError('each utterance needs speaker.id and text');
      if (typeof u.startTimeMillis !== 'number' || typeof u.endTimeMillis !== 'number')
        throw validationError('each utterance needs startTimeMillis and endTimeMillis');
    }
    const transcript: SimTranscript = {
      id: calling.nextId(),
      portalId: portal.portalId,
      engagementId: id,
      utterances: utterances as SimTranscript['utterances'],
    };
    calling.transcripts.push(transcript);
    res.status(201).json({ id: transcript.id });
  });
  r.get(`${base}/transcripts/:id`, (req, res) => {
    const portal = portalOf(res);
    const t = calling.transcripts.find((x) => x.id === param(req, 'id') && x.portalId === portal.portalId);
    if (!t) throw notFound('No such transcript');
    res.json({ id: t.id, engagementId: t.engagementId, transcriptUtterances: t.utterances });
  });
  return r;
}

export interface Playback {
  /** Our app's answer to HubSpot's request. */
  status: number;
  authenticatedUrl?: string;
  /** The Range request to the authenticated URL (bytes 0-1023). */
  audio?: { status: number; contentRange: string | null; bytes: Buffer };
}

/** Plays a call as a user pressing play on the timeline would make HubSpot do. */
export async function playRecording(
  core: SimCore,
  calling: CallingState,
  portalId: number,
  callId: string,
): Promise<Playback> {
  const call = core.portal(portalId).call(callId);
  if (!call) throw new Error(`HubSpot simulator: no call ${callId} in portal ${portalId}`);
  const p = call.properties;
  const template = calling.recordingUrls.get(String(p.hs_call_app_id ?? ''));
  if (p.hs_call_source !== 'INTEGRATIONS_PLATFORM' || !template)
    throw new Error('HubSpot would not ask an app for this recording');
  const url = new URL(template.replace('%s', encodeURIComponent(String(p.hs_call_external_id))));
  url.searchParams.set('appId', String(p.hs_call_app_id));
  url.searchParams.set('externalAccountId', String(p.hs_call_external_account_id));
  const answer = await fetch(url);
  const body = (await answer.json().catch(() => ({}))) as { authenticatedUrl?: unknown };
  if (answer.status !== 200 || typeof body.authenticatedUrl !== 'string') return { status: answer.status };
  const media = await fetch(body.authenticatedUrl, { headers: { range: 'bytes=0-1023' } });
  return {
    status: answer.status,
    authenticatedUrl: body.authenticatedUrl,
    audio: {
      status: media.status,
      contentRange: media.headers.get('content-range'),
      bytes: Buffer.from(await media.arrayBuffer()),
    },
  };
}
