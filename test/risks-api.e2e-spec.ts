import { databaseKinds } from './support/databases';
import { RequestFn, startTestApp, TestApp } from './support/test-app';

/**
 * A project's risk register over the JSON API: create, change and close a risk with the staff
 * pages' rules (the same RisksService methods), programme managers on their own projects and
 * admins, each write audited and version-checked; bad input a 400 naming the field, writing nothing.
 * Without the demo the reporting quarter is 2015-16 Q1, so risks are raised and closed in it.
 */
const P = '/api/programmes/SSLEP-GD-2014';
const RISKS = `${P}/projects/ETRURIA/risks`;

describe.each(databaseKinds())('risks over the API on %s', (kind) => {
  let t: TestApp;
  let mine: RequestFn;
  let other: RequestFn;
  let viewer: RequestFn;
  const count = async () =>
    Number((await t.ds.query('SELECT COUNT(*) AS n FROM project_risk'))[0].n) +
    Number((await t.ds.query(`SELECT COUNT(*) AS n FROM audit_entry WHERE entity = 'project_risk'`))[0].n) * 1000;
  const audit = async (id: number) =>
    (
      await t.ds.query(
        `SELECT action, actor, before, after, meta FROM audit_entry WHERE entity = 'project_risk' AND entity_id = '${id}' ORDER BY id`,
      )
    ).map((r: Record<string, unknown>) => ({
      action: r.action,
      actor: r.actor,
      before: r.before === null ? null : JSON.parse(String(r.before)),
      after: JSON.parse(String(r.after)),
      meta: JSON.parse(String(r.meta)),
    }));

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'false' });
    mine = await t.as('programme_manager', { projects: ['ETRURIA'] });
    other = await t.as('programme_manager', { projects: ['LICHFIELD'] });
    viewer = await t.as('viewer');
  });
  afterAll(async () => t?.close());

  it('a programme manager adds, changes and closes a risk of their project; each step audited and versioned', async () => {
    const created = await mine('POST', RISKS, {
      description: '  Ground remediation costs exceed the estimate ',
      likelihood: 3,
      impact: 4,
      mitigation: 'Contingency of 10 % held',
      owner: 'Project director, Stoke-on-Trent City Council',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toEqual({
      id,
      description: 'Ground remediation costs exceed the estimate',
      likelihood: 3,
      impact: 4,
      score: 12,
      mitigation: 'Contingency of 10 % held',
      owner: 'Project director, Stoke-on-Trent City Council',
      status: 'open',
      raisedIn: '2015-16 Q1',
      closedIn: null,
      version: 1,
    });
    expect((await t.anonymous('GET', RISKS)).status).toBe(401);
    expect((await viewer('GET', RISKS)).body.risks).toEqual([created.body]);

    // Only the fields given change; the score follows.
    const changed = await mine('PATCH', `${RISKS}/${id}`, { version: 1, likelihood: 5, mitigation: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ likelihood: 5, impact: 4, score: 20, mitigation: null, version: 2 });
    expect(changed.body.description).toBe('Ground remediation costs exceed the estimate');

    // A stale version is a 409 naming the current one, and changes nothing.
    const before = await count();
    const stale = await mine('PATCH', `${RISKS}/${id}`, { version: 1, impact: 1 });
    expect([stale.status, stale.body.code]).toEqual([409, 'STALE_VERSION']);
    expect(stale.body.message).toContain('2');
    expect(await count()).toBe(before);

    const closed = await mine('POST', `${RISKS}/${id}/close`, { version: 2 });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedIn: '2015-16 Q1', version: 3, score: 20 });
    // A closed risk is history.
    const again = await mine('PATCH', `${RISKS}/${id}`, { version: 3, impact: 1 });
    expect([again.status, again.body.code]).toEqual([422, 'RISK_CLOSED']);
    expect((await mine('POST', `${RISKS}/${id}/close`, { version: 3 })).body.message).toBe(
      'form: This risk was closed in 2015-16 Q1',
    );

    const trail = await audit(id);
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['create', 'update', 'close']);
    expect(trail.every((e: { actor: string }) => /^Test programme_manager/.test(e.actor))).toBe(true);
    expect(trail[1].before).toMatchObject({ likelihood: '3 (medium)', mitigation: 'Contingency of 10 % held' });
    expect(trail[1].after).toMatchObject({ likelihood: '5 (very high)', mitigation: null });
    expect(trail[2].after).toMatchObject({ status: 'closed', closedIn: '2015-16 Q1' });
    expect(trail.map((e: { meta: { quarter: string } }) => e.meta.quarter)).toEqual([
      '2015-16 Q1',
      '2015-16 Q1',
      '2015-16 Q1',
    ]);
  });

  it('refuses other roles and other projects’ managers, writing nothing; an admin may write', async () => {
    const body = { description: 'Planning objection', likelihood: 2, impact: 3, owner: 'Planning lead' };
    const before = await count();
    const refused = [
      await other('POST', RISKS, body),
      await viewer('POST', RISKS, body),
      await (await t.as('finance'))('POST', RISKS, body),
      await t.anonymous('POST', RISKS, body),
    ];
    expect(refused.map((r) => [r.status, r.body.code ?? null])).toEqual([
      [403, 'PROJECT_NOT_ASSIGNED'],
      [403, 'ROLE_NOT_ALLOWED'],
      [403, 'ROLE_NOT_ALLOWED'],
      [401, expect.anything()],
    ]);
    expect(await count()).toBe(before);
    const admin = await t.request('POST', RISKS, body);
    expect([admin.status, admin.body.score, admin.body.mitigation]).toEqual([201, 6, null]);
    // Another project's manager cannot change or close it either; its own project's URL must name it.
    expect((await other('PATCH', `${RISKS}/${admin.body.id}`, { version: 1, impact: 1 })).status).toBe(403);
    expect((await other('POST', `${RISKS}/${admin.body.id}/close`, { version: 1 })).status).toBe(403);
    const wrongProject = await t.request('PATCH', `${P}/projects/LICHFIELD/risks/${admin.body.id}`, {
      version: 1,
      impact: 1,
    });
    expect([wrongProject.status, wrongProject.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(await count()).toBe(before + 1001);
  });

  it.each([
    [{ likelihood: 6 }, 'likelihood'],
    [{ likelihood: '3' }, 'likelihood'],
    [{ impact: 0 }, 'impact'],
    [{ impact: 2.5 }, 'impact'],
    [{ description: '   ' }, 'description'],
    [{ description: 'x'.repeat(2001) }, 'description'],
    [{ owner: undefined }, 'owner'],
    [{ owner: 'x'.repeat(201) }, 'owner'],
    [{ mitigation: 7 }, 'mitigation'],
  ])('refuses %j with a 400 naming %s, writing nothing', async (change, field) => {
    const body = { description: 'Utility diversions', likelihood: 2, impact: 2, owner: 'Engineer', ...change };
    const before = await count();
    const res = await mine('POST', RISKS, body);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.message).toMatch(new RegExp(`^${field}: `));
    expect(await count()).toBe(before);
  });

  it('an update must name a field and a version; a bad id is a 400, an unknown one a 404', async () => {
    const r = (await mine('POST', RISKS, { description: 'Land assembly', likelihood: 2, impact: 5, owner: 'Estates' }))
      .body;
    const nothing = await mine('PATCH', `${RISKS}/${r.id}`, { version: 1 });
    expect([nothing.status, nothing.body.message]).toEqual([
      400,
      'description: Give at least one of description, likelihood, impact, mitigation, owner',
    ]);
    const noVersion = await mine('PATCH', `${RISKS}/${r.id}`, { impact: 1 });
    expect([noVersion.status, noVersion.body.message]).toEqual([400, expect.stringMatching(/^version: /)]);
    expect((await mine('POST', `${RISKS}/${r.id}/close`, {})).status).toBe(400);
    expect((await mine('PATCH', `${RISKS}/${r.id}`, { version: 1, owner: null })).body.message).toMatch(/^owner: /);
    expect((await mine('PATCH', `${RISKS}/abc`, { version: 1, impact: 1 })).status).toBe(400);
    expect((await mine('POST', `${RISKS}/999999/close`, { version: 1 })).status).toBe(404);
    expect((await viewer('GET', RISKS)).body.risks.find((x: { id: number }) => x.id === r.id).version).toBe(1);
  });
});
