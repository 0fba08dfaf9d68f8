import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from './crypto.ts';

describe('SecretBox (AES-256-GCM)', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips and never shows the plaintext', () => {
    const sealed = box.encrypt('pat-na1-secret-token');
    expect(sealed).not.toContain('pat-na1-secret-token');
    expect(box.decrypt(sealed)).toBe('pat-na1-secret-token');
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('refuses a tampered box and another key', () => {
    const sealed = box.encrypt('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('SECRET').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
    expect(() => createSecretBox(randomBytes(32)).decrypt(sealed)).toThrow();
  });
});
