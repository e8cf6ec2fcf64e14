import { DataSource } from 'typeorm';
import { databaseKinds } from './support/databases';
import { exampleBody, OpenApiDoc } from './support/openapi-examples';
import { discoverRoutes, DiscoveredRoute, fillPath, isWrite } from './support/routes';
import { startTestApp, TestApp, TestResponse } from './support/test-app';
import { makeUser, WebClient } from './support/web-client';
import { writeFixtures } from './support/write-fixtures';

/**
 * Approved money moves only through approval. Every write route of the running app (found in
 * Fastify's route table, so a new route is covered without being listed here) is called as an
 * admin with valid-looking input: the OpenAPI example body, real rows for its parameters, a
 * change request of each kind, and for the staff pages the form the page itself offers. Around
 * each request the approved allocations, the baseline spend profile and the envelopes are
 * snapshotted; only the approval route (shown below to move them) and the deal loader's route
 * (a new deal's approved baseline) may change them, and only they are left out.
 *
 * This replaces a source-grep test, which could not see raw SQL or a writer it did not list.
 */
const P = '/api/programmes/SSLEP-GD-2014';
const APPROVE = '/api/programmes/:code/change-requests/:number/approve';
/** The deal loader's route: a new deal's approved baseline is what it writes. */
const DEAL_LOAD = '/api/deals';
const EXCLUDED = [`POST ${APPROVE}`, `POST ${DEAL_LOAD}`];

/**
 * Approved allocations, the baseline profile (every spend line with a baseline figure: a
 * forecast or actual may add a line whose baseline is 0, which is no baseline money) and every
 * envelope, as rows.
 */
async function approvedMoney(ds: DataSource): Promise<string> {
  const rows = async (table: string, where: Record<string, unknown> = {}, props?: string[]) => {
    const meta = ds.entityMetadatas.find((m) => m.tableName === table)!;
    const select = meta.columns.map((c) => c.propertyPath).filter((p) => !props || props.includes(p));
    return ds.getRepository(meta.target).find({ where, order: { id: 'ASC' }, select: select as never });
  };
  const baseline = (
    await rows('spend_profile', {}, ['id', 'projectId', 'sourceKind', 'quarter', 'baselinePence'])
  ).filter((r) => (r as { baselinePence: number }).baselinePence !== 0);
  return JSON.stringify({
    allocation: await rows('allocation', { approvalState: 'approved' }),
    baseline,
    envelope: await rows('programme_envelope'),
  });
}

/** Which of the snapshot's parts differ (for a readable failure). */
function partsChanged(before: string, after: string): string {
  const b = JSON.parse(before) as Record<string, unknown>;
  const a = JSON.parse(after) as Record<string, unknown>;
  return Object.keys(b)
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .join(', ');
}

/** The fields of the form on `html` that posts to `action`, with the values the page filled in. */
function formFields(html: string, action: string): Record<string, string | string[]> | undefined {
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const act = /action="([^"]*)"/.exec(m[1])?.[1]?.replace(/&amp;/g, '&');
    if (act !== action) continue;
    const out: Record<string, string | string[]> = {};
    const put = (k: string, v: string) => {
      const had = out[k];
      out[k] = had === undefined ? v : ([] as string[]).concat(had, v);
    };
    for (const i of m[2].matchAll(/<input\b([^>]*)>/g)) {
      const name = /name="([^"]+)"/.exec(i[1])?.[1];
      if (!name || name === '_csrf') continue;
      const type = /type="([^"]+)"/.exec(i[1])?.[1] ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(i[1])) continue;
      put(name, (/value="([^"]*)"/.exec(i[1])?.[1] ?? '').replace(/&amp;/g, '&'));
    }
    for (const s of m[2].matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const opt = /<option\b[^>]*selected[^>]*value="([^"]*)"|<option\b[^>]*value="([^"]*)"[^>]*selected/.exec(s[2]);
      const first = /<option\b[^>]*value="([^"]+)"/.exec(s[2]);
      put(s[1], opt?.[1] ?? opt?.[2] ?? first?.[1] ?? '');
    }
    for (const a of m[2].matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
      put(a[1], a[2].trim() || 'Written by the approved-writes test');
    return out;
  }
  return undefined;
}

