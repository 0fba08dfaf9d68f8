import { HubSpotError } from '../hubspot/errors.ts';
import type { AppContext } from '../platform/context.ts';
import { bootstrapJob } from './bootstrap-job.ts';
import type { Installation } from './installation.table.ts';
import { upsertInstallation } from './repository.ts';
import { REQUIRED_SCOPES } from './scopes.ts';

export type InstallResult =
  | { ok: true; installation: Installation }
  | { ok: false; reason: 'bad_state' | 'hubspot_refused' | 'hubspot_unavailable'; message: string };

export function redirectUri(ctx: AppContext): string {
  return `${ctx.config.publicBaseUrl}/oauth/callback`;
}

/** The URL of HubSpot's consent screen for this app, with a fresh single-use state. */
export async function startInstall(ctx: AppContext): Promise<string> {
  const url = new URL('/oauth/authorize', ctx.config.hubspot.authBaseUrl);
  url.searchParams.set('client_id', ctx.config.hubspot.clientId);
  url.searchParams.set('redirect_uri', redirectUri(ctx));
  url.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
  url.searchParams.set('state', await ctx.states.issue(ctx.db, ctx.now()));
  return url.toString();
}

/**
 * HubSpot sent the user back with a code: check the state (if we issued one: an install started
 * in HubSpot comes without), exchange the code, store the installation with sealed tokens and
 * enqueue its bootstrap, in one transaction.
 */
export async function completeInstall(
  ctx: AppContext,
  input: { code: string; state?: string | undefined },
): Promise<InstallResult> {
  if (input.state !== undefined && !(await ctx.states.consume(ctx.db, input.state, ctx.now()))) {
    return { ok: false, reason: 'bad_state', message: 'This install link has expired or was already used.' };
  }
  try {
    const tokens = await ctx.oauth.exchangeCode(input.code, redirectUri(ctx));
    const info = await ctx.oauth.introspect(tokens.accessToken);
    const portalId = tokens.hubId ?? info.hubId;
    const installation = await ctx.db.transaction().execute(async (trx) => {
      const saved = await upsertInstallation(trx, {
        portalId,
        tokens: ctx.tokens.seal(tokens, ctx.now()),
        scopes: tokens.scopes ?? info.scopes,
        hubDomain: info.hubDomain ?? null,
        userId: info.userId ?? null,
      });
      await ctx.queue.send(bootstrapJob, { installationId: saved.id }, { trx, singletonKey: saved.id });
      return saved;
    });
    ctx.logger.info({ portalId, installationId: installation.id }, 'installed');
    return { ok: true, installation };
  } catch (error) {
    if (error instanceof HubSpotError && !error.retryable) {
      ctx.logger.warn({ code: error.code, status: error.status }, 'HubSpot refused the install');
      return { ok: false, reason: 'hubspot_refused', message: 'HubSpot did not accept the authorization.' };
    }
    if (error instanceof HubSpotError) {
      ctx.logger.warn({ code: error.code, status: error.status }, 'HubSpot unavailable during install');
      return { ok: false, reason: 'hubspot_unavailable', message: 'HubSpot could not be reached.' };
    }
    throw error;
  }
}
