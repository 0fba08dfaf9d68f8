import { describe, expect, it } from 'vitest';
import { judge, type SyncedValue } from './sync-values.ts';

const stored: SyncedValue = {
  hubspotValue: '42',
  dialerValue: 'ann@acme.test',
  changedAt: 1_000,
  source: 'dialer',
};

describe('judge: no echo by value, later change wins, a tie goes to HubSpot', () => {
  it('a change carrying the value we synced is our echo (or nothing new)', () => {
    expect(judge({ side: 'hubspot', value: '42', at: 5_000 }, stored)).toBe('same');
    expect(judge({ side: 'dialer', value: 'ann@acme.test', at: 5_000 }, stored)).toBe('same');
  });
  it('the later change wins', () => {
    expect(judge({ side: 'hubspot', value: '43', at: 999 }, stored)).toBe('older');
    expect(judge({ side: 'hubspot', value: '43', at: 1_001 }, stored)).toBe('apply');
    expect(judge({ side: 'dialer', value: 'bob@acme.test', at: 999 }, stored)).toBe('older');
  });
  it('on a tie, HubSpot', () => {
    const fromHubSpot = { ...stored, source: 'hubspot' as const };
    expect(judge({ side: 'dialer', value: 'bob@acme.test', at: 1_000 }, fromHubSpot)).toBe('older');
    expect(judge({ side: 'hubspot', value: '43', at: 1_000 }, stored)).toBe('apply');
  });
  it('with nothing synced yet, an empty value is nothing to move', () => {
    expect(judge({ side: 'hubspot', value: '', at: 1 }, undefined)).toBe('same');
    expect(judge({ side: 'dialer', value: 'x', at: 1 }, undefined)).toBe('apply');
  });
});
