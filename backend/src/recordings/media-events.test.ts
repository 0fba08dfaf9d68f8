import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { installationId } from '../mappings/test-helpers.ts';
import { recordMediaEvents, type MediaEvent } from './media-events.ts';

// Dialer.io delivers the recording events late, twice and out of order, folded in batches of any
// size: what we hold of each call must not depend on how they were cut or repeated, and a
// deletion is final whatever came after it.

let app: TestApp;
let installation: string;
beforeAll(async () => {
  app = await startTestApp({ workers: false });
  await app.install(580001);
  installation = await installationId(app, 580001);
}, 120_000);
afterAll(async () => {
  await app.stop();
});

const TYPES = ['call.recording_ready', 'call.transcribed', 'call.recording_deleted'] as const;

/** The model: what a call's row must say after any delivery of these events. */
function expected(events: MediaEvent[], callId: string) {
  const types = new Set(events.filter((e) => e.callId === callId).map((e) => e.type));
  if (types.size === 0) return undefined;
  return {
    recording: types.has('call.recording_deleted')
      ? 'deleted'
      : types.has('call.recording_ready')
        ? 'ready'
        : 'none',
    transcript: types.has('call.transcribed') ? 'available' : 'none',
  };
}

describe('recording events folded into call_media', () => {
  it('end in the same state whatever the order, repeats and batches', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ call: fc.constantFrom('a', 'b'), type: fc.constantFrom(...TYPES) }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 12, maxLength: 12 }),
        async (drawn, cuts) => {
          const prefix = `r${run++}-`;
          const events = drawn.map((e) => ({ callId: prefix + e.call, type: e.type }));
          for (let i = 0, b = 0; i < events.length; i += cuts[b++ % cuts.length]!) {
            const batch = events.slice(i, i + cuts[b % cuts.length]!);
            await app.runtime.ctx.db
              .transaction()
              .execute((trx) => recordMediaEvents(trx, installation, batch));
          }
          for (const call of ['a', 'b']) {
            const row = await app.runtime.ctx.db
              .selectFrom('call_media')
              .select(['recording', 'transcript'])
              .where('installation_id', '=', installation)
              .where('call_id', '=', prefix + call)
              .executeTakeFirst();
            expect(row).toEqual(expected(events, prefix + call));
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
