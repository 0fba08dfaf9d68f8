// OAuth: authorize redirect, token exchange/refresh, introspection, revocation.
import { Router, type Request, type Response } from 'express';
import { bodyOf, param, queryString } from './http.ts';
import type { SimCore } from './core.ts';

interface AccessToken {
  portalId: number;
  userId: number;
  scopes: string[];
  expiresAt: number;
}
interface RefreshToken {
  portalId: number;
  userId: number;
  scopes: string[];
  revoked: boolean;
}
interface AuthCode {
  portalId: number;
  redirectUri: string;
  scopes: string[];
  used: boolean;
  expiresAt: number;
}
export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  hub_id: number;
  scopes: string[];
  token_type: 'bearer';
}

export class TokenStore {
  readonly access = new Map<string, AccessToken>();
  readonly refresh = new Map<string, RefreshToken>();
  readonly codes = new Map<string, AuthCode>();
  readonly refreshCounts = new Map<number, number>();

  constructor(private readonly core: SimCore) {}

  issueCode(portalId: number, redirectUri: string, scopes: string[] = ['oauth']): string {
    const code = `code-${crypto.randomUUID()}`;
    this.core.portalOrCreate(portalId);
    this.codes.set(code, {
      portalId,
      redirectUri,
      scopes,
      used: false,
      expiresAt: this.core.now() + 600_000,
    });
    return code;
  }

  /** Issues a fresh access + refresh token pair, as the authorization_code grant does. */
  issueTokens(portalId: number, scopes: string[] = ['oauth']): IssuedTokens {
    const portal = this.core.portalOrCreate(portalId);
    const refreshToken = `sim-rt-${portalId}-${crypto.randomUUID()}`;
    this.refresh.set(refreshToken, { portalId, userId: portal.installingUserId, scopes, revoked: false });
    return this.newAccess(refreshToken);
  }

  private newAccess(refreshToken: string): IssuedTokens {
    const rt = this.refresh.get(refreshToken)!;
    const ttl = this.core.opts.accessTokenTtlSeconds;
    const token = `sim-at-${rt.portalId}-${crypto.randomUUID()}`;
    this.access.set(token, { ...rt, expiresAt: this.core.now() + ttl * 1000 });
    return {
      access_token: token,
      refresh_token: refreshToken,
      expires_in: ttl,
      hub_id: rt.portalId,
      scopes: rt.scopes,
      token_type: 'bearer',
    };
  }

  /** Result of checking a bearer token: the token entry, or why it is refused. */
  check(token: string): { ok: true; token: AccessToken } | { ok: false; expired: boolean; message: string } {
    const t = this.access.get(token);
    if (!t)
      return { ok: false, expired: false, message: 'The OAuth token used to make this call is not valid.' };
    const left = t.expiresAt - this.core.now();
    if (left <= 0) {
      const ago = Math.max(1, Math.round(-left / 1000));
      return {
        ok: false,
        expired: true,
        message: `The OAuth token used to make this call expired ${ago} second(s) ago.`,
      };
    }
    if (this.core.portalOrCreate(t.portalId).uninstalled) {
      return { ok: false, expired: false, message: 'The app is not installed in this portal.' };
    }
    return { ok: true, token: t };
  }

  expireAll(): void {
    const past = this.core.now() - 1;
    for (const t of this.access.values()) t.expiresAt = past;
  }

  revokeRefresh(portalId: number): void {
    for (const t of this.refresh.values()) if (t.portalId === portalId) t.revoked = true;
  }

  exchange(form: Record<string, unknown>): { status: number; body: unknown } {
    const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
    const { clientId, clientSecret } = this.core.opts;
    const fail = (status: string, error: string, message: string) => ({
      status: 400,
      body: { status, error, error_description: message, message, correlationId: crypto.randomUUID() },
    });
    if (str('client_id') !== clientId)
      return fail('BAD_CLIENT_ID', 'invalid_client', 'missing or unknown client id');
    if (str('client_secret') !== clientSecret) {
      return fail('BAD_CLIENT_SECRET', 'invalid_client', 'missing or invalid client secret');
    }
    const grant = str('grant_type');
    if (grant === 'authorization_code') {
      const code = this.codes.get(str('code'));
      if (!code || code.used || code.expiresAt <= this.core.now()) {
        return fail('BAD_AUTH_CODE', 'invalid_grant', 'missing or unknown auth code');
      }
      if (code.redirectUri !== str('redirect_uri')) {
        return fail('BAD_REDIRECT_URI', 'invalid_grant', 'redirect_uri does not match the authorize request');
      }
      code.used = true;
      // Consenting again installs the app again.
      this.core.portalOrCreate(code.portalId).uninstalled = false;
      return { status: 200, body: this.issueTokens(code.portalId, code.scopes) };
    }
    if (grant === 'refresh_token') {
      const rtKey = str('refresh_token');
      const rt = this.refresh.get(rtKey);
      if (!rt || rt.revoked)
        return fail('BAD_REFRESH_TOKEN', 'invalid_grant', 'missing or unknown refresh token');
      this.refreshCounts.set(rt.portalId, (this.refreshCounts.get(rt.portalId) ?? 0) + 1);
      return { status: 200, body: this.newAccess(rtKey) };
    }
    return fail('BAD_GRANT_TYPE', 'unsupported_grant_type', `unsupported grant_type '${grant}'`);
  }

