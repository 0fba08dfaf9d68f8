import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDialerClient } from '../../../src/dialer/index.ts';
import { startDialerSimulator, type DialerSimulator } from './index.ts';
import { twoChannelWav } from './recordings.ts';

// The owned Dialer client's recording and transcript calls against the simulator, and the signed
// link as HubSpot's player uses it.

let sim: DialerSimulator;
beforeAll(async () => {
  sim = await startDialerSimulator();
});
afterAll(async () => {
  await sim.close();
});

function setup() {
  const { id, token } = sim.createAccount({ name: 'Harbour Sales' });
  return { accountId: id, client: createDialerClient({ baseUrl: sim.url, apiToken: token }) };
}

describe('Dialer.io simulator: recordings and transcripts', () => {
  it('answers missing, not ready, then a signed link that serves the WAV with Range', async () => {
    const { accountId, client } = setup();
    expect(await client.getRecording('c1')).toBe('missing');
    sim.setRecording(accountId, 'c1', 'storing');
    expect(await client.getRecording('c1')).toBe('not_ready');
    sim.setRecording(accountId, 'c1', 'ready');
    const recording = await client.getRecording('c1');
    if (typeof recording === 'string') throw new Error(recording);
    expect(recording).toMatchObject({ content_type: 'audio/wav', channels: 2 });
    expect(Date.parse(recording.expires_at) - Date.now()).toBeGreaterThan(14 * 60_000);

    const wav = twoChannelWav();
    expect(wav.readUInt16LE(22)).toBe(2); // channels in the header
    const whole = await fetch(recording.url);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(wav)).toBe(true);
    const part = await fetch(recording.url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${wav.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(wav.subarray(100, 200))).toBe(true);

    const forged = new URL(recording.url);
    forged.searchParams.set('signature', 'x'.repeat(43));
    expect((await fetch(forged)).status).toBe(403);
    sim.setRecording(accountId, 'c1', 'deleted');
    expect((await fetch(recording.url)).status).toBe(404);
    expect(await client.getRecording('c1')).toBe('missing');
  });

  it('serves a transcript once there is one', async () => {
    const { accountId, client } = setup();
    expect(await client.getTranscript('c2')).toBe('missing');
    sim.setTranscript(accountId, 'c2', [{ speaker: 'agent', text: 'Hello', start_ms: 0, end_ms: 900 }]);
    expect(await client.getTranscript('c2')).toEqual({
      call_id: 'c2',
      language: 'en-US',
      utterances: [{ speaker: 'agent', text: 'Hello', start_ms: 0, end_ms: 900 }],
    });
  });
});
