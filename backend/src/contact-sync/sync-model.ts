import type { SyncSide } from './contact-sync.table.ts';

// The contact-sync model (decision 0012), as pure functions: per contact and field, the winning
// change (its value in each side's form, when and where it happened) and what each side holds as
// far as we know and since when. Every observation of a side — a webhook, a read, our own write —
// goes through `observe`; `toWrite` says which sides must be written so that both hold the winner.

/** What a side holds as far as we know (null value: unknown, e.g. two different values at one time). */
export interface Held {
  value: string | null;
  at: number;
}

export interface FieldState {
  /** The winning change: its value in each side's form, when it happened and on which side. */
  hubspotValue: string | null;
  dialerValue: string | null;
  changedAt: number;
  source: SyncSide;
  held: Partial<Record<SyncSide, Held>>;
}

export interface Observation {
  side: SyncSide;
  /** The value in the form of the side it was seen on. */
  value: string;
  /** HubSpot's occurredAt / property timestamp or Dialer.io's updated_at, in ms. */
  at: number;
}

/** One of our writes to a side (from the write log). */
export interface LoggedWrite {
  side: SyncSide;
  value: string;
  originAt: number;
  startedAt: number;
  finishedAt: number | null;
}

/** Clock skew and Dialer.io's one-second `updated_at` resolution. */
export const ECHO_SKEW_MS = 1_000;
/** A write whose answer was lost may still have landed this long after it was sent. */
export const LOST_ANSWER_WINDOW_MS = 60_000;

export type Verdict = 'apply' | 'same' | 'older' | 'echo';

/** The write this observation is the echo of: same side, same value, seen while that write ran. */
export function echoOf(observation: Observation, writes: readonly LoggedWrite[]): LoggedWrite | undefined {
  return writes.find(
    (w) =>
      w.side === observation.side &&
      w.value === observation.value &&
      observation.at >= w.startedAt - ECHO_SKEW_MS &&
      observation.at <= (w.finishedAt ?? w.startedAt + LOST_ANSWER_WINDOW_MS) + ECHO_SKEW_MS,
  );
}

/** A later observation replaces what we knew the side holds; a different value at the same time makes it unknown. */
export function updateHeld(held: Held | undefined, value: string, at: number): Held {
  if (!held || at > held.at) return { value, at };
  if (at === held.at && held.value !== value) return { value: null, at };
  return held;
}

const valueOn = (state: FieldState, side: SyncSide) =>
  side === 'hubspot' ? state.hubspotValue : state.dialerValue;

/**
 * Whether a change at `at` on `side` beats the winner: the later change wins; on a tie HubSpot
 * wins over Dialer.io, and of two changes on one side the one seen last.
 */
export function isLater(side: SyncSide, at: number, winner: Pick<FieldState, 'changedAt' | 'source'>) {
  if (at !== winner.changedAt) return at > winner.changedAt;
  return side === 'hubspot' || winner.source === 'dialer';
}

/**
 * Judges one observation against the field's state. An echo counts as the change it carried (its
 * origin time), so an echo of an earlier write can never beat a later change. `apply` means the
 * observation is the new winner (the caller sets its value in the other side's form); a user
 * setting the winning value again later is a later change as well (a change on the other side
 * between the two must not win).
 */
export function judge(
  observation: Observation,
  state: FieldState | undefined,
  writes: readonly LoggedWrite[] = [],
): Verdict {
  if (echoOf(observation, writes)) return 'echo';
  if (!state) return observation.value === '' ? 'same' : 'apply';
  // The winner's value set again later (not by us) is a later change too: it moves the winner's time.
  if ((valueOn(state, observation.side) ?? '') === observation.value)
    return observation.at > state.changedAt ? 'apply' : 'same';
  return isLater(observation.side, observation.at, state) ? 'apply' : 'older';
}

/** The sides that may be written and do not hold the winner (as far as we know). */
export function toWrite(state: FieldState, writable: readonly SyncSide[]): SyncSide[] {
  return writable.filter((side) => {
    const target = valueOn(state, side);
    if (target === null) return false;
    const held = state.held[side];
    if (!held) return side !== state.source;
    return held.value !== target;
  });
}
