import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IS_PUBLIC } from '../../src/auth/public.decorator';
import { Role, ROLES_KEY } from '../../src/auth/roles.decorator';
import { routeTable } from '../../src/common/route-table';

export type AccessRule = { kind: 'public' } | { kind: 'roles'; roles: Role[] } | { kind: 'none' };

export interface DiscoveredRoute {
  method: string;
  url: string;
  /** From the handler's decorators; undefined when no Nest controller serves it (e.g. the OpenAPI pages). */
  rule?: AccessRule;
  handler?: string;
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isWrite = (method: string) => WRITE.has(method);

function joinPath(...parts: string[]): string {
  const p = parts
    .flatMap((x) => x.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${p}`;
}

/** Nest's own view: every controller method with its HTTP method, full path and access rule. */
function nestHandlers(app: NestFastifyApplication): Map<string, { rule: AccessRule; handler: string }> {
  const out = new Map<string, { rule: AccessRule; handler: string }>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!cls) continue;
      const base: string | string[] = Reflect.getMetadata(PATH_METADATA, cls) ?? '';
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const fn = cls.prototype[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const m: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, fn);
        const path: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, fn);
        if (m === undefined || path === undefined) continue;
        const isPublic = Reflect.getMetadata(IS_PUBLIC, fn) ?? Reflect.getMetadata(IS_PUBLIC, cls);
        const roles: Role[] | undefined = Reflect.getMetadata(ROLES_KEY, fn) ?? Reflect.getMetadata(ROLES_KEY, cls);
        const rule: AccessRule = isPublic ? { kind: 'public' } : roles ? { kind: 'roles', roles } : { kind: 'none' };
        for (const b of ([] as string[]).concat(base)) {
          for (const p of ([] as string[]).concat(path))
            out.set(`${RequestMethod[m]} ${joinPath(b, p)}`, { rule, handler: `${cls.name}.${name}` });
        }
      }
    }
  }
  return out;
}

/**
 * Every route the running app serves, from Fastify's route table (recorded as routes are
 * registered), each joined to the access rule its Nest handler declares. HEAD twins of GET
 * routes are dropped (same handler).
 */
export function discoverRoutes(app: NestFastifyApplication): DiscoveredRoute[] {
  const table = routeTable(app.getHttpAdapter().getInstance());
  const gets = new Set(table.filter((r) => r.method === 'GET').map((r) => r.url));
  const handlers = nestHandlers(app);
  const seen = new Set<string>();
  const out: DiscoveredRoute[] = [];
  for (const r of table) {
    if (r.method === 'HEAD' && gets.has(r.url)) continue;
    if (r.method === 'OPTIONS') continue;
    const key = `${r.method} ${r.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const h = handlers.get(key) ?? handlers.get(`ALL ${r.url}`);
    out.push({ method: r.method, url: r.url, rule: h?.rule, handler: h?.handler });
  }
  return out.sort((a, b) => (a.url === b.url ? a.method.localeCompare(b.method) : a.url.localeCompare(b.url)));
}

/** Fills path parameters: `:code` and `:project` from `values`, anything else from `fallback`. */
export function fillPath(url: string, values: Record<string, string>, fallback = 'MATRIX'): string {
  return url
    .replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name] ?? fallback))
    .replace(/\*$/, 'index.html');
}
