// The contact-sync model-based test at soak size (issue 17): by default 10,000 random interleavings
// of edits on both sides, deliveries delayed / duplicated / reordered and lost answers, against both
// simulators through the real entry points; 0 divergences, 0 duplicates, 0 wrong-direction moves.
//
//   npm run bench:soak -- --contact-sync [--runs 10000] [--seed N] [--path P]
//   (or SYNC_MODEL_SOAK_RUNS=N npm run bench:soak -- --contact-sync)
import fc from 'fast-check';
import os from 'node:os';
import { commandsArb, runInterleaving } from '../src/contact-sync/sync-model-commands.ts';
import { startWorld } from '../src/contact-sync/sync-model-harness.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('runs') ?? process.env.SYNC_MODEL_SOAK_RUNS ?? 10_000);
const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
const path = arg('path');

const base = await startWorld();
const started = performance.now();
const totals = { runs: 0, edits: 0, writes: 0, rounds: 0 };
try {
  console.log(`contact-sync model soak: ${runs} interleavings, seed ${seed}${path ? `, path ${path}` : ''}`);
  await fc.assert(
    fc.asyncProperty(commandsArb(10), async (cmds) => {
      const stats = await runInterleaving(base, ++totals.runs, cmds);
      totals.edits += stats.edits;
      totals.writes += stats.writes;
      totals.rounds += stats.rounds;
      if (totals.runs % 500 === 0)
        console.log(`  ${totals.runs} runs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }),
    { numRuns: runs, seed, ...(path ? { path } : {}), endOnFailure: true },
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `OK: ${totals.runs} interleavings, ${totals.edits} edits, ${totals.writes} writes ` +
      `(${(totals.writes / Math.max(1, totals.edits)).toFixed(2)} per edit), 0 divergences, 0 duplicates, ` +
      `0 wrong-direction moves; ${seconds.toFixed(0)} s; load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
} catch (error) {
  console.error(`FAILED (seed ${seed}; replay with --seed ${seed} and the path fast-check prints):`);
  console.error(error instanceof Error ? error.message : error);
  if (error instanceof Error && error.cause) console.error('Caused by:', error.cause);
  process.exitCode = 1;
} finally {
  await base.app.stop();
}
