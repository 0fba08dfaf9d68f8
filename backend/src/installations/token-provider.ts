import type { HubSpotOAuthApi, TokenSet } from '../hubspot/oauth-api.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import type { Logger } from '../platform/logger.ts';
import { findInstallation, lockInstallation, markUninstalled, saveRefreshedTokens } from './repository.ts';
import type { SealedTokens, TokenProvider } from '../hubspot/tokens.ts';

export type { TokenProvider };

/** Refresh this long before HubSpot's expiry, so no request goes out with a dying token. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

interface Deps {
  db: Db;
  box: SecretBox;
  oauth: HubSpotOAuthApi;
  logger: Logger;
  now?: () => number;
}

export function createTokenProvider({ db, box, oauth, logger, now = Date.now }: Deps): TokenProvider {
  const cache = new Map<string, { token: string; expiresAt: number }>();
  const inFlight = new Map<string, Promise<string>>();

  const seal = (tokens: TokenSet, at = now()): SealedTokens => ({
    accessTokenEnc: box.encrypt(tokens.accessToken),
    refreshTokenEnc: box.encrypt(tokens.refreshToken),
    expiresAt: new Date(at + tokens.expiresInSeconds * 1000),
  });

  const fresh = (expiresAt: number) => expiresAt - now() > REFRESH_MARGIN_MS;

  /** One refresh per installation: in this process by a shared promise, across processes by a row lock. */
  function refreshOnce(installationId: string, rejectedToken?: string): Promise<string> {
    const running = inFlight.get(installationId);
    if (running) return running;
    const started = refresh(installationId, rejectedToken).finally(() => inFlight.delete(installationId));
    inFlight.set(installationId, started);
    return started;
  }

  async function refresh(installationId: string, rejectedToken?: string): Promise<string> {
    cache.delete(installationId);
    const outcome = await db.transaction().execute(async (trx) => {
      const row = await lockInstallation(trx, installationId);
      if (!row || row.status !== 'active') return { kind: 'uninstalled' as const };
      const current = box.decrypt(row.access_token_enc);
      const expiresAt = new Date(row.access_token_expires_at).getTime();
      // Another caller or process refreshed while we waited for the lock.
      if (fresh(expiresAt) && current !== rejectedToken)
        return { kind: 'ok' as const, token: current, expiresAt };
      try {
        const tokens = await oauth.refresh(box.decrypt(row.refresh_token_enc));
        const sealed = seal(tokens);
        await saveRefreshedTokens(trx, installationId, sealed);
        return { kind: 'ok' as const, token: tokens.accessToken, expiresAt: sealed.expiresAt.getTime() };
      } catch (error) {
        if (error instanceof HubSpotError && error.code === 'invalid_grant') {
          await markUninstalled(
            trx,
            installationId,
            'HubSpot refused the refresh token (the app was uninstalled)',
          );
          logger.warn({ installationId }, 'refresh refused: installation marked uninstalled');
          return { kind: 'uninstalled' as const };
        }
        throw error;
      }
    });
    if (outcome.kind === 'uninstalled') {
      throw new HubSpotError(
        'installation_uninstalled',
        'The app is no longer installed in this HubSpot portal',
        false,
      );
    }
    cache.set(installationId, { token: outcome.token, expiresAt: outcome.expiresAt });
    return outcome.token;
  }

  return {
    seal,
    async getAccessToken(installationId) {
      const cached = cache.get(installationId);
      if (cached && fresh(cached.expiresAt)) return cached.token;
      const row = await findInstallation(db, installationId);
      if (!row || row.status !== 'active') {
        throw new HubSpotError(
          'installation_uninstalled',
          'The app is no longer installed in this HubSpot portal',
          false,
        );
      }
      const expiresAt = new Date(row.access_token_expires_at).getTime();
      if (fresh(expiresAt)) {
        const token = box.decrypt(row.access_token_enc);
        cache.set(installationId, { token, expiresAt });
        return token;
      }
      return refreshOnce(installationId);
    },
    refreshNow(installationId, rejectedToken) {
      return refreshOnce(installationId, rejectedToken);
    },
  };
}
