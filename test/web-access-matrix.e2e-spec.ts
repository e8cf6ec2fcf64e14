import { ANY_ROLE, Role } from '../src/auth/roles.decorator';
import { DENIAL_HEADER } from '../src/web/web-exception.filter';
import { databaseKinds } from './support/databases';
import { discoverRoutes, DiscoveredRoute, fillPath, isWrite } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, WebClient } from './support/web-client';

/**
 * Every staff page route (/manage, discovered from the running app, never listed by hand) ×
 * anonymous, each role, and a delivery partner or programme manager on another's project:
 * allowed or refused exactly as the route's @Roles/@Public says. Signed-in writes carry a
 * valid CSRF token, so a refusal here is the access rule, not the token. The API's own matrix
 * is test/access-matrix.e2e-spec.ts.
 */
type Who = { label: string; role: Role | 'anonymous'; projects: string[] };
const WHO: Who[] = [
  { label: 'anonymous', role: 'anonymous', projects: [] },
  { label: 'viewer', role: 'viewer', projects: [] },
  { label: 'approver', role: 'approver', projects: [] },
  { label: 'finance', role: 'finance', projects: [] },
  { label: 'delivery_partner (ETRURIA)', role: 'delivery_partner', projects: ['ETRURIA'] },
  { label: 'delivery_partner (LICHFIELD only)', role: 'delivery_partner', projects: ['LICHFIELD'] },
  { label: 'programme_manager (ETRURIA)', role: 'programme_manager', projects: ['ETRURIA'] },
  { label: 'programme_manager (LICHFIELD only)', role: 'programme_manager', projects: ['LICHFIELD'] },
  { label: 'admin', role: 'admin', projects: [] },
];
const PARAMS = { code: 'SSLEP-GD-2014', project: 'ETRURIA', id: '999999', quarter: '2015-16-Q1' };

/**
 * Reads refused to a delivery partner or programme manager of other projects: the partner
 * spreadsheet is the project's own update, downloaded and uploaded by its own people.
 */
const SCOPED_READS = new Set(['/manage/partner-workbook/:project', '/manage/partner-workbook/:project/template']);

type Outcome = 'allow' | 'sign-in' | 'ROLE_NOT_ALLOWED' | 'PROJECT_NOT_ASSIGNED' | 'NO_ACCESS_RULE';

function expected(route: DiscoveredRoute, who: Who): Outcome {
  const rule = route.rule!;
  if (rule.kind === 'public') return 'allow';
  if (rule.kind === 'none') return 'NO_ACCESS_RULE';
  if (who.role === 'anonymous') return 'sign-in';
  if (who.role !== 'admin' && !rule.roles.includes(who.role)) return 'ROLE_NOT_ALLOWED';
  const scoped = who.role === 'programme_manager' || who.role === 'delivery_partner';
  // Every write here names ETRURIA (in the path or the form), as the API's matrix does.
  if (scoped && (isWrite(route.method) || SCOPED_READS.has(route.url)) && !who.projects.includes('ETRURIA'))
    return 'PROJECT_NOT_ASSIGNED';
  return 'allow';
}

