// What the demo prints at the end: what landed in HubSpot, events sent vs calls created, and
// the activity log, read back from the HubSpot simulator, the Dialer.io simulator and our API.
import type { SimEventEnvelope } from '../test/simulators/dialer/index.ts';
import type { SimObject, SimPortal } from '../test/simulators/hubspot/index.ts';
import type { CallGroup, Expected, ScriptedCall } from './scenario.ts';
import type { DemoStack } from './stack.ts';
import { renderTable, type Cell } from './table.ts';

export interface ActivityItem {
  callId: string | null;
  level: string;
  step: string;
  message: string;
}

export interface CallCount {
  callId: string;
  events: number;
  deliveries: number;
  stored: number;
  hubspotCalls: number;
}

const OK = 'yes';

/** The HubSpot call as a reader sees it: labels instead of ids. */
function describeCall(portal: SimPortal, call: SimObject) {
  const p = call.properties;
  const contactId = call.associations.contacts?.[0]?.id;
  const contact = contactId ? portal.contact(contactId) : undefined;
  const name = contact
    ? [contact.properties.firstname, contact.properties.lastname].filter(Boolean).join(' ') || null
    : null;
  return {
    time: p.hs_timestamp ? new Date(p.hs_timestamp).toISOString().slice(11, 16) : '',
    externalId: p.hs_call_external_id ?? '',
    direction: p.hs_call_direction ?? '',
    status: p.hs_call_status ?? '',
    outcome: portal.outcomes.find((o) => o.id === p.hs_call_disposition)?.label ?? null,
    owner: portal.owners.find((o) => o.id === p.hubspot_owner_id)?.email ?? null,
    contact: name,
    number: (p.hs_call_direction === 'INBOUND' ? p.hs_call_from_number : p.hs_call_to_number) ?? null,
    title: p.hs_call_title ?? '',
  };
}

function differences(actual: ReturnType<typeof describeCall>, expected: Expected): string[] {
  const wrong: string[] = [];
  for (const key of ['status', 'outcome', 'contact', 'owner'] as const) {
    if ((actual[key] ?? null) !== expected[key])
      wrong.push(`${key} is ${actual[key] ?? 'empty'}, expected ${expected[key] ?? 'empty'}`);
  }
  return wrong;
}

/** Table 1: every call in the HubSpot simulator, checked against the script. */
export function hubspotCallsTable(portal: SimPortal, scripted: ScriptedCall[]) {
  const expected = new Map(scripted.map((call) => [call.id, call.expect]));
  const problems: string[] = [];
  const calls = portal.calls
    .map((call) => describeCall(portal, call))
    .sort((a, b) => a.time.localeCompare(b.time) || a.externalId.localeCompare(b.externalId));
  const rows: Cell[][] = calls.map((call) => {
    const want = expected.get(call.externalId);
    const wrong = want ? differences(call, want) : ['not in the script'];
    for (const problem of wrong) problems.push(`${call.externalId}: ${problem}`);
    return [
      call.time,
      call.externalId,
      call.direction,
      call.status,
      call.outcome,
      call.owner,
      call.contact ?? '(no contact)',
      call.number,
      call.title,
      wrong.length === 0 ? OK : 'NO',
    ];
  });
  const text = renderTable(
    `Calls logged in HubSpot (portal ${portal.portalId})`,
    [
      'time',
      'external id',
      'direction',
      'status',
      'outcome',
      'owner',
      'contact',
      'number',
      'title',
      'as scripted',
    ],
    rows,
  );
  return { text, problems };
}

/** Table 2: per Dialer.io call, the events sent and delivered vs the HubSpot calls created. */
export function eventsVsCallsTable(
  groups: CallGroup[],
  sent: SimEventEnvelope[],
  deliveredEventIds: string[],
  storedByCall: Map<string, number>,
  portal: SimPortal,
) {
  const callOf = (event: SimEventEnvelope) => (event.data as { call?: { id?: string } }).call?.id ?? '';
  const counts: CallCount[] = [];
  const rows: Cell[][] = [];
  for (const group of groups) {
    for (const call of group.calls) {
      const eventIds = new Set(sent.filter((event) => callOf(event) === call.id).map((event) => event.id));
      const count: CallCount = {
        callId: call.id,
        events: eventIds.size,
        deliveries: deliveredEventIds.filter((id) => eventIds.has(id)).length,
        stored: storedByCall.get(call.id) ?? 0,
        hubspotCalls: portal.callsByExternalId(call.id).length,
      };
      counts.push(count);
      rows.push([
        call.id,
        call.story,
        group.delivery,
        count.events,
        count.deliveries,
        count.stored,
        count.hubspotCalls,
      ]);
    }
  }
  const sum = (key: keyof Omit<CallCount, 'callId'>) => counts.reduce((total, c) => total + c[key], 0);
  const text = renderTable(
    'Dialer.io events sent vs HubSpot calls created',
    ['Dialer.io call', 'story', 'delivered', 'events', 'POSTs', 'stored', 'HubSpot calls'],
    rows,
    {
      alignRight: ['events', 'POSTs', 'stored', 'HubSpot calls'],
      footer: [
        [
          `${counts.length} calls`,
          '',
          '',
          sum('events'),
          sum('deliveries'),
          sum('stored'),
          sum('hubspotCalls'),
        ],
      ],
    },
  );
  return { text, counts };
}

/** Table 3 and 4: activity log entries by step and level, then every warning and error. */
export function activityTables(items: ActivityItem[]) {
  const byStep = new Map<string, { step: string; level: string; count: number; calls: Set<string> }>();
  for (const item of items) {
    const key = `${item.step}\u0000${item.level}`;
    const entry = byStep.get(key) ?? { step: item.step, level: item.level, count: 0, calls: new Set() };
    entry.count++;
    if (item.callId) entry.calls.add(item.callId);
    byStep.set(key, entry);
  }
  const levelOrder = ['info', 'warning', 'error'];
  const summary = [...byStep.values()].sort(
    (a, b) => levelOrder.indexOf(a.level) - levelOrder.indexOf(b.level) || a.step.localeCompare(b.step),
  );
  const summaryText = renderTable(
    `Activity log summary (GET /api/activity, ${items.length} entries)`,
    ['step', 'level', 'entries', 'calls'],
    summary.map((s) => [s.step, s.level, s.count, s.calls.size]),
    { alignRight: ['entries', 'calls'] },
  );
  const notable = items
    .filter((item) => item.level !== 'info')
    .sort((a, b) => (a.callId ?? '').localeCompare(b.callId ?? '') || a.step.localeCompare(b.step));
  const notableText = renderTable(
    'Activity log warnings and errors',
    ['Dialer.io call', 'level', 'step', 'message'],
    notable.map((item) => [item.callId, item.level, item.step, item.message]),
    { maxWidth: 110 },
  );
  return {
    text: `${summaryText}\n${notableText}`,
    byStep: summary.map(({ step, level, count }) => ({ step, level, count })),
  };
}

/** Every entry of the portal's activity log, through the API the settings page uses. */
export async function fetchActivity(
  stack: DemoStack,
  who: { portalId: number; userId: number },
): Promise<ActivityItem[]> {
  const items: ActivityItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const response = await stack.api('GET', `/api/activity?limit=200${query}`, who);
    if (response.status !== 200)
      throw new Error(`GET /api/activity answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { items: ActivityItem[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
