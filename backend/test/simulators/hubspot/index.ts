// HubSpot API simulator: a real HTTP server for component tests, the demo and benchmarks.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { associationsRouter } from './associations.ts';
import { CallingState, callingRouter, playRecording, type Playback, type SimTranscript } from './calling.ts';
import { SimCore, type FaultSpec, type HubSpotSimulatorOptions, type RecordedRequest } from './core.ts';
import { crmObjectsRouter } from './crm-objects.ts';
import { SimHttpError, hsError } from './http.ts';
import { auth, faults, rateLimit, recorder } from './limits.ts';
import { latency } from './latency.ts';
import { miscRouter } from './misc-routes.ts';
import { oauthRouter, type IssuedTokens } from './oauth.ts';
import {
  RecoveryState,
  archiveOwner,
  callbackRefusals,
  multiStatusRouter,
  outageMiddleware,
  type Outage,
} from './recovery.ts';
import type { PortalInit, SimOwner, SimPortal, SimUser } from './state.ts';

export type { FaultSpec, HubSpotSimulatorOptions, RateLimit, RecordedRequest } from './core.ts';
export type { IssuedTokens } from './oauth.ts';
export type { Outage } from './recovery.ts';
export type { Playback, SimTranscript } from './calling.ts';
export { SimPortal, searchablePhone } from './state.ts';
export { DEFAULT_OUTCOMES } from './defaults.ts';
export type {
  PortalInit,
  SimObject,
  SimOwner,
  SimOutcome,
  SimUser,
  SimProperty,
  ObjectType,
} from './state.ts';
export { CALL_DIRECTIONS, CALL_STATUSES } from './objects.ts';

export interface HubSpotSimulator {
  /** `http://127.0.0.1:PORT`: the API base URL and the OAuth base URL. */
  readonly url: string;
  close(): Promise<void>;
  /** Every request received, in arrival order (rejected ones too), with the answer's status. */
  readonly requests: RecordedRequest[];
  requestsTo(method: string, pathPrefixOrRegex: string | RegExp): RecordedRequest[];
  /** Non-GET requests except OAuth, search and batch reads. */
  writeRequests(): RecordedRequest[];
  clearRequests(): void;
  createPortal(init: PortalInit): SimPortal;
  portal(portalId: number): SimPortal;
  addContact(portalId: number, properties: Record<string, string | number | null>): string;
  addOwner(
    portalId: number,
    owner: { email: string; firstName?: string; lastName?: string; userId: number; id?: string },
  ): SimOwner;
  addOutcome(portalId: number, label: string): string;
  setUser(portalId: number, userId: number, opts: { superAdmin: boolean; email?: string }): SimUser;
  /** The next `n` requests matching `fault` get that answer instead. */
  failNext(n: number, fault: FaultSpec): void;
  clearFaults(): void;
  /** Delay before every answer: `ms`, ± up to `jitterMs` (uniform). */
  setLatency(ms: number, jitterMs?: number): void;
  setSearchIndexDelay(ms: number): void;
  setAuthorizePortal(portalId: number): void;
  expireAllAccessTokens(): void;
  revokeRefreshTokens(portalId: number): void;
  issueAuthCode(portalId: number, redirectUri: string, scopes?: string[]): string;
  /** Shortcut past the OAuth dance: a valid token pair for the portal (creates it if needed). */
  issueTokens(portalId: number, scopes?: string[]): IssuedTokens;
  refreshCount(portalId: number): number;
  /** Number of 429 answers sent so far (rate limits and injected ones). */
  readonly count429: number;
  /** Every API request answers `status` for the next `requests` requests, or until `untilMs`. */
  startOutage(outage: Outage): void;
  endOutage(): void;
  archiveOwner(portalId: number, ownerId: string): void;
  /** The next `times` completion requests carrying this callback id answer 400. */
  refuseCallback(callbackId: string, times: number): void;
  /** Recording URLs registered per app id. */
  readonly recordingUrls: ReadonlyMap<string, string>;
  /** Engagement ids marked "recording ready" in a portal (each request, repeats included). */
  recordingsReady(portalId: number): number[];
  transcripts(portalId: number): SimTranscript[];
  /** A user presses play on the call in HubSpot: HubSpot asks the app, then fetches a Range of the audio. */
  playRecording(portalId: number, callId: string): Promise<Playback>;
}

