import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';

/**
 * Every row of every table in every schema (ours and pg-boss's) as text: a logical dump that
 * works the same on PostgreSQL and the embedded PGlite. Personal data must not appear in it
 * after an erasure.
 */
export async function dumpDatabase(db: Db): Promise<string> {
  const tables = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
    order by 1, 2`.execute(db);
  const parts: string[] = [];
  for (const { schema, name } of tables.rows) {
    const rows = await sql<{ dump: string | null }>`
      select json_agg(t)::text as dump from ${sql.table(`${schema}.${name}`)} t`.execute(db);
    parts.push(`-- ${schema}.${name}\n${rows.rows[0]?.dump ?? ''}`);
  }
  return parts.join('\n');
}

/** `pg_dump --data-only` of a PostgreSQL database (CI); null when there is no pg_dump. */
export async function pgDump(databaseUrl: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('pg_dump', ['--data-only', databaseUrl], {
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
}
