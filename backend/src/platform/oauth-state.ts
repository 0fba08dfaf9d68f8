import { hmacSha256, randomToken, safeEqual } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';

export const STATE_TTL_MS = 10 * 60 * 1000;

/**
 * The OAuth `state`: `<nonce>.<expiry ms>.<hmac>`. The HMAC proves we issued it, the expiry
 * bounds it to ten minutes, and the nonce row makes it single-use.
 */
export function createStateCodec(key: Buffer) {
  const stateKey = hmacSha256(key, 'dialer-sync/oauth-state');
  const mac = (payload: string) => hmacSha256(stateKey, payload).toString('base64url');
  return {
    async issue(db: Db, now = Date.now()): Promise<string> {
      const nonce = randomToken(18);
      const expiresAt = now + STATE_TTL_MS;
      await db
        .insertInto('oauth_states')
        .values({ nonce, expires_at: new Date(expiresAt) })
        .execute();
      const payload = `${nonce}.${expiresAt}`;
      return `${payload}.${mac(payload)}`;
    },
    /** True once per issued, unexpired state; false for anything else (forged, expired, replayed). */
    async consume(db: Db, state: string, now = Date.now()): Promise<boolean> {
      const parts = state.split('.');
      if (parts.length !== 3) return false;
      const [nonce, expiry, signature] = parts as [string, string, string];
      if (!safeEqual(mac(`${nonce}.${expiry}`), signature)) return false;
      if (!/^\d+$/.test(expiry) || Number(expiry) < now) return false;
      const deleted = await db
        .deleteFrom('oauth_states')
        .where('nonce', '=', nonce)
        .where('expires_at', '>', new Date(now))
        .returning('nonce')
        .executeTakeFirst();
      return deleted !== undefined;
    },
    /** Housekeeping: forget states nobody came back with. */
    async purgeExpired(db: Db, now = Date.now()): Promise<void> {
      await db.deleteFrom('oauth_states').where('expires_at', '<', new Date(now)).execute();
    },
  };
}

export type StateCodec = ReturnType<typeof createStateCodec>;