const OAUTH = /^\/oauth\//;
const READ_ONLY_POST = /\/(search|batch\/read)\/?$/;

export async function startHubSpotSimulator(opts: HubSpotSimulatorOptions = {}): Promise<HubSpotSimulator> {
  const core = new SimCore(opts);
  const recovery = new RecoveryState();
  const calling = new CallingState();
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(recorder(core));
  app.use(latency(core));
  app.use(express.json({ limit: '5mb' }));
  app.use(express.urlencoded({ extended: false }));
  app.use(auth(core));
  app.use(rateLimit(core));
  app.use(faults(core));
  app.use(outageMiddleware(core, recovery));
  app.use(callbackRefusals(recovery));
  app.use(oauthRouter(core));
  app.use(multiStatusRouter(core));
  app.use(associationsRouter(core));
  app.use(crmObjectsRouter(core));
  app.use(miscRouter(core));
  app.use(callingRouter(core, calling));
  app.use((req: Request, res: Response) => {
    res
      .status(404)
      .json(hsError('OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path} in the HubSpot simulator`));
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SimHttpError) {
      res.status(err.httpStatus).json(hsError(err.category, err.message, err.extra));
      return;
    }
    const e = err as { status?: number; type?: string; message?: string };
    if (e?.type === 'entity.parse.failed' || e?.status === 400) {
      res
        .status(400)
        .json(hsError('VALIDATION_ERROR', `Invalid input JSON: ${e.message ?? 'unparseable body'}`));
      return;
    }
    res.status(500).json(hsError('INTERNAL_ERROR', `Simulator error: ${e?.message ?? String(err)}`));
  });

  const server = app.listen(core.opts.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    requests: core.requests,
    requestsTo: (method, p) =>
      core.requests.filter(
        (r) =>
          r.method === method.toUpperCase() &&
          (typeof p === 'string' ? r.path.startsWith(p) : p.test(r.path)),
      ),
    writeRequests: () =>
      core.requests.filter((r) => r.method !== 'GET' && !OAUTH.test(r.path) && !READ_ONLY_POST.test(r.path)),
    clearRequests: () => void core.requests.splice(0),
    createPortal: (init) => core.createPortal(init),
    portal: (id) => core.portal(id),
    addContact: (id, props) => core.portal(id).addContact(props),
    addOwner: (id, owner) => core.portal(id).addOwner(owner),
    addOutcome: (id, label) => core.portal(id).addOutcome(label),
    setUser: (id, userId, o) => core.portal(id).setUser(userId, o),
    failNext: (n, fault) => void (n > 0 && core.faults.push({ ...fault, remaining: n })),
    clearFaults: () => void core.faults.splice(0),
    setLatency: (ms, jitterMs = 0) =>
      void Object.assign(core.opts, { latencyMs: ms, latencyJitterMs: jitterMs }),
    setSearchIndexDelay: (ms) => void (core.opts.searchIndexDelayMs = ms),
    setAuthorizePortal: (id) => core.setAuthorizePortal(id),
    expireAllAccessTokens: () => core.tokens.expireAll(),
    revokeRefreshTokens: (id) => core.tokens.revokeRefresh(id),
    issueAuthCode: (id, redirectUri, scopes) => core.tokens.issueCode(id, redirectUri, scopes),
    issueTokens: (id, scopes) => core.tokens.issueTokens(id, scopes),
    refreshCount: (id) => core.tokens.refreshCounts.get(id) ?? 0,
    get count429() {
      return core.count429;
    },
    startOutage: (outage) => void (recovery.outage = { ...outage }),
    endOutage: () => void (recovery.outage = undefined),
    archiveOwner: (portalId, ownerId) => archiveOwner(core, portalId, ownerId),
    refuseCallback: (callbackId, times) => void recovery.refusedCallbacks.set(callbackId, times),
    recordingUrls: calling.recordingUrls,
    recordingsReady: (portalId) => [...(calling.ready.get(portalId) ?? [])],
    transcripts: (portalId) => calling.transcripts.filter((t) => t.portalId === portalId),
    playRecording: (portalId, callId) => playRecording(core, calling, portalId, callId),
  };
}
