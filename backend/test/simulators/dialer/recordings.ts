import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { accountOf, sendError } from './middleware.ts';
import type { SimAccount, SimState } from './state.ts';

// Recordings and transcripts of /work/shared/dialer-api.md ("Calls, recordings and transcripts"):
// a signed link per request (15 minutes), a real two-channel WAV (caller on channel 1, callee on
// channel 2) served with `Range` (206), transcripts, and 404 / 409 as the contract says.

export interface SimUtterance {
  speaker: 'agent' | 'contact';
  text: string;
  start_ms: number;
  end_ms: number;
}

interface SimMedia {
  recording?: { state: 'storing' | 'ready' | 'deleted' };
  transcript?: { language: string; utterances: SimUtterance[] };
}

const LINK_TTL_MS = 15 * 60_000;
const SIGNING_KEY = randomBytes(32);
const media = new WeakMap<SimAccount, Map<string, SimMedia>>();

export function mediaOf(account: SimAccount, callId: string): SimMedia {
  const calls = media.get(account) ?? media.set(account, new Map()).get(account)!;
  return calls.get(callId) ?? calls.set(callId, {}).get(callId)!;
}

const sign = (accountId: string, callId: string, expires: number) =>
  createHmac('sha256', SIGNING_KEY).update(`${accountId}/${callId}/${expires}`).digest('base64url');

/** A two-channel 16-bit PCM WAV of `seconds`: a 440 Hz tone for the caller, 660 Hz for the callee. */
export function twoChannelWav(seconds = 2, sampleRate = 8000): Buffer {
  const frames = seconds * sampleRate;
  const data = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    data.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * 440 * t)), i * 4);
    data.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * 660 * t)), i * 4 + 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22); // channels
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const WAV = twoChannelWav();

function serveAudio(req: Request, res: Response) {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  res.setHeader('accept-ranges', 'bytes');
  res.setHeader('content-type', 'audio/wav');
  if (!range) return void res.status(200).send(WAV);
  const start = range[1] ? Number(range[1]) : Math.max(0, WAV.length - Number(range[2]));
  const end = range[1] && range[2] ? Math.min(Number(range[2]), WAV.length - 1) : WAV.length - 1;
  if (start > end || start >= WAV.length) {
    res.setHeader('content-range', `bytes */${WAV.length}`);
    return void res.status(416).end();
  }
  res.setHeader('content-range', `bytes ${start}-${end}/${WAV.length}`);
  res.status(206).send(WAV.subarray(start, end + 1));
}

export function mediaRoutes(app: Express, state: SimState, now: () => number): void {
  app.get('/v1/calls/:id/recording', (req, res) => {
    const account = accountOf(res);
    const callId = String(req.params.id);
    const recording = mediaOf(account, callId).recording;
    if (!recording || recording.state === 'deleted')
      return sendError(res, 404, 'not_found', 'This call has no recording');
    if (recording.state === 'storing')
      return sendError(res, 409, 'not_ready', 'The recording is being stored');
    const expires = now() + LINK_TTL_MS;
    const token = sign(account.id, callId, expires);
    const url = `http://${req.headers.host}/media/${account.id}/${encodeURIComponent(callId)}.wav?expires=${expires}&signature=${token}`;
    res.json({
      url,
      expires_at: new Date(expires).toISOString(),
      content_type: 'audio/wav',
      channels: 2,
      duration_seconds: 2,
    });
  });

  app.get('/v1/calls/:id/transcript', (req, res) => {
    const callId = String(req.params.id);
    const transcript = mediaOf(accountOf(res), callId).transcript;
    if (!transcript) return sendError(res, 404, 'not_found', 'This call has no transcript');
    res.json({ call_id: callId, language: transcript.language, utterances: transcript.utterances });
  });

  // The signed link: no token, works until it expires, only for a recording that still exists.
  app.get('/media/:accountId/:file', (req, res) => {
    const accountId = String(req.params.accountId);
    const callId = String(req.params.file).replace(/\.wav$/, '');
    const expires = Number(req.query.expires);
    const given = Buffer.from(String(req.query.signature ?? ''));
    const wanted = Buffer.from(sign(accountId, callId, expires));
    const valid = given.length === wanted.length && timingSafeEqual(given, wanted) && expires > now();
    if (!valid) return sendError(res, 403, 'forbidden', 'The link is invalid or expired');
    const account = state.get(accountId);
    if (mediaOf(account, callId).recording?.state !== 'ready')
      return sendError(res, 404, 'not_found', 'The recording was deleted');
    serveAudio(req, res);
  });
}
