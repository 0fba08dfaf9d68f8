import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';
import { hubspotSignedFetch } from './hubspot-signing.ts';
import { inSafeOrder, type RouteInfo } from './route-walker.ts';

export interface Tenant {
  portalId: number;
  installationId: string;
  /** A super admin of the portal. */
  userId: number;
}

export interface IsolationCheck {
  db: Db;
  baseUrl: string;
  publicBaseUrl: string;
  secret: string;
  routes: RouteInfo[];
  /** A's signed requests... */
  attacker: Tenant;
  /** ...must neither read nor change B's data. */
  victim: Tenant;
  /** Values of B for each path parameter (`:contactId` → one of B's contact ids). */
  params: Record<string, string>;
  /** A body per `METHOD path` that names B's data (default `{}`). */
  bodies: Record<string, unknown>;
  /** Strings only B's data contains: none may appear in an answer to A. */
  victimMarkers: string[];
}

/**
 * Calls every route as the attacker's super admin, aimed at the victim's data, and returns
 * what went wrong: an answer that shows the victim's data, or a change to the victim's rows.
 */
export async function findIsolationViolations(check: IsolationCheck): Promise<string[]> {
  const violations: string[] = [];
  const before = await snapshotTenant(check.db, check.victim.installationId);
  for (const route of inSafeOrder(check.routes)) {
    const path = fillParams(route.path, check.params);
    if (path === null) {
      violations.push(`${route.method} ${route.path}: no sample value for its path parameter`);
      continue;
    }
    const key = `${route.method} ${route.path}`;
    const separator = path.includes('?') ? '&' : '?';
    const body = route.method === 'GET' ? undefined : (check.bodies[key] ?? {});
    const response = await hubspotSignedFetch(check.baseUrl, {
      method: route.method,
      path: `${path}${separator}portalId=${check.attacker.portalId}&userId=${check.attacker.userId}`,
      body,
      secret: check.secret,
      publicBaseUrl: check.publicBaseUrl,
    });
    const text = await response.text();
    if (response.status === 401) violations.push(`${key}: refused the signature, so nothing was checked`);
    // An error that repeats the id A sent is no leak; anything else of B's is.
    const sent = `${decodeURIComponent(path)} ${JSON.stringify(body ?? null)}`;
    const leaked = check.victimMarkers.filter((marker) => text.includes(marker) && !sent.includes(marker));
    if (leaked.length > 0) violations.push(`${key}: answered with the other portal's ${leaked.join(', ')}`);
    const after = await snapshotTenant(check.db, check.victim.installationId);
    for (const table of Object.keys(before))
      if (before[table] !== after[table]) violations.push(`${key}: changed the other portal's ${table}`);
    Object.assign(before, after);
  }
  return violations;
}

function fillParams(path: string, params: Record<string, string>): string | null {
  let missing = false;
  const filled = path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) missing = true;
    return encodeURIComponent(value ?? '');
  });
  return missing ? null : filled;
}

/** Workers' own bookkeeping (claims, heartbeats, request counts flushed every 10 s, sweep times): it changes by itself and holds no tenant data. */
const BOOKKEEPING = new Set([
  'call_sync_portals',
  'hubspot_request_stats',
  'follow_up_portals',
  'mapping_refresh_leases',
]);

/** Every row of every tenant table of one installation, as sorted JSON per table. */
export async function snapshotTenant(db: Db, installationId: string): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.columns
    where column_name = 'installation_id' and table_schema = 'public' order by 1`.execute(db);
  const snapshot: Record<string, string> = {};
  for (const { name } of tables.rows) {
    if (BOOKKEEPING.has(name)) continue;
    const rows = await sql<{ row: string }>`
      select row_to_json(t)::text as row from ${sql.table(name)} t
      where installation_id = ${installationId}`.execute(db);
    snapshot[name] = JSON.stringify(rows.rows.map((r) => r.row).sort());
  }
  return snapshot;
}
