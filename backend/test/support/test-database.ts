import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { embeddedTemplate, serverTemplate, waitForNoConnections } from './database-template.ts';

/**
 * A database of the test's own: a fresh database on the PostgreSQL server named by
 * DATABASE_URL (CI), or an in-memory embedded PGlite when DATABASE_URL is unset. Both start
 * migrated, from a template (`database-template.ts`); `fresh` starts from an empty one instead.
 */
export interface TestDatabase {
  databaseUrl: string | undefined;
  dataDir: string;
  /** For the embedded database: the dump it starts from (handed to `createRuntime`). */
  embeddedTemplate?: Blob;
  drop(): Promise<void>;
}

export async function createTestDatabase(
  options: { embedded?: boolean; fresh?: boolean } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl || options.embedded) {
    return {
      databaseUrl: undefined,
      dataDir: ':memory:',
      embeddedTemplate: options.fresh ? undefined : await embeddedTemplate(),
      drop: async () => {},
    };
  }
  const name = `dialer_sync_test_${randomBytes(6).toString('hex')}`;
  const template = options.fresh ? undefined : await serverTemplate(serverUrl);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dataDir: ':memory:',
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        // Let the app's pools finish closing: forcing a drop under a closing connection makes its
        // client report "terminating connection" as an uncaught error.
        await waitForNoConnections(client, name, 10_000);
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
