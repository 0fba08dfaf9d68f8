import type { TestApp } from './test-app.ts';

/**
 * When each Dialer.io request left the app (after its pacing), until `stop`. Pacing is checked on
 * these times, not on when the simulator saw the requests: the simulator shares the test's event
 * loop, so on a busy machine it can see requests sent 54 ms apart arrive together (as network
 * jitter can in production), and answer one a 429 that the app then sends again.
 */
export function recordDialerSends(app: TestApp) {
  const ctx = app.runtime.ctx;
  const original = ctx.fetch;
  const times: number[] = [];
  ctx.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith(app.dialer.url)) times.push(Date.now());
    return original(input, init);
  };
  return { times, stop: () => void (ctx.fetch = original) };
}

/** The most requests in any one-second window. */
export function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}
