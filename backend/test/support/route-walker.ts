import type { Express } from 'express';

export interface RouteInfo {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every route the Express app (and the routers mounted in it) serves, read from the router
 * itself: a route added tomorrow is in the list without anyone remembering to add it.
 */
export function listRoutes(app: Express): RouteInfo[] {
  const found: RouteInfo[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths)
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') found.push({ method: method.toUpperCase(), path });
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

export const apiRoutes = (app: Express) => listRoutes(app).filter((route) => route.path.startsWith('/api/'));

/** Reads first, then changes, then deletions: a deletion must not hide what a later request would leak. */
export function inSafeOrder(routes: RouteInfo[]): RouteInfo[] {
  const rank = (method: string) => (method === 'GET' ? 0 : method === 'DELETE' ? 2 : 1);
  return [...routes].sort((a, b) => rank(a.method) - rank(b.method));
}
