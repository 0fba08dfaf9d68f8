import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDialerConnection } from '../../test/support/dialer-fixtures.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { loadConfig } from './config.ts';
import { createSecretBox } from './crypto.ts';
import { resealSecrets } from './secret-rotation.ts';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ workers: false, env: { ENCRYPTION_KEYS: `old:${OLD.toString('base64')}` } });
  await app.install(860001);
  await seedDialerConnection(app, 860001);
});
afterAll(() => app.stop());

const sealedValues = async () => {
  const db = app.runtime.ctx.db;
  const installation = await db
    .selectFrom('installations')
    .select(['access_token_enc', 'refresh_token_enc'])
    .execute();
  const dialer = await db
    .selectFrom('dialer_connections')
    .select(['api_token_enc', 'webhook_secret_enc'])
    .execute();
  return [...installation, ...dialer].flatMap((row) => Object.values(row) as string[]);
};

describe('encryption key rotation', () => {
  it('opens secrets of older keys and of the format before key ids, and seals with the newest', () => {
    const oldBox = createSecretBox([{ id: 'old', key: OLD }]);
    const legacy = createSecretBox(OLD)
      .encrypt('x')
      .replace(/^v2\.default\./, 'v1.');
    const ring = createSecretBox([
      { id: 'new', key: NEW },
      { id: 'old', key: OLD },
    ]);
    expect(ring.decrypt(oldBox.encrypt('token'))).toBe('token');
    expect(ring.decrypt(legacy)).toBe('x');
    expect(ring.encrypt('y')).toMatch(/^v2\.new\./);
    expect(() => createSecretBox([{ id: 'new', key: NEW }]).decrypt(oldBox.encrypt('t'))).toThrow(
      /unknown key id old/,
    );
  });

  it('re-seals every stored secret with the newest key; the old key can then go', async () => {
    const before = await sealedValues();
    expect(before).toHaveLength(4);
    expect(before.every((value) => value.startsWith('v2.old.'))).toBe(true);
    const plaintexts = before.map((value) => app.runtime.ctx.box.decrypt(value));

    const ring = createSecretBox([
      { id: 'new', key: NEW },
      { id: 'old', key: OLD },
    ]);
    expect(await resealSecrets(app.runtime.ctx.db, ring)).toBe(4);
    expect(await resealSecrets(app.runtime.ctx.db, ring)).toBe(0);

    const after = await sealedValues();
    expect(after.every((value) => value.startsWith('v2.new.'))).toBe(true);
    const onlyNew = createSecretBox([{ id: 'new', key: NEW }]);
    expect(after.map((value) => onlyNew.decrypt(value))).toEqual(plaintexts);
  });

  it('reads ENCRYPTION_KEYS newest first, keeping ENCRYPTION_KEY as the key "default"', () => {
    const config = loadConfig({
      ENCRYPTION_KEYS: `k2:${NEW.toString('base64')}, k1:${OLD.toString('base64')}`,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    expect(config.encryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1', 'default']);
    expect(config.encryptionKey.equals(NEW)).toBe(true);
    expect(() => loadConfig({ ENCRYPTION_KEYS: 'bad key' })).toThrow(/ENCRYPTION_KEYS/);
  });

  // The command connects to the database by DATABASE_URL: the embedded test database is in memory.
  it.runIf(process.env.DATABASE_URL)('has a command that re-seals: npm run secrets:reseal', async () => {
    const newer = randomBytes(32).toString('base64');
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'backend/src/platform/reseal-secrets-cli.ts'],
      {
        env: {
          ...process.env,
          DATABASE_URL: app.database.databaseUrl,
          ENCRYPTION_KEYS: `newer:${newer},new:${NEW.toString('base64')}`,
        },
      },
    );
    expect(stdout).toContain('re-sealed 4 secret(s) with key newer');
    expect((await sealedValues()).every((value) => value.startsWith('v2.newer.'))).toBe(true);
  });
});
