import type { SyncSide } from './contact-sync.table.ts';
import { movesToDialer, movesToHubSpot, type Mapping } from './catalog.ts';
import type { ContactSyncSettingsView } from './settings.ts';
import { isLater, judge, toWrite, updateHeld, type FieldState, type LoggedWrite } from './sync-model.ts';
import { fieldKey } from './sync-state.ts';
import { toDialerValue, toHubSpotValue, type OwnerDirectory } from './values.ts';

// Judges observations of both sides field by field and plans the writes that make both sides hold
// the winner (pure: the callers load the state and perform the writes).

/** One observed value of one mapped field of a linked contact. */
export interface FieldObservation {
  contactId: string;
  dialerField: string;
  side: SyncSide;
  value: string;
  at: number;
}

export interface Rules {
  mappings: Map<string, Mapping>;
  settings: Pick<ContactSyncSettingsView, 'updates'>;
  owners: OwnerDirectory;
  country: string;
}

/** Compliance fields (DNC, line type) always flow Dialer.io → HubSpot, whatever `updates` says. */
const toHubSpotAllowed = (m: Mapping, rules: Rules) =>
  movesToHubSpot(m) && (rules.settings.updates === 'both' || m.category === 'compliance');

/** The sides a field's value may be written to. */
export function writableSides(m: Mapping, rules: Rules): SyncSide[] {
  return [
    ...(toHubSpotAllowed(m, rules) ? (['hubspot'] as const) : []),
    ...(movesToDialer(m) ? (['dialer'] as const) : []),
  ];
}

function winnerFrom(o: FieldObservation, m: Mapping, rules: Rules, held: FieldState['held']) {
  const other =
    o.side === 'hubspot'
      ? toDialerValue(m, o.value, rules.owners, rules.country)
      : toHubSpotValue(m, o.value, rules.owners);
  if (other === null) return null;
  const [hubspotValue, dialerValue] = o.side === 'hubspot' ? [o.value, other] : [other, o.value];
  return { hubspotValue, dialerValue, changedAt: o.at, source: o.side, held } satisfies FieldState;
}

/**
 * Applies observations to the states (in place) and returns the keys that changed. A Dialer.io
 * field seen empty is not a change (HubSpot is never blanked from Dialer.io).
 */
export function observeAll(
  observations: FieldObservation[],
  states: Map<string, FieldState>,
  writes: Map<string, LoggedWrite[]>,
  rules: Rules,
): Set<string> {
  const touched = new Set<string>();
  for (const o of [...observations].sort((a, b) => a.at - b.at)) {
    const mapping = rules.mappings.get(o.dialerField);
    if (!mapping || (o.side === 'dialer' && o.value === '')) continue;
    const key = fieldKey(o.contactId, o.dialerField);
    const state = states.get(key);
    const verdict = judge(o, state, writes.get(key));
    const held = { ...state?.held, [o.side]: updateHeld(state?.held[o.side], o.value, o.at) };
    // The later change wins whichever side it is on; the mapping decides only where it may be
    // written (a one-way target's own later edit is its winner: kept there, never moved back).
    if (verdict === 'apply') {
      const winner = winnerFrom(o, mapping, rules, held);
      if (winner) {
        states.set(key, winner);
        touched.add(key);
        continue;
      }
    }
    if (state) {
      state.held = held;
      touched.add(key);
    }
  }
  return touched;
}

export interface FieldWrite {
  contactId: string;
  dialerField: string;
  mapping: Mapping;
  value: string;
  originAt: number;
}

/** Per side, the fields to write so that both sides hold the winner. */
export function planWrites(
  states: Map<string, FieldState>,
  keys: Iterable<string>,
  rules: Rules,
): Record<SyncSide, FieldWrite[]> {
  const plan: Record<SyncSide, FieldWrite[]> = { hubspot: [], dialer: [] };
  for (const key of keys) {
    const state = states.get(key);
    const [contactId, dialerField] = key.split('\u0000') as [string, string];
    const mapping = rules.mappings.get(dialerField);
    if (!state || !mapping) continue;
    for (const side of toWrite(state, writableSides(mapping, rules))) {
      const value = side === 'hubspot' ? state.hubspotValue : state.dialerValue;
      if (value === null || (side === 'hubspot' && value === '')) continue;
      plan[side].push({ contactId, dialerField, mapping, value, originAt: state.changedAt });
    }
  }
  return plan;
}

/** After a write the side holds the value from the time it was written (unless a later change is known). */
export function wrote(state: FieldState | undefined, side: SyncSide, value: string, at: number): void {
  if (!state) return;
  const held = state.held[side];
  if (!held || held.value === null || at >= held.at) state.held[side] = { value, at };
}

export { isLater };
