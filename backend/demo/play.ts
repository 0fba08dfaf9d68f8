// Plays the scripted day through the Dialer.io simulator: each wave of calls delivered as the
// script says (in order, reversed, or shuffled with every event twice), as Dialer.io may do.
import type { DialerSimulator, SimEventEnvelope } from '../test/simulators/dialer/index.ts';
import type { CallGroup, DialerWorld } from './scenario.ts';
import { renderTable, type Cell } from './table.ts';

/** The script as a table: what each agent did and how the number was typed. */
export function scriptTable(groups: CallGroup[]): string {
  const rows: Cell[][] = groups.flatMap((group) =>
    group.calls.map((call) => {
      const seed = call.seed;
      const typed = seed.direction === 'inbound' ? seed.from_number : seed.to_number;
      const result = seed.status ?? (call.opts.answered ? 'answered' : 'not answered');
      const disposition = call.opts.disposition ? ' + disposition' : '';
      return [
        seed.started_at?.slice(11, 16),
        call.id,
        seed.direction,
        seed.agent?.name,
        typed,
        `${result}${disposition}`,
        call.story,
        `${group.label}: ${group.delivery}`,
      ];
    }),
  );
  return renderTable(
    'The scripted day in Dialer.io',
    [
      'time',
      'Dialer.io call',
      'direction',
      'agent',
      'number as typed',
      'result',
      'story',
      'webhook delivery',
    ],
    rows,
  );
}

/**
 * Emits every call's events wave by wave, waiting for each wave's deliveries before the next.
 * Returns every event sent once (the envelopes, without the duplicated deliveries).
 */
export async function playDay(
  dialer: DialerSimulator,
  world: DialerWorld,
  groups: CallGroup[],
  timeoutMs: () => number,
): Promise<SimEventEnvelope[]> {
  const sent = new Map<string, SimEventEnvelope>();
  for (const group of groups) {
    const lifecycles = group.calls.map((call) => dialer.callLifecycle(world.accountId, call.seed, call.opts));
    let envelopes: SimEventEnvelope[];
    switch (group.delivery) {
      case 'in order':
        envelopes = dialer.emitBatch(world.accountId, lifecycles.flat());
        break;
      case 'reversed (out of order)':
        // The last event of each call arrives first, `call.started` last.
        envelopes = dialer.emitBatch(
          world.accountId,
          lifecycles.flatMap((events) => [...events].reverse()),
        );
        break;
      case 'shuffled, every event twice':
        envelopes = dialer.emitBatch(world.accountId, lifecycles.flat(), { shuffle: true, duplicate: true });
        break;
    }
    for (const envelope of envelopes) sent.set(envelope.id, envelope);
    await dialer.waitForDeliveries(Math.max(1, timeoutMs()));
  }
  return [...sent.values()];
}
