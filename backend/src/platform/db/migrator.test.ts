import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.ts';
import { MIGRATIONS_DIR, migrateToLatest, pendingMigrations } from './migrator.ts';

/** A migration with no imports, creating one table. */
const migration = (table: string) =>
  `export async function up(db) { await db.schema.createTable('${table}').addColumn('id', 'integer').execute(); }\n`;

describe('migrations', () => {
  let handle: DatabaseHandle;
  let folder: string;
  beforeAll(async () => {
    handle = await openDatabase({ databaseUrl: undefined, dataDir: ':memory:' });
  });
  afterAll(() => handle.close());
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dialer-sync-migrations-'));
    writeFileSync(join(folder, '001_first.mjs'), migration('first'));
    writeFileSync(join(folder, '002_second.mjs'), migration('second'));
    // Not migrations, as for Kysely: a declaration and a source map.
    writeFileSync(join(folder, '002_second.d.ts'), 'export {};\n');
    writeFileSync(join(folder, '002_second.mjs.map'), '{}\n');
  });
  afterEach(async () => {
    await sql`drop schema public cascade`.execute(handle.db);
    await sql`create schema public`.execute(handle.db);
    rmSync(folder, { recursive: true, force: true });
  });

  it('lists every migration as pending on a new database, runs them, then has nothing to do', async () => {
    expect(await pendingMigrations(handle.db, folder)).toEqual(['001_first', '002_second']);
    expect(await migrateToLatest(handle.db, folder)).toEqual(['001_first', '002_second']);
    expect(await pendingMigrations(handle.db, folder)).toEqual([]);
    expect(await migrateToLatest(handle.db, folder)).toEqual([]);
  });

  it('runs only the migration added since the last start', async () => {
    await migrateToLatest(handle.db, folder);
    writeFileSync(join(folder, '003_third.mjs'), migration('third'));
    expect(await pendingMigrations(handle.db, folder)).toEqual(['003_third']);
    expect(await migrateToLatest(handle.db, folder)).toEqual(['003_third']);
    await expect(
      handle.db
        .selectFrom('third' as never)
        .selectAll()
        .execute(),
    ).resolves.toEqual([]);
  });

  it('refuses a database that ran a migration missing on disk (older code on a newer database)', async () => {
    await migrateToLatest(handle.db, folder);
    unlinkSync(join(folder, '002_second.mjs'));
    await expect(migrateToLatest(handle.db, folder)).rejects.toThrow(/002_second/);
  });

  it("finds the project's own migrations and applies them all", async () => {
    const applied = await migrateToLatest(handle.db);
    expect(applied.length).toBeGreaterThan(0);
    expect(await pendingMigrations(handle.db)).toEqual([]);
    expect(await pendingMigrations(handle.db, MIGRATIONS_DIR)).toEqual([]);
  }, 60_000);
});
