import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** One encryption key and the id written into every secret it seals. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/**
 * AES-256-GCM sealed box for secrets at rest: `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url
 * parts), sealed with the first (newest) key; older keys still open what they sealed. Secrets
 * sealed before key ids existed (`v1.<iv>.<tag>.<ciphertext>`) are opened with whichever key
 * authenticates them.
 */
export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
  /** Whether the secret is sealed with the newest key (the rotation command skips those). */
  isCurrent(sealed: string): boolean;
}

export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function createSecretBox(keys: Buffer | readonly EncryptionKey[]): SecretBox {
  const ring = Buffer.isBuffer(keys) ? [{ id: 'default', key: keys }] : [...keys];
  if (ring.length === 0) throw new Error('at least one encryption key is needed');
  for (const { id, key } of ring) {
    if (key.length !== 32) throw new Error(`encryption key ${id} must be 32 bytes`);
    if (!KEY_ID.test(id)) throw new Error(`encryption key id ${id} must be 1-32 letters, digits, - or _`);
  }
  const current = ring[0]!;
  const byId = new Map(ring.map((k) => [k.id, k.key]));
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
      return ['v2', current.id, ...parts].join('.');
    },
    decrypt(sealed) {
      const parts = sealed.split('.');
      if (parts[0] === 'v2' && parts.length === 5) {
        const key = byId.get(parts[1]!);
        if (!key)
          throw new Error(`secret sealed with unknown key id ${parts[1]}: add that key to ENCRYPTION_KEYS`);
        return open(key, parts[2]!, parts[3]!, parts[4]!);
      }
      if (parts[0] === 'v1' && parts.length === 4) {
        for (const { key } of ring) {
          try {
            return open(key, parts[1]!, parts[2]!, parts[3]!);
          } catch {
            // not this key: try the next one
          }
        }
        throw new Error('no encryption key opens this secret');
      }
      throw new Error('not a sealed secret');
    },
    isCurrent(sealed) {
      return sealed.startsWith(`v2.${current.id}.`);
    },
  };
}

function open(key: Buffer, iv: string, tag: string, ciphertext: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

export function hmacSha256(key: string | Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Constant-time comparison of two strings (false on any length difference). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
