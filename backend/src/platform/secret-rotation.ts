import { sql } from 'kysely';
import type { SecretBox } from './crypto.ts';
import type { Db } from './db/database.ts';

/**
 * Every column that holds a sealed secret, with its table's key. A capability that stores a
 * new secret adds its column here, so the rotation command re-seals it too.
 */
export const SEALED_COLUMNS: { table: string; key: string; columns: string[] }[] = [
  { table: 'installations', key: 'id', columns: ['access_token_enc', 'refresh_token_enc'] },
  { table: 'dialer_connections', key: 'installation_id', columns: ['api_token_enc', 'webhook_secret_enc'] },
];

/**
 * Re-seals every stored secret that is not sealed with the newest key. A row changed meanwhile
 * (a token refresh) keeps its new value: the update only applies to the value that was read.
 * Returns how many secrets were re-sealed.
 */
export async function resealSecrets(db: Db, box: SecretBox): Promise<number> {
  let resealed = 0;
  for (const { table, key, columns } of SEALED_COLUMNS) {
    for (const column of columns) {
      const rows = await sql<{ id: string; sealed: string | null }>`
        select ${sql.ref(key)}::text as id, ${sql.ref(column)} as sealed from ${sql.table(table)}`.execute(
        db,
      );
      for (const row of rows.rows) {
        if (row.sealed === null || box.isCurrent(row.sealed)) continue;
        const result = await sql`
          update ${sql.table(table)} set ${sql.ref(column)} = ${box.encrypt(box.decrypt(row.sealed))}
          where ${sql.ref(key)}::text = ${row.id} and ${sql.ref(column)} = ${row.sealed}`.execute(db);
        resealed += Number(result.numAffectedRows ?? 0);
      }
    }
  }
  return resealed;
}
