import { readFileSync } from 'node:fs';
import type { RouteSpec } from '@dialer-sync/ui-shared/api';
import { listFiles } from './ui-code.ts';

/** `GET /api/agents/:agentId` → `GET /api/agents/:`, so parameter names do not matter. */
export const routeKey = (method: string, path: string) =>
  `${method.toUpperCase()} ${path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, ':')}`;

/** Every `router.<method>('<path>'` / `app.<method>('<path>'` registration in the backend source. */
export function scanBackendRoutes(backendSrcDir: string): Set<string> {
  const routes = new Set<string>();
  const files = listFiles(backendSrcDir, (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(
      /\b(?:router|app)\.(get|post|put|patch|delete)\(\s*['"`]([^'"`]+)['"`]/g,
    )) {
      routes.add(routeKey(match[1]!, match[2]!));
    }
  }
  return routes;
}

/** The UI routes (from api.ts ROUTES) that no backend file registers, as `METHOD /path`. */
export function missingRoutes(uiRoutes: Record<string, RouteSpec>, backendRoutes: Set<string>): string[] {
  return Object.values(uiRoutes)
    .filter((route) => !backendRoutes.has(routeKey(route.method, route.path)))
    .map((route) => `${route.method} ${route.path}`);
}
