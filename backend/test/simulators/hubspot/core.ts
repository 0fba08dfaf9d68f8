// The simulator's shared core: resolved options, portals, tokens, recorded requests, faults.
import type { CountryCode } from 'libphonenumber-js';
import { SimPortal, type PortalInit, type SimContext } from './state.ts';
import { TokenStore } from './oauth.ts';

export interface RateLimit {
  max: number;
  intervalMs: number;
}

export interface HubSpotSimulatorOptions {
  clientId?: string;
  clientSecret?: string;
  appId?: number;
  /** Main limit per portal, rolling window. Default 110 / 10 s. */
  rateLimit?: RateLimit;
  /** CRM search limit per portal (separate from the main one). Default 5 / 1 s. */
  searchRateLimit?: RateLimit;
  accessTokenTtlSeconds?: number;
  /** New records show up in search only this long after creation. Default 0. */
  searchIndexDelayMs?: number;
  port?: number;
  /** Clock for token expiry, rate windows, index delay and timestamps. Default Date.now. */
  now?: () => number;
  /** Real delay added before every answer. Default 0. */
  latencyMs?: number;
  /** Spread of that delay, ± this much (uniform; see latency.ts). Default 0. */
  latencyJitterMs?: number;
  /** Portal that `/oauth/authorize` installs into. Default: first created portal (12345 if none). */
  authorizePortalId?: number;
  /** Country used to read phone numbers without a `+` prefix. Default 'US'. */
  defaultCountry?: CountryCode;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** HTTP status of the answer (0 while pending or when the connection was dropped). */
  status: number;
  portalId?: number;
  at: number;
}

export interface FaultSpec {
  /** HTTP status to answer; 0 drops the connection without an answer. */
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Only requests whose path starts with this (or matches this RegExp). */
  pathPrefix?: string | RegExp;
  method?: string;
  /** Run the real handler first (state changes!), then answer the fault: a lost response. */
  afterHandling?: boolean;
}
export interface Fault extends FaultSpec {
  remaining: number;
}

export interface ResolvedOptions {
  clientId: string;
  clientSecret: string;
  appId: number;
  rateLimit: RateLimit;
  searchRateLimit: RateLimit;
  accessTokenTtlSeconds: number;
  searchIndexDelayMs: number;
  port: number;
  latencyMs: number;
  latencyJitterMs: number;
  defaultCountry: CountryCode;
}

export class SimCore {
  readonly opts: ResolvedOptions;
  readonly now: () => number;
  readonly portals = new Map<number, SimPortal>();
  readonly tokens: TokenStore;
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  readonly ctx: SimContext;
  /** Accepted request times per portal, for the rolling windows. */
  readonly windows = { main: new Map<number, number[]>(), search: new Map<number, number[]>() };
  count429 = 0;
  private authorizePortal: number | undefined;
  private idSeq = 10_000_001;

  constructor(o: HubSpotSimulatorOptions = {}) {
    this.now = o.now ?? Date.now;
    this.opts = {
      clientId: o.clientId ?? 'sim-client-id',
      clientSecret: o.clientSecret ?? 'sim-client-secret',
      appId: o.appId ?? 999_001,
      rateLimit: o.rateLimit ?? { max: 110, intervalMs: 10_000 },
      searchRateLimit: o.searchRateLimit ?? { max: 5, intervalMs: 1_000 },
      accessTokenTtlSeconds: o.accessTokenTtlSeconds ?? 1800,
      searchIndexDelayMs: o.searchIndexDelayMs ?? 0,
      port: o.port ?? 0,
      latencyMs: o.latencyMs ?? 0,
      latencyJitterMs: o.latencyJitterMs ?? 0,
      defaultCountry: o.defaultCountry ?? 'US',
    };
    this.authorizePortal = o.authorizePortalId;
    this.ctx = {
      now: this.now,
      nextId: () => String(this.idSeq++),
      defaultCountry: this.opts.defaultCountry,
    };
    this.tokens = new TokenStore(this);
  }

  createPortal(init: PortalInit): SimPortal {
    if (this.portals.has(init.portalId)) throw new Error(`HubSpot simulator: portal ${init.portalId} exists`);
    const portal = new SimPortal(this.ctx, init);
    this.portals.set(init.portalId, portal);
    return portal;
  }

  portal(portalId: number): SimPortal {
    const p = this.portals.get(portalId);
    if (!p) throw new Error(`HubSpot simulator: no portal ${portalId} (call createPortal first)`);
    return p;
  }

  portalOrCreate(portalId: number): SimPortal {
    return this.portals.get(portalId) ?? this.createPortal({ portalId });
  }

  setAuthorizePortal(portalId: number): void {
    this.authorizePortal = portalId;
  }

  authorizePortalId(): number {
    const id = this.authorizePortal ?? this.portals.keys().next().value ?? 12345;
    this.portalOrCreate(id);
    return id;
  }

  /** Takes one use of the first fault matching this request, if any. */
  takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (f.pathPrefix === undefined ||
          (typeof f.pathPrefix === 'string' ? path.startsWith(f.pathPrefix) : f.pathPrefix.test(path))),
    );
    const f = this.faults[i];
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining === 0) this.faults.splice(i, 1);
    return f;
  }
}
