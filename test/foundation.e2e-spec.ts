import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

describe.each(databaseKinds())('foundation on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // From nothing: this file checks what a first start does to an empty database.
    t = await startTestApp(kind, {}, { fromEmpty: true });
  });
  afterAll(async () => t?.close());

  it('applies migrations from empty and reports them in health', async () => {
    const res = await t.request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body.database).toBe(kind);
    expect(res.body.status).toBe('ok');
    expect(res.body.migrations.pending).toEqual([]);
    expect(res.body.migrations.applied).toEqual(
      expect.arrayContaining(['Foundation1760000000000', 'ReturnVersions1760000050000']),
    );
  });

  it('loads the 2014 deal: eight projects in three themes', async () => {
    const projects = await t.request('GET', `${P}/projects`);
    expect(projects.status).toBe(200);
    expect(projects.body.total).toBe(8);
    expect(projects.body.items.map((p: { code: string }) => p.code)).toEqual([
      'AMSH',
      'BERICOTE',
      'BRANSTON',
      'ETRURIA',
      'LICHFIELD',
      'LSTP',
      'MEAFORD',
      'SWAR',
    ]);
    const themes = await t.request('GET', `${P}/themes`);
    expect(themes.body.map((x: { code: string }) => x.code)).toEqual(['SITES', 'CONNECTIVITY', 'SKILLS']);
    const sites = await t.request('GET', `${P}/projects?theme=SITES`);
    expect(sites.body.total).toBe(5);
  });

  it('reads every seeded allocation back to the penny, as the source prints it', async () => {
    const res = await t.request('GET', `${P}/allocations?limit=500`);
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(
      res.body.items.map((a: { sourceKind: string; project: string | null; pool: string | null; amount: string }) => [
        `${a.sourceKind}:${a.project ?? a.pool ?? 'programme'}`,
        a.amount,
      ]),
    );
    // Each expected value is the printed figure in the source (Part B, theme tables), in pounds.
    expect(byKey).toEqual({
      'LOCAL_MATCH:ETRURIA': '2500000.00', // "Etruria Valley Enterprise Area (£2.5m)"
      'LOCAL_MATCH:MEAFORD': '100000.00', // "Meaford employment site (£0.1m)"
      'PRIVATE_MATCH:SITES-PRIVATE': '4800000.00', // "Secure £4.8m from the private sector" (pooled, unsplit)
      'LGF:ETRURIA': '2400000.00',
      'LGF:LICHFIELD': '4000000.00',
      'LGF:MEAFORD': '4200000.00',
      'LGF:BERICOTE': '1000000.00',
      'LGF_PROVISIONAL:BRANSTON': '6000000.00',
      'LGF_PROVISIONAL:ETRURIA': '16100000.00',
      'LGF_PRECOMMITTED:ETRURIA': '8200000.00',
      'LOCAL_MATCH:SWAR': '2000000.00',
      'LOCAL_MATCH:LSTP': '2000000.00',
      'PRIVATE_MATCH:CONNECTIVITY-PRIVATE': '5800000.00',
      'LGF:SWAR': '16100000.00',
      'LGF_PROVISIONAL:LSTP': '5000000.00',
      'LGF_PRECOMMITTED:SWAR': '8200000.00',
      'LOCAL_MATCH:AMSH': '1900000.00',
      'LGF:AMSH': '6900000.00',
      'REVENUE_GRANT:programme': '250000.00', // "£250,000 funding in 2015-16" for the growth hub
    });
    expect(res.body.total).toBe(19);
    const hub = res.body.items.find((a: { sourceKind: string }) => a.sourceKind === 'REVENUE_GRANT');
    expect(hub.period).toBe('2015-16');
    expect(hub.level).toBe('programme');
    expect(res.body.items.every((a: { approvalState: string }) => a.approvalState === 'approved')).toBe(true);
  });

  it('keeps both documents’ conflicting headline totals side by side', async () => {
    const res = await t.request('GET', `${P}/headlines?measure=LGF_TOTAL`);
    expect(res.status).toBe(200);
    const values = Object.fromEntries(res.body.items.map((h: { code: string; value: string }) => [h.code, h.value]));
    expect(values).toEqual({
      'A-SUMMARY-INVESTMENT': '82000000.00', // "£82m", roughly
      'A-SECURED-INVESTMENT': '82200000.00',
      'A-ANNOUNCED-INVESTMENT': '82200000.00',
      'B-LGF-TOTAL': '82300000.00',
      'TABLE-TOTAL': '82300000.00',
    });
    const jobs = await t.request('GET', `${P}/headlines?measure=JOBS`);
    expect(jobs.body.items.map((h: { value: number }) => h.value).sort()).toEqual([4900, 4900, 4900, 5000]);
    const cell = await t.request('GET', `${P}/headlines/TABLE-TOTAL-2015-16`);
    expect(cell.body).toMatchObject({
      value: '21000000.00',
      precision: '1000000.00',
      table: { row: 'Total', column: '2015/6' },
    });
    expect(cell.body.source.printed).toBe('21.');
  });

  it('serves OpenAPI docs', async () => {
    const res = await t.request('GET', '/api/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/programmes', '/api/programmes/{code}/allocations', '/api/health']),
    );
  });

  describe('bad input is refused and writes nothing', () => {
    let before: Record<string, number>;
    beforeEach(async () => {
      before = await tableCounts(t.ds);
    });
    afterEach(async () => {
      expect(await tableCounts(t.ds)).toEqual(before);
    });

    it.each([
      ['amount without two places', { amount: '5' }, 'amount'],
      ['amount with three places', { amount: '5.001' }, 'amount'],
      ['amount as a number', { amount: 5 }, 'amount'],
      ['negative amount', { amount: '-5.00' }, 'amount'],
      ['exponent', { amount: '1e5' }, 'amount'],
      ['unknown field', { colour: 'red' }, 'colour'],
      ['bad period', { period: '2015/16' }, 'period'],
    ])('allocation with %s → 400 naming the field', async (_, patch, field) => {
      const body = {
        sourceKind: 'LGF',
        project: 'ETRURIA',
        period: 'unprofiled',
        amount: '100.00',
        commitmentStatus: 'confirmed',
        ...patch,
      };
      const res = await t.request('POST', `${P}/allocations`, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.problems.map((p: { field: string }) => p.field)).toContain(field);
    });

    it('unknown project → 422 naming the field', async () => {
      const res = await t.request('POST', `${P}/allocations`, {
        sourceKind: 'LGF',
        project: 'NOPE',
        period: 'unprofiled',
        amount: '100.00',
        commitmentStatus: 'confirmed',
      });
      expect(res.status).toBe(422);
      expect(res.body.details.field).toBe('project');
    });

    it('unknown source kind → 422', async () => {
      const res = await t.request('POST', `${P}/allocations`, {
        sourceKind: 'GOLD',
        period: 'unprofiled',
        amount: '100.00',
        commitmentStatus: 'confirmed',
      });
      expect(res.status).toBe(422);
      expect(res.body.details.field).toBe('sourceKind');
    });

    it('unknown theme on a project → 422', async () => {
      const res = await t.request('POST', `${P}/projects`, { code: 'NEWP', name: 'New', theme: 'NOPE' });
      expect(res.status).toBe(422);
      expect(res.body.details.field).toBe('theme');
    });

    it('duplicate project code → 409', async () => {
      const res = await t.request('POST', `${P}/projects`, { code: 'ETRURIA', name: 'Again' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DUPLICATE');
    });

    it('unknown programme → 404 naming the code', async () => {
      const res = await t.request('GET', '/api/programmes/NOPE/projects');
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('NOPE');
    });

    it('an approved allocation cannot be edited directly', async () => {
      const res = await t.request('PATCH', `${P}/allocations/1`, { version: 1, amount: '1.00' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('APPROVED_ALLOCATION');
    });

    it('malformed JSON → 400', async () => {
      const res = await t.request('POST', `${P}/projects`, '{"code":', { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
    });
  });

  describe('public reads', () => {
    it('shows the deal without a login, drafts only to signed-in users, and refuses anonymous writes', async () => {
      const draft = await t.request('POST', `${P}/allocations`, {
        sourceKind: 'LOCAL_MATCH',
        project: 'LSTP',
        period: '2017-18',
        amount: '777777.77',
        commitmentStatus: 'indicative',
      });
      expect(draft.status).toBe(201);
      const pub = await t.anonymous('GET', `${P}/allocations?limit=500`);
      expect(pub.status).toBe(200);
      expect(pub.body.total).toBe(19);
      expect(pub.body.items.some((a: { amount: string }) => a.amount === '777777.77')).toBe(false);
      expect((await t.anonymous('GET', `${P}/allocations?approvalState=draft`)).body.total).toBe(0);
      expect((await t.anonymous('GET', `${P}/allocations/${draft.body.id}`)).status).toBe(404);
      expect((await t.request('GET', `${P}/allocations/${draft.body.id}`)).body.amount).toBe('777777.77');
      expect((await t.request('GET', `${P}/allocations?approvalState=draft`)).body.total).toBe(1);
      expect((await t.anonymous('GET', `${P}/projects`)).body.total).toBe(8);
      expect((await t.anonymous('GET', `${P}/headlines/B-LGF-TOTAL`)).body.value).toBe('82300000.00');
      const write = await t.anonymous('POST', `${P}/projects`, { code: 'ANON', name: 'Anonymous' });
      expect(write.status).toBe(401);
      expect((await t.request('DELETE', `${P}/allocations/${draft.body.id}?version=1`)).status).toBe(204);
    });
  });

  describe('writes', () => {
    it('creates a draft allocation, edits it with its version, refuses a stale version', async () => {
      const created = await t.request('POST', `${P}/allocations`, {
        sourceKind: 'LOCAL_MATCH',
        project: 'BRANSTON',
        period: '2016-17..2017-18',
        amount: '1234567.89',
        commitmentStatus: 'indicative',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        amount: '1234567.89',
        approvalState: 'draft',
        period: '2016-17..2017-18',
        periodLabel: '2016-17 to 2017-18',
        version: 1,
      });
      const id = created.body.id;
      const edited = await t.request('PATCH', `${P}/allocations/${id}`, { version: 1, amount: '1234567.90' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ amount: '1234567.90', version: 2 });
      const stale = await t.request('PATCH', `${P}/allocations/${id}`, { version: 1, amount: '1.00' });
      expect(stale.status).toBe(409);
      expect(stale.body.details.currentVersion).toBe(2);
      const read = await t.request('GET', `${P}/allocations/${id}`);
      expect(read.body.amount).toBe('1234567.90');
      const del = await t.request('DELETE', `${P}/allocations/${id}?version=2`);
      expect(del.status).toBe(204);
    });

    it('refuses to delete a theme that still has projects; deletes it once they have moved', async () => {
      const theme = await t.request('POST', `${P}/themes`, { code: 'DOOMED', name: 'Doomed theme' });
      expect(theme.status).toBe(201);
      const project = (await t.request('GET', `${P}/projects/AMSH`)).body;
      const joined = await t.request('PATCH', `${P}/projects/AMSH`, { version: project.version, theme: 'DOOMED' });
      expect([joined.status, joined.body.theme]).toEqual([200, 'DOOMED']);
      const auditBefore = (await t.request('GET', `${P}/audit?limit=1`)).body;
      const refused = await t.request('DELETE', `${P}/themes/DOOMED?version=1`);
      expect([refused.status, refused.body.code]).toEqual([409, 'THEME_IN_USE']);
      expect(refused.body.details).toMatchObject({ field: 'theme', projects: 1, pools: 0 });
      // Nothing changed: the project keeps its theme and version, the theme is still there, no audit entry.
      const still = (await t.request('GET', `${P}/projects/AMSH`)).body;
      expect([still.theme, still.version]).toEqual(['DOOMED', joined.body.version]);
      expect((await t.request('GET', `${P}/themes/DOOMED`)).status).toBe(200);
      expect((await t.request('GET', `${P}/audit?limit=1`)).body).toEqual(auditBefore);
      const moved = await t.request('PATCH', `${P}/projects/AMSH`, { version: still.version, theme: project.theme });
      expect([moved.status, moved.body.theme]).toEqual([200, project.theme]);
      expect((await t.request('DELETE', `${P}/themes/DOOMED?version=1`)).status).toBe(204);
    });
  });
});
