/**
 * Lets waiters go one at a time, at least `gapMs` apart, measured when each one is let go. Requests
 * that a busy event loop or database made late therefore leave spaced out, not in a bunch (the
 * shared rate budget in PostgreSQL books slots, but cannot make a late request wait again).
 */
export class Pacer {
  private readonly waiting: { go: () => void; signal: AbortSignal | undefined; stop: () => void }[] = [];
  private lastAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly gapMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  wait(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const stop = () => {
        const index = this.waiting.findIndex((w) => w.stop === stop);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      const go = () => {
        signal?.removeEventListener('abort', stop);
        resolve();
      };
      signal?.addEventListener('abort', stop, { once: true });
      this.waiting.push({ go, signal, stop });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.waiting.length === 0) return;
    const delay = Math.max(0, this.lastAt + this.gapMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Timers measure from the event loop's cached clock and can fire a little early: check again.
      if (this.now() < this.lastAt + this.gapMs) return this.schedule();
      const next = this.waiting.shift();
      if (next) {
        this.lastAt = this.now();
        next.go();
      }
      this.schedule();
    }, delay);
    this.timer.unref();
  }
}
