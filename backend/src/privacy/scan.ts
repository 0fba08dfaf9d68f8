import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { mentionsSubject, needles, type Subject } from './subject.ts';

/**
 * Keys of the installation's rows whose JSON document mentions the subject. SQL narrows the
 * rows cheaply (the national digits of each phone anywhere in the digits of the document, the
 * email or contact id as text); `mentionsSubject` then decides on the parsed document, so a
 * number typed as `(02) 9374-4000` is found and a look-alike digit run is not.
 */
export async function keysOfRowsMentioning<K>(
  db: Db,
  table: string,
  key: RawBuilder<K>,
  document: RawBuilder<unknown>,
  installationId: string,
  subject: Subject,
): Promise<K[]> {
  const { digits, texts } = needles(subject);
  if (digits.length === 0 && texts.length === 0) return [];
  const conditions = [
    ...digits.map((d) => sql`strpos(regexp_replace(${document}::text, '[^0-9]', '', 'g'), ${d}) > 0`),
    ...texts.map((t) => sql`strpos(lower(${document}::text), ${t}) > 0`),
  ];
  const result = await sql<{ key: K; doc: unknown }>`
    select ${key} as key, ${document} as doc from ${sql.table(table)}
    where installation_id = ${installationId} and (${sql.join(conditions, sql` or `)})`.execute(db);
  return result.rows.filter((row) => mentionsSubject(parse(row.doc), subject)).map((row) => row.key);
}

function parse(doc: unknown): unknown {
  if (typeof doc !== 'string') return doc;
  try {
    return JSON.parse(doc);
  } catch {
    return doc;
  }
}

/** Whether a table exists (capabilities that land later add theirs; erasure covers them when present). */
export async function tableExists(db: Db, table: string): Promise<boolean> {
  const result = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(db);
  return result.rows[0]?.found != null;
}
