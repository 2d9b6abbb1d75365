import type { Request } from 'express';

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods the application's routes answer on `req.path`, read off Express' router (Nest
 * registers every controller route there): `['GET', 'HEAD', 'POST']`, say, for `/batches`, and
 * `[]` where no route matches the path at all. HEAD goes with GET, as Express answers it.
 */
export function allowedMethods(req: Request): string[] {
  const app = req.app as unknown as { router?: { stack?: RouteLayer[] } };
  const methods = new Set<string>();
  for (const layer of app.router?.stack ?? []) {
    // Middleware mounted on every path (`{*splat}`, the request log's) is not a route of the API.
    if (!layer.route || (typeof layer.route.path === 'string' && layer.route.path.includes('*'))) continue;
    let matches = false;
    try {
      matches = layer.match(req.path);
    } catch {
      // A path the router cannot decode matches no route here either.
    }
    if (!matches) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') methods.add(method.toUpperCase());
    }
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
