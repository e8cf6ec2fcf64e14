import { ACCESS_DENIAL_CODES } from '../src/auth/access-errors';
import { Role } from '../src/auth/roles.decorator';
import { databaseKinds } from './support/databases';
import { discoverRoutes, DiscoveredRoute, fillPath, isWrite } from './support/routes';
import { RequestFn, startTestApp, TestApp } from './support/test-app';

/**
 * Every route of the running app (discovered from Fastify's route table, never listed by hand)
 * × every role and anonymous: allowed or denied exactly as the route's @Roles/@Public says.
 * "Allowed" means the guard let it through (the handler may still say 400/404/409: requests
 * here carry deliberately invalid bodies so nothing is changed); "denied" is 401, or 403 with
 * one of the guard's codes.
 */
type Who = { label: string; role: Role | 'anonymous'; assigned: boolean };
const WHO: Who[] = [
  { label: 'anonymous', role: 'anonymous', assigned: false },
  { label: 'viewer', role: 'viewer', assigned: false },
  { label: 'approver', role: 'approver', assigned: false },
  { label: 'finance', role: 'finance', assigned: false },
  { label: 'programme_manager (assigned ETRURIA)', role: 'programme_manager', assigned: true },
  { label: 'programme_manager (assigned LICHFIELD only)', role: 'programme_manager', assigned: false },
  // Last: an admin's allowed write could otherwise change what later actors see.
  { label: 'admin', role: 'admin', assigned: false },
];
const PARAMS = { code: 'SSLEP-GD-2014', project: 'ETRURIA', id: '999999' };

function expected(
  route: DiscoveredRoute,
  who: Who,
): 'allow' | 401 | 'ROLE_NOT_ALLOWED' | 'PROJECT_NOT_ASSIGNED' | 'NO_ACCESS_RULE' {
  const rule = route.rule!;
  if (rule.kind === 'public') return 'allow';
  if (rule.kind === 'none') return 'NO_ACCESS_RULE';
  if (who.role === 'anonymous') return 401;
  if (who.role !== 'admin' && !rule.roles.includes(who.role)) return 'ROLE_NOT_ALLOWED';
  // Unassigned managers: every write here names ETRURIA (path or body) unless it is a bodiless DELETE without :project.
  const namesProject = route.url.includes(':project') || (isWrite(route.method) && route.method !== 'DELETE');
  if (who.role === 'programme_manager' && !who.assigned && isWrite(route.method) && namesProject)
    return 'PROJECT_NOT_ASSIGNED';
  return 'allow';
}

describe.each(databaseKinds())('access matrix on %s', (kind) => {
  let t: TestApp;
  let routes: DiscoveredRoute[];
  const as = new Map<string, RequestFn>();
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    // The staff pages (/manage) sign in by session and have their own matrix (web-access-matrix).
    routes = discoverRoutes(t.app).filter((r) => r.url !== '/manage' && !r.url.startsWith('/manage/'));
    for (const w of WHO) {
      if (w.role === 'anonymous') as.set(w.label, t.anonymous);
      else if (w.role === 'admin') as.set(w.label, t.request);
      else
        as.set(
          w.label,
          await t.as(
            w.role,
            w.role === 'programme_manager' ? { projects: [w.assigned ? 'ETRURIA' : 'LICHFIELD'] } : {},
          ),
        );
    }
  });
  afterAll(async () => t?.close());

  it('finds the routes at run time, and every controller route declares a rule', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const unruled = routes.filter((r) => r.rule?.kind === 'none').map((r) => `${r.method} ${r.url} (${r.handler})`);
    expect(unruled).toEqual([]);
    // The only routes no controller serves are the OpenAPI pages (public by design).
    const outside = routes.filter((r) => !r.rule).map((r) => r.url);
    expect(outside.every((u) => u.startsWith('/api/docs'))).toBe(true);
    expect(routes.some((r) => r.url === '/api/programmes/:code/projects/:project' && r.method === 'PATCH')).toBe(true);
  });

  it('allows and denies every route × role exactly as declared', async () => {
    const failures: string[] = [];
    let tried = 0;
    const tally = { allowed: 0, unauthenticated: 0, forbidden: 0 };
    for (const who of WHO) {
      const send = as.get(who.label)!;
      for (const route of routes) {
        const rule = route.rule ?? { kind: 'public' as const };
        const url = fillPath(route.url, PARAMS) + (route.method === 'DELETE' ? '?version=0' : '');
        const body =
          isWrite(route.method) && route.method !== 'DELETE' ? { project: 'ETRURIA', matrixProbe: true } : undefined;
        const res = await send(route.method, url, body);
        tried++;
        const want = expected({ ...route, rule }, who);
        const denial =
          res.status === 403 && ACCESS_DENIAL_CODES.includes(res.body?.code)
            ? res.body.code
            : res.status === 401
              ? 401
              : undefined;
        const got = denial ?? 'allow';
        if (got === 'allow') tally.allowed++;
        else if (got === 401) tally.unauthenticated++;
        else tally.forbidden++;
        if (got !== want || res.status === 429 || res.status >= 500)
          failures.push(
            `${who.label} ${route.method} ${url}: expected ${want}, got ${res.status} ${res.body?.code ?? ''}`,
          );
      }
    }
    console.log(
      `access matrix (${kind}): ${routes.length} routes × ${WHO.length} actors = ${tried} requests; allowed ${tally.allowed}, 401 ${tally.unauthenticated}, 403 ${tally.forbidden}`,
    );
    expect(failures).toEqual([]);
    expect(tried).toBe(routes.length * WHO.length);
  });

  it("scopes writes by id to the row's project: milestones and output claims of an unassigned project are 403", async () => {
    const P = '/api/programmes/SSLEP-GD-2014';
    const ms = (
      await t.request('POST', `${P}/projects/ETRURIA/milestones`, {
        kind: 'start_on_site',
        title: 'Start on site',
        baselineDate: '2017-06-01',
      })
    ).body;
    const claim = (
      await t.request('POST', `${P}/projects/ETRURIA/outputs/JOBS_CREATED/actuals`, {
        quarter: '2015-16 Q1',
        value: 2,
        claimKey: 'EMPLOYER:SCOPE',
      })
    ).body;
    const other = as.get('programme_manager (assigned LICHFIELD only)')!;
    const mine = as.get('programme_manager (assigned ETRURIA)')!;
    const refused = [
      await other('PATCH', `${P}/milestones/${ms.id}`, { version: ms.version, forecastDate: '2017-07-01' }),
      await other('PATCH', `${P}/output-actuals/${claim.id}`, { version: claim.version, value: 3 }),
    ];
    expect(refused.map((r) => [r.status, r.body.code])).toEqual([
      [403, 'PROJECT_NOT_ASSIGNED'],
      [403, 'PROJECT_NOT_ASSIGNED'],
    ]);
    expect((await other('GET', `${P}/milestones/${ms.id}`)).body.forecastDate).toBe('2017-06-01');
    const allowed = [
      await mine('PATCH', `${P}/milestones/${ms.id}`, { version: ms.version, forecastDate: '2017-07-01' }),
      await mine('PATCH', `${P}/output-actuals/${claim.id}`, { version: claim.version, value: 3 }),
    ];
    expect(allowed.map((r) => r.status)).toEqual([200, 200]);
    expect(allowed[0].body.forecastDate).toBe('2017-07-01');
  });

  it('sends no CORS headers when CORS_ORIGINS is unset', async () => {
    const res = await t.anonymous('GET', '/api/health', undefined, { origin: 'https://evil.example' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
