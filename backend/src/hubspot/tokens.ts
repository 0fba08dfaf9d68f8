import type { TokenSet } from './oauth-api.ts';

/** HubSpot tokens as stored: sealed with the secret box. */
export interface SealedTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string;
  expiresAt: Date;
}

/**
 * The access tokens of installed portals, as the HubSpot client needs them. Implemented by
 * `installations/token-provider.ts` (refresh ahead of expiry, single-flight); declared here so
 * that neither this folder nor `platform/` imports a capability.
 */
export interface TokenProvider {
  /** A valid access token for the installation; refreshes it first when it is about to expire. */
  getAccessToken(installationId: string): Promise<string>;
  /** HubSpot answered 401 to `rejectedToken`: refresh unless someone already replaced it. */
  refreshNow(installationId: string, rejectedToken: string): Promise<string>;
  seal(tokens: TokenSet, now?: number): SealedTokens;
  /** Drops what this process cached for the installation (after an uninstall). */
  forget(installationId: string): void;
}
