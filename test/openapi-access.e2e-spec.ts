import { databaseKinds } from './support/databases';
import { discoverRoutes, DiscoveredRoute, fillPath, isWrite } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The OpenAPI document tells the truth about access: every operation it lists declares the API
 * token exactly when an anonymous request to it is refused with 401, documents the guard's 401
 * and 403 answers when it does, and names the roles its @Roles admits. The declarations come
 * from the guard's own metadata, so a new route is covered without listing it here.
 */
type Op = {
  security?: Record<string, string[]>[];
  description?: string;
  responses: Record<string, { description: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type Doc = {
  info: { description: string };
  paths: Record<string, Record<string, Op>>;
  components: { securitySchemes: Record<string, Record<string, unknown>>; schemas: Record<string, unknown> };
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const PARAMS = { code: 'SSLEP-GD-2014', project: 'ETRURIA', id: '999999' };

describe.each(databaseKinds())('OpenAPI access declarations on %s', (kind) => {
  let t: TestApp;
  let doc: Doc;
  let ops: { method: string; path: string; url: string; op: Op }[];
  let routes: Map<string, DiscoveredRoute>;
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    const res = await t.anonymous('GET', '/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
    ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({
        method: m.toUpperCase(),
        path,
        url: path.replace(/\{(\w+)\}/g, ':$1'),
        op: item[m],
      })),
    );
    routes = new Map(discoverRoutes(t.app).map((r) => [`${r.method} ${r.url}`, r]));
  });
  afterAll(async () => t?.close());

  it('declares one opaque bearer scheme, described so Swagger UI prints the token shape', () => {
    expect(doc.components.securitySchemes).toEqual({
      apiToken: {
        type: 'http',
        scheme: 'bearer',
        description:
          'A personal API token, sent as `Authorization: Bearer gdt_<id>_<secret>`. An administrator issues one with `npm run cli -- token create --email <address>`; it is shown once. Tokens are opaque, not JWTs.',
      },
    });
    expect(JSON.stringify(doc)).not.toContain('JWT"');
    expect(doc.info.description).toContain('`Authorization: Bearer gdt_<id>_<secret>`');
    // Outside code spans, Markdown would eat `_<id>_` and `<secret>` and print "Bearer gdt__.".
    expect(doc.info.description.replace(/`[^`]*`/g, '')).not.toMatch(/gdt_|<\w+>/);
  });

  it('lists only routes the app serves, each with its guard rule', () => {
    expect(ops.length).toBeGreaterThanOrEqual(60);
    const unknown = ops.filter((o) => !routes.get(`${o.method} ${o.url}`)?.rule).map((o) => `${o.method} ${o.path}`);
    expect(unknown).toEqual([]);
  });

  it('declares security exactly where an anonymous request gets 401, with 401/403 documented and the roles named', async () => {
    const mismatches: string[] = [];
    const tally = { secured: 0, public: 0 };
    for (const { method, path, url, op } of ops) {
      const rule = routes.get(`${method} ${url}`)!.rule!;
      const declared = (op.security ?? []).length > 0;
      const target = fillPath(url, PARAMS) + (method === 'DELETE' ? '?version=0' : '');
      // An invalid body: a public write refuses it before changing anything.
      const body = isWrite(method) && method !== 'DELETE' ? { matrixProbe: true } : undefined;
      const res = await t.anonymous(method, target, body);
      const observed = res.status === 401;
      if (declared) tally.secured++;
      else tally.public++;
      if (declared !== observed)
        mismatches.push(
          `${method} ${path}: security ${declared ? 'declared' : 'not declared'}, anonymous got ${res.status}`,
        );
      if (declared !== (rule.kind === 'roles'))
        mismatches.push(`${method} ${path}: rule ${rule.kind} but security ${declared ? 'declared' : 'not declared'}`);
      if (declared) {
        expect(op.security).toEqual([{ apiToken: [] }]);
        const documented = ['401', '403'].filter(
          (s) => op.responses[s]?.content?.['application/json']?.schema?.$ref === '#/components/schemas/ErrorBody',
        );
        if (documented.length !== 2)
          mismatches.push(`${method} ${path}: documents ${documented.join(', ') || 'neither'} of 401, 403`);
        const roles = rule.kind === 'roles' ? ['admin', ...rule.roles.filter((r) => r !== 'admin')] : [];
        if (!op.description?.endsWith(`Roles: ${roles.join(', ')}.`))
          mismatches.push(`${method} ${path}: description does not end "Roles: ${roles.join(', ')}."`);
        if (!op.responses['401'].description.includes('UNAUTHENTICATED'))
          mismatches.push(`${method} ${path}: 401 does not name UNAUTHENTICATED`);
      } else if (op.responses['401'] || op.responses['403']) {
        mismatches.push(`${method} ${path}: public, yet documents 401/403`);
      }
    }
    console.log(
      `OpenAPI access (${kind}): ${ops.length} operations; ${tally.secured} declare the token, ${tally.public} public`,
    );
    expect(mismatches).toEqual([]);
    // Both kinds exist: public reads (dashboard data, open data, health) and token-only routes.
    expect(tally.public).toBeGreaterThanOrEqual(10);
    expect(tally.secured).toBeGreaterThanOrEqual(40);
  });

  it('documents the access the guard applies to a known public read and a known write', () => {
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    const patch = doc.paths['/api/programmes/{code}/projects/{project}'].patch;
    expect(patch.security).toEqual([{ apiToken: [] }]);
    expect(patch.responses['403'].description).toContain('PROJECT_NOT_ASSIGNED');
  });
});
