import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrator.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { JobQueue } from '../../src/platform/queue.ts';

/**
 * A database already migrated, with the job queue's schema installed, that each test's database
 * starts from: creating and migrating a fresh one took 2 s idle and 20 s on a busy machine, per
 * test app. Keyed by the migrations and the locked dependencies, so a change to either builds a
 * new template by itself. Embedded: a dump file in the temp folder. PostgreSQL: a template
 * database on the server (`create database … template …`).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function templateKey(): string {
  const hash = createHash('sha256');
  const migrations = path.join(root, 'migrations');
  for (const name of readdirSync(migrations).sort()) {
    hash.update(name);
    hash.update(readFileSync(path.join(migrations, name)));
  }
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

const silent = pino({ level: 'silent' });

/** Migrations and the job queue's schema, as `runtime.ts` would install them. */
async function prepare(handle: Awaited<ReturnType<typeof openDatabase>>): Promise<void> {
  await migrateToLatest(handle.db);
  const queue = await JobQueue.start(handle, silent, createMetrics(), { poolSize: 2 });
  await queue.stop();
}

let embedded: Promise<Blob> | undefined;

/** The embedded template's dump: read from the temp folder, or built once and written there. */
export function embeddedTemplate(): Promise<Blob> {
  embedded ??= loadOrBuildEmbedded();
  return embedded;
}

async function loadOrBuildEmbedded(): Promise<Blob> {
  const folder = path.join(tmpdir(), 'dialer-sync-test-templates');
  const file = path.join(folder, `embedded-${templateKey()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const handle = await openDatabase({ databaseUrl: undefined, dataDir: ':memory:' });
  await prepare(handle);
  const dump = await handle.pglite!.dumpDataDir('none');
  await handle.close();
  mkdirSync(folder, { recursive: true });
  // Written aside, then renamed: a file of that name is always whole, whoever wrote it.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

/**
 * The template database on the server, built once under an advisory lock (several test
 * processes start together); its name says which migrations it holds.
 */
export async function serverTemplate(serverUrl: string): Promise<string> {
  const name = `dialer_sync_template_${templateKey()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    if (await databaseExists(admin, name)) return name;
    await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      if (!(await databaseExists(admin, name))) await buildServerTemplate(admin, serverUrl, name);
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
    return name;
  } finally {
    await admin.end();
  }
}

async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
  return rows.length > 0;
}

async function buildServerTemplate(admin: pg.Client, serverUrl: string, name: string): Promise<void> {
  const building = `${name}_b${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${building}`);
  const url = new URL(serverUrl);
  url.pathname = `/${building}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: ':memory:', poolSize: 2 });
  await prepare(handle);
  await handle.close();
  await waitForNoConnections(admin, building);
  // Renamed only once whole: a template of that name is always complete.
  await admin.query(`alter database ${building} rename to ${name}`);
}

export async function waitForNoConnections(admin: pg.Client, name: string, limitMs = 60_000): Promise<void> {
  for (let waited = 0; waited < limitMs; waited += 100) {
    const { rows } = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [
      name,
    ]);
    if (rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
