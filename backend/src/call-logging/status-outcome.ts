import { z } from 'zod';
import type { DialerCall } from '../dialer/index.ts';
import type { OutgoingCall } from './hubspot-calls.ts';
import type { Pipeline } from './write.ts';

const BATCH = 100;
const readAnswer = z.object({
  results: z
    .array(
      z.object({
        id: z.string(),
        properties: z.record(z.string(), z.string().nullish()).nullish().catch(null),
      }),
    )
    .catch([]),
});

/**
 * A call's disposition came after its end, and HubSpot has no outcome for it: the outcome its
 * status implied, which we wrote with the end, goes (such a call is logged without an outcome until
 * the disposition's outcome exists). Only where HubSpot still holds what we wrote, read back first:
 * an outcome a user chose in HubSpot meanwhile stays.
 */
export async function clearStatusOutcomes(
  p: Pipeline,
  outgoing: OutgoingCall[],
  calls: Map<string, DialerCall>,
): Promise<void> {
  const stale = outgoing.filter(
    (c) =>
      c.hubspotCallId &&
      calls.get(c.callId)?.disposition &&
      c.properties.hs_call_disposition === undefined &&
      c.sent?.hs_call_disposition,
  );
  for (let i = 0; i < stale.length; i += BATCH) {
    const chunk = stale.slice(i, i + BATCH);
    const answer = readAnswer.parse(
      await p.client.send('batchReadCalls', {
        signal: p.signal,
        body: { inputs: chunk.map((c) => ({ id: c.hubspotCallId })), properties: ['hs_call_disposition'] },
      }),
    );
    const held = new Map(answer.results.map((r) => [r.id, r.properties?.hs_call_disposition ?? '']));
    for (const call of chunk)
      if (held.get(call.hubspotCallId!) === call.sent!.hs_call_disposition)
        call.properties.hs_call_disposition = '';
  }
}
