import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsArb, runInterleaving } from './sync-model-commands.ts';
import { startWorld } from './sync-model-harness.ts';

// Model-based test of the contact-sync model (decision 0012): random interleavings of HubSpot and
// Dialer.io edits, webhook deliveries delayed, duplicated and reordered, lost answers (the write
// lands, the answer is a 502 or the connection drops, as when a worker is killed mid-request),
// through the real entry points (POST /hubspot/webhooks, POST /dialer/webhooks/:key, the jobs).
// After quiescence both sides hold the later value of every field, no field moved against its
// direction, no contact is duplicated and the writes are bounded. Replay a failure with
// SYNC_MODEL_SEED=<seed> SYNC_MODEL_PATH=<path> (printed by fast-check).

const RUNS = Number(process.env.SYNC_MODEL_RUNS ?? 200);
const seed = process.env.SYNC_MODEL_SEED ? Number(process.env.SYNC_MODEL_SEED) : undefined;
const path = process.env.SYNC_MODEL_PATH;

let base: Awaited<ReturnType<typeof startWorld>>;
beforeAll(async () => {
  base = await startWorld();
}, 60_000);
afterAll(() => base?.app.stop());

describe('contact sync under random interleavings', () => {
  it(`${RUNS} interleavings end with both sides holding the later value`, async () => {
    let seq = 0;
    const totals = { edits: 0, writes: 0, rounds: 0 };
    await fc.assert(
      fc.asyncProperty(commandsArb(10), async (cmds) => {
        const stats = await runInterleaving(base, ++seq, cmds);
        totals.edits += stats.edits;
        totals.writes += stats.writes;
        totals.rounds += stats.rounds;
      }),
      {
        numRuns: RUNS,
        ...(seed === undefined ? {} : { seed }),
        ...(path ? { path } : {}),
        endOnFailure: true,
      },
    );
    console.info(
      `sync model: ${seq} interleavings, ${totals.edits} edits, ${totals.writes} writes, ${totals.rounds} delivery rounds`,
    );
    expect(seq).toBeGreaterThanOrEqual(RUNS);
    expect(totals.edits).toBeGreaterThan(RUNS); // the runs did something
  }, 600_000);
});