/** The body with the one thing the refusal names put right, or undefined when it is not that kind of refusal. */
function repaired(body: Record<string, unknown>, res: TestResponse): Record<string, unknown> | undefined {
  const code: string | undefined = res.body?.code;
  const d = res.body?.details ?? {};
  const field: string | undefined = d.field;
  if (code === 'STALE_VERSION' && typeof d.currentVersion === 'number') return { ...body, version: d.currentVersion };
  if (code === 'DUPLICATE' && field && typeof body[field] === 'string')
    return { ...body, [field]: `${body[field]}-AW` };
  if (code === 'FUTURE_QUARTER' && field && field in body) return { ...body, [field]: '2015-16 Q1' };
  if (code === 'FUTURE_DATE' && field && field in body) return { ...body, [field]: '2015-06-01' };
  if (code === 'WARNINGS_NEED_COMMENTS' && Array.isArray(d.checks))
    return {
      ...body,
      comments: {
        ...(body.comments as Record<string, string> | undefined),
        ...Object.fromEntries(d.checks.map((c: string) => [c, 'Explained in the covering note'])),
      },
    };
  return undefined;
}

describe.each(databaseKinds())('approved money changes only through approval on %s', (kind) => {
  let t: TestApp;
  let doc: OpenApiDoc;
  let writes: DiscoveredRoute[];
  let web: WebClient;
  const ids: Record<string, string> = {};
  let changeRequests: unknown[];
  let approvedIds: number[];

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '1000000' });
    doc = (await t.request('GET', '/api/docs-json')).body;
    const all = discoverRoutes(t.app);
    // Deletes, then signing out, last: they would remove what the other routes act on.
    const order = (r: DiscoveredRoute) => (r.url === '/manage/sign-out' ? 2 : r.method === 'DELETE' ? 1 : 0);
    writes = all
      .filter((r) => isWrite(r.method) && !EXCLUDED.includes(`${r.method} ${r.url}`))
      .sort((a, b) => order(a) - order(b));
    // The shared fixture rows: a draft allocation, a milestone, an output claim, a change request of each kind.
    const f = await writeFixtures(t, 'approved-writes');
    Object.assign(ids, f.ids);
    approvedIds = f.approved;
    changeRequests = f.changeRequests;
    const ok = f.ok;
    // Change requests in each state the routes act on: a draft (edit, submit) and submitted ones (reject, withdraw).
    const draft = () => f.draft(changeRequests[0]);
    ids.crDraft = await draft();
    ids.crSubmit = await draft();
    ids.crReject = await draft();
    ids.crWithdraw = await draft();
    for (const n of [ids.crReject, ids.crWithdraw]) await ok('POST', `${P}/change-requests/${n}/submit`, {});
    // The staff pages, signed in as an admin.
    const admin = await makeUser(t.app, 'admin', 'approved-writes-admin@test.invalid');
    const other = await makeUser(t.app, 'programme_manager', 'approved-writes-pm@test.invalid', ['ETRURIA']);
    ids.user = String(other.id);
    web = new WebClient(t.app);
    expect((await web.signIn(admin.email)).status).toBe(303);
  });
  afterAll(async () => t?.close());

  /** Real rows for a route's parameters (several targets for the allocation routes: a draft and approved rows). */
  function targets(route: DiscoveredRoute): string[] {
    const u = route.url;
    const number = u.endsWith('/submit')
      ? ids.crSubmit
      : u.endsWith('/reject')
        ? ids.crReject
        : u.endsWith('/withdraw')
          ? ids.crWithdraw
          : ids.crDraft;
    const base = {
      code: u.startsWith('/api/organisations') ? 'SSLEP' : 'SSLEP-GD-2014',
      project: 'ETRURIA',
      number,
      metric: 'JOBS_CREATED',
      quarter: '2015-16-Q1',
      key: 'grantIdPrefix',
      theme: 'SITES',
      headline: 'TABLE-TOTAL',
    };
    const idsFor = u.includes('/allocations/:id')
      ? [ids.allocation, ...approvedIds.slice(0, 2).map(String)]
      : u.includes('/milestones/:id')
        ? [ids.milestone]
        : u.includes('/output-actuals/:id')
          ? [ids.outputActual]
          : u.includes('/users/:id')
            ? [ids.user]
            : u.includes('/risks/:id')
              ? [ids.risk]
              : [''];
    return idsFor.map((id) => fillPath(u, { ...base, id }));
  }

  /** The current version of the row behind `url` (for PATCH bodies and DELETE queries), when it has one. */
  async function currentVersion(url: string): Promise<number | undefined> {
    const r = await t.request('GET', url);
    return r.status === 200 && typeof r.body?.version === 'number' ? r.body.version : undefined;
  }

  async function apiCall(route: DiscoveredRoute, url: string): Promise<TestResponse[]> {
    const bodies: unknown[] =
      route.method === 'POST' && route.url.endsWith('/change-requests')
        ? changeRequests
        : [exampleBody(doc, route.method, route.url) ?? (route.method === 'DELETE' ? undefined : {})];
    const version = route.method === 'PATCH' || route.method === 'DELETE' ? await currentVersion(url) : undefined;
    const out: TestResponse[] = [];
    for (const b of bodies) {
      let body =
        b && typeof b === 'object' && !Array.isArray(b) && version !== undefined && route.method === 'PATCH'
          ? { ...b, version }
          : b;
      const target = route.method === 'DELETE' && version !== undefined ? `${url}?version=${version}` : url;
      let res = await t.request(route.method, target, body);
      out.push(res);
      // An example that only misses the live state (a taken code, a stale version, a quarter
      // after the reporting one, a warning without a comment) is repaired and sent again.
      for (let tries = 0; tries < 3 && res.status >= 400 && body && typeof body === 'object'; tries++) {
        const fixed = repaired(body as Record<string, unknown>, res);
        if (!fixed) break;
        body = fixed;
        res = await t.request(route.method, target, body);
        out.push(res);
      }
    }
    return out;
  }

  async function webCall(url: string): Promise<TestResponse[]> {
    const parent = url.replace(/\/[^/]+$/, '');
    let fields: Record<string, string | string[]> | undefined;
    for (const page of [url, parent, `${url}/new`]) {
      const res = await web.get(page);
      if (res.status !== 200) continue;
      fields = formFields(res.body, url);
      if (fields) break;
    }
    // A page without such a form still gets the CSRF token of the last page seen.
    const res = await web.post(url, fields ?? {});
    return [{ status: res.status, body: undefined, text: res.body, headers: res.headers }];
  }

  it('no write route but approval changes approved allocations, baselines or envelopes', async () => {
    const changed: string[] = [];
    const statuses: Record<string, number> = {};
    let requests = 0;
    let accepted = 0;
    for (const route of writes) {
      for (const url of targets(route)) {
        const before = await approvedMoney(t.ds);
        const responses = url.startsWith('/manage') ? await webCall(url) : await apiCall(route, url);
        const after = await approvedMoney(t.ds);
        for (const r of responses) {
          requests++;
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          if (r.status < 400) accepted++;
        }
        if (after !== before)
          changed.push(
            `${route.method} ${url} (${route.handler}) → ${responses.map((r) => r.status).join(', ')}: ${partsChanged(before, after)}`,
          );
      }
    }
    console.log(
      `approved writes (${kind}): ${writes.length} write routes, ${requests} requests, ${accepted} accepted; statuses ${JSON.stringify(statuses)}`,
    );
    expect(changed).toEqual([]);
    expect(statuses['500'] ?? 0).toBe(0);
    // The input is valid-looking enough that most requests really write.
    expect(accepted).toBeGreaterThanOrEqual(35);
  });

  it('finds every write route at run time, and leaves out only approval and the deal loader', () => {
    expect(writes.length).toBeGreaterThanOrEqual(50);
    expect(writes.some((r) => r.url === '/api/programmes/:code/allocations/:id' && r.method === 'PATCH')).toBe(true);
    expect(writes.some((r) => r.url.startsWith('/manage/quarter/'))).toBe(true);
    const covered = new Set(writes.map((r) => `${r.method} ${r.url}`));
    const left = discoverRoutes(t.app).filter((r) => isWrite(r.method) && !covered.has(`${r.method} ${r.url}`));
    expect(left.map((r) => `${r.method} ${r.url} ${r.handler}`)).toEqual([
      'POST /api/deals DealLoadingController.load',
      'POST /api/programmes/:code/change-requests/:number/approve ChangeRequestsController.approve',
    ]);
  });

  it('the snapshot sees approval: approving a submitted reallocation moves approved money', async () => {
    const lgf = (await t.request('GET', `${P}/allocations?sourceKind=LGF&approvalState=approved`)).body.items.map(
      (a: { id: number }) => a.id,
    );
    const before = await approvedMoney(t.ds);
    const draft = await t.request('POST', `${P}/change-requests`, {
      kind: 'reallocation',
      title: 'Move £1,000.00 of LGF',
      reason: 'The control of the approved-writes test',
      payload: {
        lines: [
          { allocationId: lgf[0], delta: '-1000.00' },
          { allocationId: lgf[1], delta: '1000.00' },
        ],
      },
    });
    expect(draft.status).toBe(201);
    const n = draft.body.number;
    expect((await t.request('POST', `${P}/change-requests/${n}/submit`, {})).status).toBe(200);
    expect(await approvedMoney(t.ds)).toBe(before);
    // Approved by someone other than the submitter (the test admin).
    const approver = await t.as('approver');
    const approved = await approver('POST', `${P}/change-requests/${n}/approve`, { reason: 'Board minute 2015/12' });
    expect([approved.status, approved.body.message]).toEqual([200, undefined]);
    expect(approved.body.state).toBe('approved');
    expect(partsChanged(before, await approvedMoney(t.ds))).toBe('allocation');
  });
});
