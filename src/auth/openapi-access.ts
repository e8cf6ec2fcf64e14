import { INestApplicationContext, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ResponseObject, SecuritySchemeObject } from '@nestjs/swagger';
import { AccessMetadata, accessMetadata } from './access-rule';
import { isProjectScoped } from './roles.decorator';

/** The name of the API token scheme in the OpenAPI document's components. */
export const API_TOKEN_SCHEME = 'apiToken';

/**
 * Personal API tokens are opaque (`gdt_<id>_<secret>`, stored as a hash), not JWTs, so the
 * scheme names no bearer format. Descriptions are Markdown in Swagger UI: the token's shape is
 * code, so its underscores and angle brackets print as they are.
 */
export const API_TOKEN_SECURITY: SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  description:
    'A personal API token, sent as `Authorization: Bearer gdt_<id>_<secret>`. An administrator issues one with `npm run cli -- token create --email <address>`; it is shown once. Tokens are opaque, not JWTs.',
};

const ERROR_SCHEMA = 'ErrorBody';
const errorResponse = (description: string): ResponseObject => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
});

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** `api/x/:code` + `y` → `/api/x/{code}/y`, the OpenAPI spelling of a Nest route. */
function openApiPath(base: string, path: string): string {
  const joined = `${base}/${path}`
    .split('/')
    .filter(Boolean)
    .map((seg) => seg.replace(/^:(\w+)\??$/, '{$1}'))
    .join('/');
  return `/${joined}`;
}

/** Every controller route's access metadata, keyed `get /api/...` as the OpenAPI document spells it. */
function routeAccess(app: INestApplicationContext): Map<string, AccessMetadata> {
  const reflector = app.get(Reflector);
  const out = new Map<string, AccessMetadata>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as Type<unknown> | undefined;
      if (!cls?.prototype) continue;
      const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const fn: unknown = cls.prototype[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, fn);
        const paths: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, fn);
        if (method === undefined || paths === undefined) continue;
        const access = accessMetadata(reflector, fn, cls);
        for (const b of bases)
          for (const p of ([] as string[]).concat(paths))
            out.set(`${RequestMethod[method].toLowerCase()} ${openApiPath(b, p)}`, access);
      }
    }
  }
  return out;
}

/**
 * Declares each operation's security from the same decorators the auth guard reads
 * (accessMetadata): a @Public() route declares none; any other route declares the API token
 * and documents the guard's 401 and 403 answers, naming the roles it admits. An operation whose
 * route cannot be found is declared as needing a token (the safe reading; the OpenAPI access
 * test compares every declaration with what an anonymous request gets).
 */
export function declareAccess(doc: OpenAPIObject, app: INestApplicationContext): OpenAPIObject {
  const access = routeAccess(app);
  doc.components = doc.components ?? {};
  doc.components.securitySchemes = { [API_TOKEN_SCHEME]: API_TOKEN_SECURITY };
  doc.components.schemas = {
    ...doc.components.schemas,
    [ERROR_SCHEMA]: {
      type: 'object',
      required: ['statusCode', 'code', 'message'],
      properties: {
        statusCode: { type: 'integer', example: 401 },
        code: { type: 'string', example: 'UNAUTHENTICATED' },
        message: { type: 'string' },
        details: { type: 'object' },
        requestId: { type: 'string' },
      },
    },
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op: OperationObject | undefined = item[method];
      if (!op) continue;
      const rule = access.get(`${method} ${path}`);
      if (rule?.isPublic) {
        op.security = [];
        continue;
      }
      const roles = rule?.roles ? ['admin', ...rule.roles.filter((r) => r !== 'admin')] : ['admin'];
      op.security = [{ [API_TOKEN_SCHEME]: [] }];
      op.description = [op.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n');
      // Project-scoped roles' writes are also refused for a project not assigned to them.
      const scoped = method !== 'get' && method !== 'head' && roles.some(isProjectScoped);
      op.responses = {
        ...op.responses,
        '401': errorResponse('No valid API token (code `UNAUTHENTICATED`).'),
        '403': errorResponse(
          `The token's role may not call this route (code \`ROLE_NOT_ALLOWED\`; allowed: ${roles.join(', ')})` +
            (scoped ? ', or it names a project not assigned to the caller (`PROJECT_NOT_ASSIGNED`).' : '.'),
        ),
      };
    }
  }
  return doc;
}
