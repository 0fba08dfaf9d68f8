// The webhook load generator: runs in its own process (forked by the benchmarks) so it never
// shares an event loop with the service or the simulators. Signs every body with the portal's
// webhook secret and posts it over keep-alive connections. Bounded by count and by time.
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { callEventBody, EVENTS_PER_CALL, postSigned, type Target } from './payloads.ts';

export interface LoadConfig {
  baseUrl: string;
  targets: Target[];
  runId: string;
  /** Open loop at this many requests/s (latency counted from the scheduled time); 0 = closed loop. */
  rate: number;
  /** Sockets (open loop) or requests in flight (closed loop). */
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  /** Index of the first call (so phases of one run never reuse an event id). */
  firstCall?: number;
}

export interface LoadResult {
  sent: number;
  completed: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  achievedRps: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
  /** CPU the generator itself used (user + system), ms. */
  cpuMs: number;
  /** Calls sent in full: ids call_<runId>_<i> for i in [firstCall, firstCall + calls). */
  calls: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runLoad(cfg: LoadConfig): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: cfg.concurrency, maxFreeSockets: cfg.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const firstCall = cfg.firstCall ?? 0;
  const startedMs = Date.now();
  let completed = 0;
  let lastDone = 0;

  const fire = (n: number, scheduledAt: number) =>
    new Promise<void>((resolve) => {
      const callIndex = firstCall + Math.floor(n / EVENTS_PER_CALL);
      const target = cfg.targets[callIndex % cfg.targets.length]!;
      const body = callEventBody(cfg.runId, callIndex, n % EVENTS_PER_CALL, target.template, startedMs);
      const done = (status: string) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        lastDone = performance.now();
        latencies.push(lastDone - scheduledAt);
        completed++;
        resolve();
      };
      void postSigned(cfg.baseUrl, agent, target, body).then(done);
    });

  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  const deadline = start + cfg.durationMs;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };

  if (cfg.rate > 0) {
    const interval = 1000 / cfg.rate;
    while (sent < cfg.maxRequests && performance.now() < deadline) {
      const due = Math.min(cfg.maxRequests, Math.floor((performance.now() - start) / interval) + 1);
      // Never more than 20,000 requests waiting for a socket: past that the service is not keeping up.
      while (sent < due && inFlight.size < 20_000) {
        track(fire(sent, start + sent * interval));
        sent++;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } else {
    const worker = async () => {
      while (sent < cfg.maxRequests && performance.now() < deadline) {
        const n = sent++;
        await fire(n, performance.now());
      }
    };
    await Promise.all(Array.from({ length: cfg.concurrency }, worker));
  }
  await Promise.race([Promise.all(inFlight), new Promise((resolve) => setTimeout(resolve, 30_000))]);
  const elapsedMs = Math.max(1, lastDone - start);
  agent.destroy();
  const cpu = process.cpuUsage(cpuAtStart);

  const sorted = latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    sent,
    completed,
    statuses,
    elapsedMs: Math.round(elapsedMs),
    achievedRps: Math.round((completed / elapsedMs) * 1000),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      p999: round(percentile(sorted, 99.9)),
      max: round(sorted.at(-1) ?? NaN),
      mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    },
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    calls: Math.floor(sent / EVENTS_PER_CALL),
  };
}

// Forked: one config in, one result out.
if (process.send) {
  process.once('message', (cfg: LoadConfig) => {
    runLoad(cfg).then(
      (result) => process.send!(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
