import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A database of the test's own: a fresh database on the PostgreSQL server named by
 * DATABASE_URL (CI), or an in-memory embedded PGlite when DATABASE_URL is unset.
 */
export interface TestDatabase {
  databaseUrl: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { embedded?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl || options.embedded) {
    return { databaseUrl: undefined, dataDir: ':memory:', drop: async () => {} };
  }
  const name = `dialer_sync_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
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
        for (let i = 0; i < 50; i++) {
          const { rows } = await client.query(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
