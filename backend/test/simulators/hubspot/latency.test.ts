import { describe, expect, it } from 'vitest';
import { drawLatencyMs } from './latency.ts';

describe('HubSpot simulator latency model', () => {
  it('adds the mean, spread uniformly by the jitter, never below zero', () => {
    expect(drawLatencyMs({})).toBe(0);
    expect(drawLatencyMs({ latencyMs: 150 })).toBe(150);
    expect(drawLatencyMs({ latencyMs: 150, latencyJitterMs: 50 }, () => 0)).toBe(100);
    expect(drawLatencyMs({ latencyMs: 150, latencyJitterMs: 50 }, () => 0.5)).toBe(150);
    expect(drawLatencyMs({ latencyMs: 150, latencyJitterMs: 50 }, () => 1)).toBe(200);
    expect(drawLatencyMs({ latencyMs: 10, latencyJitterMs: 50 }, () => 0)).toBe(0);
  });
});
