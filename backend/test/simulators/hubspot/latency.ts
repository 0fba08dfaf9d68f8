// Response latency: real HubSpot answers in about 100–300 ms, and concurrency that a simulator
// answering at once does not need is what a real deployment needs. Every request waits
// `latencyMs` (± up to `latencyJitterMs`, uniformly) before it is handled, so records are
// created when the answer is about to go out, as they would be on HubSpot's side.
import type { NextFunction, Request, Response } from 'express';
import type { SimCore } from './core.ts';

export interface LatencyModel {
  /** Mean delay added before every answer. Default 0. */
  latencyMs?: number;
  /** Spread around the mean (uniform, ± this much). Default 0. */
  latencyJitterMs?: number;
}

/** The delay of one request under the model (never negative). */
export function drawLatencyMs(model: LatencyModel, random: () => number = Math.random): number {
  const mean = model.latencyMs ?? 0;
  const jitter = model.latencyJitterMs ?? 0;
  return Math.max(0, mean + (jitter > 0 ? (random() * 2 - 1) * jitter : 0));
}

export function latency(core: SimCore) {
  return (_req: Request, _res: Response, next: NextFunction) => {
    const ms = drawLatencyMs(core.opts);
    if (ms > 0) setTimeout(next, ms);
    else next();
  };
}
