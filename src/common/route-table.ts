export interface RouteEntry {
  method: string;
  url: string;
}

const TABLES = new WeakMap<object, RouteEntry[]>();

/**
 * Records every route Fastify registers (Nest controllers, the OpenAPI pages, anything a later
 * feature adds), so tests walk the real route table instead of a hand-written list.
 */
/** The part of a Fastify instance we use (Nest's adapter bundles its own fastify types). */
interface RouteHooks {
  addHook(name: 'onRoute', fn: (opts: { method: string | string[]; url: string }) => void): unknown;
}

export function recordRoutes(fastify: RouteHooks): void {
  const table: RouteEntry[] = [];
  TABLES.set(fastify, table);
  fastify.addHook('onRoute', (opts) => {
    for (const method of ([] as string[]).concat(opts.method))
      table.push({ method: method.toUpperCase(), url: opts.url });
  });
}

export function routeTable(fastify: object): RouteEntry[] {
  return [...(TABLES.get(fastify) ?? [])];
}
