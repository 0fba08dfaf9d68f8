import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../migrations', import.meta.url));

/** The files Kysely's FileMigrationProvider takes as migrations (declarations and maps are not). */
const MIGRATION_FILE = /^(?!.*\.d\.[mc]?ts$).+\.[mc]?[jt]s$/;

function createMigrator(db: Kysely<any>, folder: string): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: folder }),
  });
}

/** Migration names in the folder, read from the file names alone (no migration is imported). */
async function migrationNamesOnDisk(folder: string): Promise<string[]> {
  const files = await fs.readdir(folder);
  return files
    .filter((file) => MIGRATION_FILE.test(file))
    .map((file) => file.slice(0, file.lastIndexOf('.')));
}

/** Names the database has run (Kysely's own table), or none when it has never been migrated. */
async function executedNames(db: Kysely<any>): Promise<Set<string>> {
  const table = await sql<{ present: boolean }>`
    select to_regclass('kysely_migration') is not null as present
  `.execute(db);
  if (!table.rows[0]?.present) return new Set();
  const executed = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return new Set(executed.rows.map((row) => row.name));
}

/**
 * Runs every pending migration; throws with the failing migration's name. When the database has
 * run exactly the migrations on disk (every start but the first after an upgrade), two small
 * queries say so and nothing is imported or locked.
 */
export async function migrateToLatest(db: Kysely<any>, folder = MIGRATIONS_DIR): Promise<string[]> {
  const [onDisk, executed] = await Promise.all([migrationNamesOnDisk(folder), executedNames(db)]);
  if (onDisk.length === executed.size && onDisk.every((name) => executed.has(name))) return [];
  const { error, results } = await createMigrator(db, folder).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`, { cause: error });
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/** Names of migrations present on disk that the database has not run (file names and one query). */
export async function pendingMigrations(db: Kysely<any>, folder = MIGRATIONS_DIR): Promise<string[]> {
  const [onDisk, executed] = await Promise.all([migrationNamesOnDisk(folder), executedNames(db)]);
  return onDisk.filter((name) => !executed.has(name)).sort();
}
