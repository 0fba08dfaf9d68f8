import { describe, expect, it } from 'vitest';
import { judge, toWrite, updateHeld, type FieldState } from './sync-model.ts';

const state: FieldState = {
  hubspotValue: '42',
  dialerValue: 'ann@acme.test',
  changedAt: 1_000,
  source: 'dialer',
  held: { hubspot: { value: '42', at: 1_200 }, dialer: { value: 'ann@acme.test', at: 1_000 } },
};

describe('judge: the later change wins, a tie goes to HubSpot, an echo counts as the change it carried', () => {
  it('a change carrying the winning value is nothing new, unless it is later (then it moves the winner’s time)', () => {
    expect(judge({ side: 'hubspot', value: '42', at: 900 }, state)).toBe('same');
    expect(judge({ side: 'dialer', value: 'ann@acme.test', at: 1_000 }, state)).toBe('same');
    expect(judge({ side: 'hubspot', value: '42', at: 5_000 }, state)).toBe('apply');
  });
  it('the later change wins', () => {
    expect(judge({ side: 'hubspot', value: '43', at: 999 }, state)).toBe('older');
    expect(judge({ side: 'hubspot', value: '43', at: 1_001 }, state)).toBe('apply');
    expect(judge({ side: 'dialer', value: 'bob@acme.test', at: 999 }, state)).toBe('older');
  });
  it('on a tie, HubSpot', () => {
    const fromHubSpot = { ...state, source: 'hubspot' as const };
    expect(judge({ side: 'dialer', value: 'bob@acme.test', at: 1_000 }, fromHubSpot)).toBe('older');
    expect(judge({ side: 'hubspot', value: '43', at: 1_000 }, state)).toBe('apply');
  });
  it('an echo of an earlier write, however late, is recognised by value and time', () => {
    const writes = [
      { side: 'hubspot' as const, value: '41', originAt: 500, startedAt: 3_000, finishedAt: 3_100 },
    ];
    expect(judge({ side: 'hubspot', value: '41', at: 3_050 }, state, writes)).toBe('echo');
    // the same value set again by a user long after the write is a change
    expect(judge({ side: 'hubspot', value: '41', at: 90_000 }, state, writes)).toBe('apply');
  });
  it('with nothing synced yet, an empty value is nothing to move', () => {
    expect(judge({ side: 'hubspot', value: '', at: 1 }, undefined)).toBe('same');
    expect(judge({ side: 'dialer', value: 'x', at: 1 }, undefined)).toBe('apply');
  });
  it('two different values seen at one time make what the side holds unknown: the winner is written again', () => {
    const held = updateHeld({ value: '42', at: 1_200 }, '7', 1_200);
    expect(held.value).toBeNull();
    expect(toWrite({ ...state, held: { ...state.held, hubspot: held } }, ['hubspot', 'dialer'])).toEqual([
      'hubspot',
    ]);
  });
});
