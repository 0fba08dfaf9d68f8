import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('starts with nothing set, with loud warnings', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./.data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.hubspot.apiBaseUrl).toBe('https://api.hubapi.com');
    expect(config.dialer.apiBaseUrl).toBe('https://api.dialer.io');
    expect(config.warnings.join(' ')).toMatch(/DEVELOPMENT KEY/);
    expect(config.warnings.join(' ')).toMatch(/HUBSPOT_CLIENT_ID/);
  });

  it.each([
    ['ENCRYPTION_KEY', { ENCRYPTION_KEY: 'too-short' }],
    ['ENCRYPTION_KEY', { ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'not a url' }],
    ['HUBSPOT_API_BASE_URL', { HUBSPOT_API_BASE_URL: 'api.hubapi' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['PORT', { PORT: 'eighty' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('names %s when it is bad', (key, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(key));
  });

  it('requires secrets and https in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ENCRYPTION_KEY/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
        HUBSPOT_CLIENT_ID: 'id',
        HUBSPOT_CLIENT_SECRET: 'secret',
        PUBLIC_BASE_URL: 'http://insecure.example',
      }),
    ).toThrow(/https/);
  });
});
