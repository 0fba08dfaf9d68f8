import { z } from 'zod';
import { HubSpotError } from './errors.ts';
import { HUBSPOT_OPERATIONS } from './paths.ts';

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  hub_id: z.number().int().positive().optional(),
  scopes: z.array(z.string()).optional(),
});

const introspection = z.object({
  active: z.boolean().optional(),
  hub_id: z.number().int().positive(),
  user_id: z.number().int().optional(),
  hub_domain: z.string().optional(),
  scopes: z.array(z.string()).optional(),
});

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  hubId: number | undefined;
  scopes: string[] | undefined;
}

export interface TokenInfo {
  hubId: number;
  userId: number | undefined;
  hubDomain: string | undefined;
  scopes: string[];
}

export interface HubSpotOAuthApi {
  exchangeCode(code: string, redirectUri: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  introspect(accessToken: string): Promise<TokenInfo>;
}

interface OAuthApiOptions {
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
}

/** HubSpot's OAuth endpoints: the dated path, and v1 when the dated one is not there (404). */
export function createHubSpotOAuthApi(options: OAuthApiOptions): HubSpotOAuthApi {
  const doFetch = options.fetch ?? fetch;

  async function post(paths: string[], form: Record<string, string>): Promise<unknown> {
    let lastStatus = 0;
    for (const path of paths) {
      let response: Response;
      try {
        response = await doFetch(`${options.apiBaseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams(form).toString(),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new HubSpotError('network', `HubSpot OAuth request failed: ${(error as Error).message}`, true);
      }
      lastStatus = response.status;
      if (response.status === 404) continue;
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.ok) return body;
      const refused =
        body.error === 'invalid_grant' ||
        body.status === 'BAD_REFRESH_TOKEN' ||
        body.status === 'BAD_AUTH_CODE';
      const message = `HubSpot OAuth answered ${response.status}: ${String(body.message ?? body.error_description ?? body.error ?? 'no message')}`;
      if (refused) throw new HubSpotError('invalid_grant', message, false, response.status);
      throw new HubSpotError(
        response.status >= 500 ? 'server_error' : 'bad_request',
        message,
        response.status >= 500 || response.status === 429,
        response.status,
      );
    }
    throw new HubSpotError(
      'not_found',
      `HubSpot OAuth endpoint not found (${lastStatus})`,
      false,
      lastStatus,
    );
  }

  const tokenPaths = [HUBSPOT_OPERATIONS.oauthToken.path, HUBSPOT_OPERATIONS.oauthToken.fallback];
  const toTokenSet = (body: unknown): TokenSet => {
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success)
      throw new HubSpotError('bad_request', 'HubSpot OAuth answered an unexpected token shape', false);
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresInSeconds: t.expires_in,
      hubId: t.hub_id,
      scopes: t.scopes,
    };
  };
  const credentials = { client_id: options.clientId, client_secret: options.clientSecret };

  return {
    async exchangeCode(code, redirectUri) {
      return toTokenSet(
        await post(tokenPaths, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          ...credentials,
        }),
      );
    },
    async refresh(refreshToken) {
      return toTokenSet(
        await post(tokenPaths, { grant_type: 'refresh_token', refresh_token: refreshToken, ...credentials }),
      );
    },
    async introspect(accessToken) {
      const body = await post([HUBSPOT_OPERATIONS.oauthIntrospect.path], {
        token: accessToken,
        token_type_hint: 'access_token',
        ...credentials,
      });
      const parsed = introspection.safeParse(body);
      if (!parsed.success)
        throw new HubSpotError('bad_request', 'HubSpot introspection answered an unexpected shape', false);
      return {
        hubId: parsed.data.hub_id,
        userId: parsed.data.user_id,
        hubDomain: parsed.data.hub_domain,
        scopes: parsed.data.scopes ?? [],
      };
    },
  };
}