  accessInfo(token: string) {
    const t = this.access.get(token);
    if (!t) return undefined;
    const portal = this.core.portalOrCreate(t.portalId);
    const user = portal.users.get(t.userId);
    return {
      token,
      hub_id: t.portalId,
      user: user?.email ?? `user${t.userId}@${portal.hubDomain}`,
      user_id: t.userId,
      app_id: this.core.opts.appId,
      hub_domain: portal.hubDomain,
      scopes: t.scopes,
      expires_in: Math.max(0, Math.floor((t.expiresAt - this.core.now()) / 1000)),
      token_type: 'access',
    };
  }

  refreshInfo(token: string) {
    const t = this.refresh.get(token);
    if (!t || t.revoked) return undefined;
    const portal = this.core.portalOrCreate(t.portalId);
    return {
      token,
      hub_id: t.portalId,
      user: portal.users.get(t.userId)?.email ?? '',
      user_id: t.userId,
      client_id: this.core.opts.clientId,
      hub_domain: portal.hubDomain,
      scopes: t.scopes,
      token_type: 'refresh',
    };
  }
}

function authorizePage(res: Response, message: string): void {
  res
    .status(400)
    .type('html')
    .send(`<html><body><h1>Authorization failed</h1><p>${message}</p></body></html>`);
}

export function oauthRouter(core: SimCore): Router {
  const r = Router();
  const tokens = core.tokens;

  r.get('/oauth/authorize', (req, res) => {
    const clientId = queryString(req, 'client_id');
    const redirectUri = queryString(req, 'redirect_uri');
    if (clientId !== core.opts.clientId) return authorizePage(res, 'Unknown client_id.');
    if (!redirectUri) return authorizePage(res, 'Missing redirect_uri.');
    const split = (s: string | undefined) => (s ?? '').split(/[ ,+]+/).filter(Boolean);
    const scopes = [
      ...new Set([...split(queryString(req, 'scope')), ...split(queryString(req, 'optional_scope'))]),
    ];
    const code = tokens.issueCode(core.authorizePortalId(), redirectUri, scopes.length ? scopes : ['oauth']);
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = queryString(req, 'state');
    if (state !== undefined) target.searchParams.set('state', state);
    res.redirect(302, target.toString());
  });

  const token = (req: Request, res: Response) => {
    const out = tokens.exchange(bodyOf(req));
    res.status(out.status).json(out.body);
  };
  r.post(['/oauth/2026-03/token', '/oauth/v1/token'], token);

  r.post('/oauth/2026-03/token/introspect', (req, res) => {
    const form = bodyOf(req);
    const t = typeof form.token === 'string' ? form.token : '';
    const access = tokens.check(t).ok ? tokens.accessInfo(t) : undefined;
    if (access) return void res.json({ active: true, ...access, client_id: core.opts.clientId });
    const refresh = tokens.refreshInfo(t);
    if (refresh) return void res.json({ active: true, ...refresh, app_id: core.opts.appId });
    res.json({ active: false });
  });

  r.post('/oauth/2026-03/token/revoke', (req, res) => {
    const form = bodyOf(req);
    const t = typeof form.token === 'string' ? form.token : '';
    const rt = tokens.refresh.get(t);
    if (rt) rt.revoked = true;
    const at = tokens.access.get(t);
    if (at) at.expiresAt = core.now() - 1;
    res.status(200).json({});
  });

  r.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const t = param(req, 'token');
    const check = tokens.check(t);
    if (!check.ok) {
      const category = check.expired ? 'EXPIRED_AUTHENTICATION' : 'INVALID_AUTHENTICATION';
      return void res
        .status(401)
        .json({ status: 'error', message: check.message, category, correlationId: crypto.randomUUID() });
    }
    res.json(tokens.accessInfo(t));
  });

  r.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const info = tokens.refreshInfo(param(req, 'token'));
    if (!info)
      return void res.status(404).json({
        status: 'error',
        message: 'refresh token not found',
        category: 'OBJECT_NOT_FOUND',
        correlationId: crypto.randomUUID(),
      });
    res.json(info);
  });

  r.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const rt = tokens.refresh.get(param(req, 'token'));
    if (!rt)
      return void res.status(404).json({
        status: 'error',
        message: 'refresh token not found',
        category: 'OBJECT_NOT_FOUND',
        correlationId: crypto.randomUUID(),
      });
    rt.revoked = true;
    res.status(204).end();
  });

  return r;
}
