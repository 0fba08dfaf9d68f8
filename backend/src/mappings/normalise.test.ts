import { describe, expect, it } from 'vitest';
import { agentState, ownerDisplayName } from './agents.ts';
import { normaliseName } from './auto-map.ts';

describe('normaliseName (disposition ↔ outcome matching)', () => {
  it.each([
    ['No-Answer', 'no answer'],
    ['no answer', 'no answer'],
    ['  No   answer! ', 'no answer'],
    ['NO_ANSWER', 'no answer'],
    ['Left voicemail', 'left voicemail'],
    ['Left-Voicemail.', 'left voicemail'],
    ['Callback   requested', 'callback requested'],
    ['Wrong #number', 'wrong number'],
    ['Café', 'cafe'],
    ['Rappel demandé', 'rappel demande'],
    ['Нет ответа', 'нет ответа'],
    ['---', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('keeps different words apart', () => {
    expect(normaliseName('No answer')).not.toBe(normaliseName('Answer'));
    expect(normaliseName('Left live message')).not.toBe(normaliseName('Left voicemail'));
    expect(normaliseName('Нет ответа')).not.toBe(normaliseName('Занято'));
  });
});

describe('agent state and owner names', () => {
  it('disabled in Dialer.io wins, then mapped when it has an owner, else waiting', () => {
    expect(agentState({ status: 'disabled', owner_id: '7' })).toBe('disabled');
    expect(agentState({ status: 'active', owner_id: '7' })).toBe('mapped');
    expect(agentState({ status: 'active', owner_id: null })).toBe('waiting');
  });

  it('names an owner by first and last name, else by email', () => {
    expect(ownerDisplayName({ first_name: 'Ann', last_name: 'Agent', email: 'a@x.io' })).toBe('Ann Agent');
    expect(ownerDisplayName({ first_name: 'Ann', last_name: '', email: 'a@x.io' })).toBe('Ann');
    expect(ownerDisplayName({ first_name: ' ', last_name: null, email: 'a@x.io' })).toBe('a@x.io');
  });
});
