import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.ts';

describe('Pacer', () => {
  it('lets waiters go one by one, gapMs apart, even when they all arrive at once', async () => {
    const pacer = new Pacer(40);
    const released: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => pacer.wait().then(() => released.push(Date.now()))));
    const gaps = released.slice(1).map((t, i) => t - released[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(38);
  });

  it('spaces waiters out again after the event loop was blocked', async () => {
    const pacer = new Pacer(40);
    const released: number[] = [];
    const all = Array.from({ length: 4 }, () => pacer.wait().then(() => released.push(Date.now())));
    const until = Date.now() + 200;
    while (Date.now() < until) {
      // a busy event loop: every timer is due when it ends
    }
    await Promise.all(all);
    const gaps = released.slice(1).map((t, i) => t - released[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(38);
  });

  it('drops a waiter whose signal aborts, and the others still go', async () => {
    const pacer = new Pacer(30);
    const controller = new AbortController();
    const first = pacer.wait();
    const aborted = pacer.wait(controller.signal);
    const third = pacer.wait();
    controller.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    await expect(Promise.all([first, third])).resolves.toBeDefined();
    await expect(pacer.wait(controller.signal)).rejects.toThrow('gave up');
  });
});
