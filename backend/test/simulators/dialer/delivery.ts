import { createHmac } from 'node:crypto';
import { isoSeconds, newId, type SimAccount, type SimState, type SimWebhook } from './state.ts';

// Webhook delivery as the contract describes it: signed POSTs, at least once, unordered,
// retried on the schedule after anything but a 2xx, the webhook disabled when the schedule
// runs out or the receiver answers 410.

export interface SimEventEnvelope {
  id: string;
  type: string;
  created_at: string;
  account_id: string;
  data: unknown;
}

export interface DeliveryConfig {
  /** Milliseconds before retry 1, 2, ...; when exhausted the webhook becomes inactive. */
  retrySchedule: readonly number[];
  deliveryTimeoutMs: number;
}

interface Job {
  account: SimAccount;
  webhookId: string;
  event: SimEventEnvelope;
  body: string;
  attempt: number;
}

interface Outcome {
  status: number | null;
  error?: 'timeout' | 'network';
}

/** 30 s, 1 min, 2 min, ... capped at 1 h, for 24 h. */
export function contractRetrySchedule(): number[] {
  const schedule: number[] = [];
  let total = 0;
  for (let wait = 30_000; total < 24 * 3_600_000; wait = Math.min(wait * 2, 3_600_000)) {
    schedule.push(wait);
    total += wait;
  }
  return schedule;
}

export class DeliveryEngine {
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly state: SimState,
    private readonly config: DeliveryConfig,
  ) {}

  envelope(accountId: string, type: string, data: unknown, eventId?: string): SimEventEnvelope {
    return {
      id: eventId ?? newId('evt'),
      type,
      created_at: isoSeconds(this.state.now()),
      account_id: accountId,
      data,
    };
  }

  /**
   * Sends the event to every active webhook of the account that subscribes to its type
   * (twice each when `duplicate`). Resolves once every first attempt is over.
   */
  deliver(
    account: SimAccount,
    event: SimEventEnvelope,
    opts: { duplicate?: boolean; delayMs?: number } = {},
  ) {
    const body = JSON.stringify(event);
    const hooks = [...account.webhooks.values()].filter(
      (hook) => hook.active && hook.events.includes(event.type),
    );
    const firstAttempts: Promise<void>[] = [];
    for (const hook of hooks) {
      for (let copy = 0; copy < (opts.duplicate ? 2 : 1); copy++) {
        const job: Job = { account, webhookId: hook.id, event, body, attempt: 1 };
        firstAttempts.push(this.start(job, opts.delayMs ?? 0));
      }
    }
    return Promise.all(firstAttempts).then(() => undefined);
  }

  /** Counts work that will start deliveries later (e.g. the rest of a batch) as pending. */
  track(work: Promise<unknown>): void {
    this.pending++;
    work.then(
      () => this.done(),
      () => this.done(),
    );
  }

  waitForIdle(timeoutMs: number): Promise<void> {
    if (this.pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== onIdle);
        reject(
          new Error(
            `Dialer simulator: ${this.pending} webhook deliveries still pending after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(onIdle);
    });
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.pending = 0;
    this.flushWaiters();
  }

  private start(job: Job, delayMs: number): Promise<void> {
    this.pending++;
    return new Promise((resolve) => {
      const first = () => void this.attempt(job).then(resolve);
      if (delayMs > 0) this.later(first, delayMs);
      else first();
    });
  }

  private async attempt(job: Job): Promise<void> {
    if (this.closed) return;
    const hook = job.account.webhooks.get(job.webhookId);
    if (!hook?.active) return this.done();
    const outcome = await this.post(hook, job);
    if (this.closed) return;
    job.account.deliveries.push({
      eventId: job.event.id,
      webhookId: hook.id,
      type: job.event.type,
      attempt: job.attempt,
      status: outcome.status,
      ...(outcome.error ? { error: outcome.error } : {}),
      at: this.state.now(),
    });
    const status = outcome.status ?? 0;
    if (status >= 200 && status < 300) return this.done();
    const wait = this.config.retrySchedule[job.attempt - 1];
    if (status === 410 || wait === undefined) {
      hook.active = false;
      return this.done();
    }
    this.later(() => void this.attempt({ ...job, attempt: job.attempt + 1 }), wait);
  }

  private async post(hook: SimWebhook, job: Job): Promise<Outcome> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.config.deliveryTimeoutMs);
    try {
      const t = Math.floor(this.state.now() / 1000);
      const v1 = createHmac('sha256', hook.secret).update(`${t}.${job.body}`).digest('hex');
      const response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Dialer-Webhook-Id': hook.id,
          'Dialer-Event-Id': job.event.id,
          'Dialer-Signature': `t=${t},v1=${v1}`,
        },
        body: job.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      await response.arrayBuffer();
      return { status: response.status };
    } catch {
      return { status: null, error: timedOut ? 'timeout' : 'network' };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private done(): void {
    if (this.closed) return;
    this.pending--;
    if (this.pending === 0) this.flushWaiters();
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