describe.each(databaseKinds())('staff pages access matrix on %s', (kind) => {
  let t: TestApp;
  let routes: DiscoveredRoute[];
  const clients = new Map<string, { client: WebClient; email?: string }>();

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    routes = discoverRoutes(t.app).filter((r) => r.url === '/manage' || r.url.startsWith('/manage/'));
    let n = 0;
    for (const w of WHO) {
      const client = new WebClient(t.app, `10.0.0.${++n}`);
      if (w.role === 'anonymous') {
        clients.set(w.label, { client });
        continue;
      }
      const u = await makeUser(t.app, w.role, `matrix-${n}@test.invalid`, w.projects);
      expect((await client.signIn(u.email)).status).toBe(303);
      await client.get('/manage');
      clients.set(w.label, { client, email: u.email });
    }
    // Eight argon2id hashes and sign-ins on a shared, busy machine.
  }, 300_000);
  afterAll(async () => t?.close());

  it('finds the staff routes, and every one declares a rule', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.filter((r) => r.rule?.kind !== 'public' && r.rule?.kind !== 'roles')).toEqual([]);
    expect(routes.some((r) => r.url === '/manage/admin/users/:id/role' && r.method === 'POST')).toBe(true);
    // Closing the quarter: only finance (and admin, who passes every rule) comments and submits.
    const returns = routes.filter((r) => r.url.startsWith('/manage/returns'));
    expect(
      returns.map((r) => `${r.method} ${r.url} ${r.rule?.kind === 'roles' ? [...r.rule.roles].sort().join(',') : ''}`),
    ).toEqual([
      'GET /manage/returns admin,approver,delivery_partner,finance,programme_manager,viewer',
      'GET /manage/returns/:quarter admin,approver,delivery_partner,finance,programme_manager,viewer',
      'POST /manage/returns/:quarter/comments finance',
      'POST /manage/returns/:quarter/submit finance',
      'GET /manage/returns/:quarter/versions/:version admin,approver,delivery_partner,finance,programme_manager,viewer',
    ]);
    // The update's outputs and risks: every route below is tried as every actor in the next test.
    const parts = routes
      .filter((r) => /^\/manage\/quarter\/:project\/(outputs|risk)/.test(r.url))
      .map((r) => `${r.method} ${r.url} ${r.rule?.kind === 'roles' ? r.rule.roles.join(',') : r.rule?.kind}`);
    const read = ANY_ROLE.join(',');
    expect(parts).toEqual([
      `GET /manage/quarter/:project/outputs ${read}`,
      'POST /manage/quarter/:project/outputs delivery_partner,programme_manager',
      'POST /manage/quarter/:project/risk-review delivery_partner,programme_manager',
      `GET /manage/quarter/:project/risks ${read}`,
      'POST /manage/quarter/:project/risks delivery_partner,programme_manager',
      `GET /manage/quarter/:project/risks/:id ${read}`,
      'POST /manage/quarter/:project/risks/:id delivery_partner,programme_manager',
      'POST /manage/quarter/:project/risks/:id/close delivery_partner,programme_manager',
    ]);
    // The partner spreadsheet: its project's partner and manager (scoped reads too, see SCOPED_READS).
    expect(
      routes
        .filter((r) => r.url.startsWith('/manage/partner-workbook'))
        .map((r) => `${r.method} ${r.url} ${r.rule?.kind === 'roles' ? r.rule.roles.join(',') : r.rule?.kind}`),
    ).toEqual([
      'GET /manage/partner-workbook/:project delivery_partner,programme_manager',
      'POST /manage/partner-workbook/:project delivery_partner,programme_manager',
      'GET /manage/partner-workbook/:project/template delivery_partner,programme_manager',
    ]);
    // Change requests: everyone reads; managers and finance draft, edit drafts, submit and withdraw; approvers decide.
    expect(
      routes
        .filter((r) => r.url.startsWith('/manage/change-requests'))
        .map(
          (r) => `${r.method} ${r.url} ${r.rule?.kind === 'roles' ? [...r.rule.roles].sort().join(',') : r.rule?.kind}`,
        )
        .sort(),
    ).toEqual([
      `GET /manage/change-requests ${[...ANY_ROLE].sort().join(',')}`,
      `GET /manage/change-requests/:number ${[...ANY_ROLE].sort().join(',')}`,
      'GET /manage/change-requests/:number/edit finance,programme_manager',
      'GET /manage/change-requests/new finance,programme_manager',
      'POST /manage/change-requests/:number/approve approver',
      'POST /manage/change-requests/:number/edit finance,programme_manager',
      'POST /manage/change-requests/:number/reject approver',
      'POST /manage/change-requests/:number/submit finance,programme_manager',
      'POST /manage/change-requests/:number/withdraw finance,programme_manager',
      'POST /manage/change-requests/new finance,programme_manager',
    ]);
  });

  it('allows and refuses every staff route × actor exactly as declared', async () => {
    // (Signing back in after each sign-out costs an argon2id verification.)
    const failures: string[] = [];
    const tally: Record<string, number> = {};
    for (const who of WHO) {
      const { client, email } = clients.get(who.label)!;
      for (const route of routes) {
        const url = fillPath(route.url, PARAMS);
        // Bodies that change nothing (unknown ids, empty forms); the CSRF token is valid.
        const res = isWrite(route.method) ? await client.post(url, { project: 'ETRURIA' }) : await client.get(url);
        const denial = res.headers[DENIAL_HEADER] as string | undefined;
        // Signing out also lands on the sign-in page, saying so: that is the route working.
        const sentToSignIn =
          res.status === 303 && res.location?.startsWith('/manage/sign-in') && !res.location.includes('signed-out=1');
        const got: Outcome = sentToSignIn ? 'sign-in' : ((denial as Outcome | undefined) ?? 'allow');
        const want = expected(route, who);
        tally[got] = (tally[got] ?? 0) + 1;
        if (got !== want || res.status >= 500 || (want === 'allow' && res.status === 403))
          failures.push(`${who.label} ${route.method} ${url}: expected ${want}, got ${res.status} ${denial ?? ''}`);
        // Signing out ends the session: sign back in for the next routes.
        if (route.url === '/manage/sign-out' && email) {
          await client.signIn(email);
          await client.get('/manage');
        }
      }
    }
    console.log(`staff access matrix (${kind}): ${routes.length} routes × ${WHO.length} actors`, tally);
    expect(failures).toEqual([]);
  }, 300_000);
});
