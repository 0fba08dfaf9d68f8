import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/** The connection the service runs on: a PostgreSQL server, or the embedded PGlite default. */
export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Set for PostgreSQL: pg-boss opens its own pool with it. */
  connectionString?: string;
  /** Set for the embedded database: pg-boss shares the instance. */
  pglite?: PGlite;
  close(): Promise<void>;
}

const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
  /**
   * An in-memory embedded database starts from this dump (`PGlite.dumpDataDir`) instead of an
   * empty cluster: the tests start from one already migrated, which is several times faster.
   */
  embeddedTemplate?: Blob;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.embeddedTemplate);
}

function openPostgres(connectionString: string, max: number): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', connectionString, close: () => db.destroy() };
}

async function openPglite(dataDir: string, template: Blob | undefined): Promise<DatabaseHandle> {
  let target: string | undefined;
  if (dataDir !== ':memory:') {
    target = resolve(dataDir, 'pglite');
    mkdirSync(target, { recursive: true });
  }
  // Loaded only here: a service on PostgreSQL never loads the embedded database's code.
  const { PGlite } = await import('@electric-sql/pglite');
  const parsers = { [INT8_OID]: parseInt8 };
  const pglite =
    template && !target
      ? await PGlite.create({ loadDataDir: template, parsers })
      : await PGlite.create(target, { parsers });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
