import type { HubSpotOAuthApi, TokenSet } from '../hubspot/oauth-api.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import type { SecretBox } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';
import type { Logger } from '../platform/logger.ts';
import type { Installation } from './installation.table.ts';
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
  /** Days an uninstalled portal's data is kept before the purge. */
  uninstalledRetentionDays?: number;
  /** Called after HubSpot refused the refresh token (the installation is marked uninstalled). */
  onUninstalled?: (installationId: string) => Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const uninstalledError = () =>
  new HubSpotError(
    'installation_uninstalled',
    'The app is no longer installed in this HubSpot portal',
    false,
  );

/** The sealed tokens of an active installation, or null (uninstalled: the tokens are deleted). */
function activeTokens(row: Installation | undefined) {
  if (!row || row.status !== 'active') return null;
  if (!row.access_token_enc || !row.refresh_token_enc || !row.access_token_expires_at) return null;
  return {
    access: row.access_token_enc,
    refresh: row.refresh_token_enc,
    expiresAt: new Date(row.access_token_expires_at).getTime(),
  };
}

export function createTokenProvider({
  db,
  box,
  oauth,
  logger,
  now = Date.now,
  uninstalledRetentionDays = 30,
  onUninstalled,
}: Deps): TokenProvider {
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
      const stored = activeTokens(await lockInstallation(trx, installationId));
      if (!stored) return { kind: 'uninstalled' as const, now: false };
      const current = box.decrypt(stored.access);
      const expiresAt = stored.expiresAt;
      // Another caller or process refreshed while we waited for the lock.
      if (fresh(expiresAt) && current !== rejectedToken)
        return { kind: 'ok' as const, token: current, expiresAt };
      try {
        const tokens = await oauth.refresh(box.decrypt(stored.refresh));
        const sealed = seal(tokens);
        await saveRefreshedTokens(trx, installationId, sealed);
        return { kind: 'ok' as const, token: tokens.accessToken, expiresAt: sealed.expiresAt.getTime() };
      } catch (error) {
        if (error instanceof HubSpotError && error.code === 'invalid_grant') {
          await markUninstalled(
            trx,
            installationId,
            'HubSpot refused the refresh token (the app was uninstalled)',
            new Date(now() + uninstalledRetentionDays * DAY_MS),
          );
          logger.warn({ installationId }, 'refresh refused: installation uninstalled, tokens deleted');
          return { kind: 'uninstalled' as const, now: true };
        }
        throw error;
      }
    });
    if (outcome.kind === 'uninstalled') {
      if (outcome.now && onUninstalled) {
        await onUninstalled(installationId).catch((error: unknown) =>
          logger.error(
            { err: error, installationId },
            'uninstall clean-up failed (the hourly sweep retries)',
          ),
        );
      }
      throw uninstalledError();
    }
    cache.set(installationId, { token: outcome.token, expiresAt: outcome.expiresAt });
    return outcome.token;
  }

  return {
    seal,
    async getAccessToken(installationId) {
      const cached = cache.get(installationId);
      if (cached && fresh(cached.expiresAt)) return cached.token;
      const sealed = activeTokens(await findInstallation(db, installationId));
      if (!sealed) throw uninstalledError();
      const expiresAt = sealed.expiresAt;
      if (fresh(expiresAt)) {
        const token = box.decrypt(sealed.access);
        cache.set(installationId, { token, expiresAt });
        return token;
      }
      return refreshOnce(installationId);
    },
    refreshNow(installationId, rejectedToken) {
      return refreshOnce(installationId, rejectedToken);
    },
    forget(installationId) {
      cache.delete(installationId);
    },
  };
}
