import { databaseKinds } from './support/databases';
import { RequestFn, startTestApp, TestApp } from './support/test-app';

/**
 * Scope on change requests follows the data a payload touches (src/changes/change-access.ts):
 * a programme manager reaches only assigned projects and nothing held at programme level;
 * programme and pool money is admin's and finance's; deal commitments and programme targets are
 * admin's; drafts are edited, and requests withdrawn, only by their author or an admin.
 */
const P = '/api/programmes/SSLEP-GD-2014';
const CR = `${P}/change-requests`;

describe.each(databaseKinds())('who may propose which change on %s', (kind) => {
  let t: TestApp;
  let pm: RequestFn; // assigned ETRURIA
  let pm2: RequestFn; // assigned ETRURIA too
  let lichfieldPm: RequestFn; // assigned LICHFIELD only
  let finance: RequestFn;
  let alloc: (project: string) => number;
  let commitment: number;
  let projectMilestone: number;
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    pm = await t.as('programme_manager', { projects: ['ETRURIA'] });
    pm2 = await t.as('programme_manager', { projects: ['ETRURIA'] });
    lichfieldPm = await t.as('programme_manager', { projects: ['LICHFIELD'] });
    finance = await t.as('finance');
    const items = (await t.request('GET', `${P}/allocations?limit=500`)).body.items as {
      id: number;
      sourceKind: string;
      project: string | null;
      commitmentStatus: string;
      approvalState: string;
    }[];
    alloc = (project) =>
      items.find(
        (a) =>
          a.sourceKind === 'LGF' &&
          a.project === project &&
          a.approvalState === 'approved' &&
          a.commitmentStatus !== 'withdrawn',
      )!.id;
    const milestones = (await t.request('GET', `${P}/milestones?limit=500`)).body;
    const list = (milestones.items ?? milestones) as { id: number; project: string | null }[];
    commitment = list.find((x) => x.project === null)!.id;
    const created = await t.request('POST', `${P}/projects/ETRURIA/milestones`, {
      kind: 'start_on_site',
      title: 'Start on site',
      baselineDate: '2017-06-01',
    });
    projectMilestone = created.body.id;
  });
  afterAll(async () => t?.close());

  const draft = (as: RequestFn, kind: string, payload: unknown) =>
    as('POST', CR, { kind, title: `a ${kind}`, reason: 'scope test', payload });
  const expectRefused = (res: { status: number; body: any }, code: string) =>
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: 403, code });
  const move = (from: string, to: string) => ({
    lines: [
      { allocationId: alloc(from), delta: '-1000.00' },
      { allocationId: alloc(to), delta: '1000.00' },
    ],
  });

  it('a programme manager may move money only between assigned projects', async () => {
    expectRefused(await draft(pm, 'reallocation', move('MEAFORD', 'LICHFIELD')), 'PROJECT_NOT_ASSIGNED');
    expectRefused(await draft(pm, 'reallocation', move('ETRURIA', 'LICHFIELD')), 'PROJECT_NOT_ASSIGNED');
    const own = await draft(pm, 'reallocation', {
      lines: [
        { allocationId: alloc('ETRURIA'), delta: '-1000.00' },
        {
          new: { sourceKind: 'LGF', project: 'ETRURIA', period: '2019-20', commitmentStatus: 'indicative' },
          amount: '1000.00',
        },
      ],
    });
    expect(own.status).toBe(201);
    // Finance may move money between any projects.
    expect((await draft(finance, 'reallocation', move('MEAFORD', 'LICHFIELD'))).status).toBe(201);
  });

  it('programme and pool money is for admin and finance; a programme manager gets 403', async () => {
    const toHeadroom = {
      lines: [
        { allocationId: alloc('ETRURIA'), delta: '-1000.00' },
        { headroom: 'LGF', delta: '1000.00' },
      ],
    };
    expectRefused(await draft(pm, 'reallocation', toHeadroom), 'PROGRAMME_LEVEL');
    const toProgramme = {
      lines: [
        { allocationId: alloc('ETRURIA'), delta: '-1000.00' },
        { new: { sourceKind: 'LGF', period: '2019-20', commitmentStatus: 'indicative' }, amount: '1000.00' },
      ],
    };
    expectRefused(await draft(pm, 'reallocation', toProgramme), 'PROGRAMME_LEVEL');
    const envelope = { sourceKind: 'LGF', delta: '1000.00' };
    expectRefused(await draft(pm, 'envelope_change', envelope), 'PROGRAMME_LEVEL');
    expect((await draft(finance, 'reallocation', toHeadroom)).status).toBe(201);
    expect((await draft(finance, 'envelope_change', envelope)).status).toBe(201);
    expect((await draft(t.request, 'envelope_change', envelope)).status).toBe(201);
  });

  it('deal commitments and programme targets are for admin only', async () => {
    const rebaseline = { milestones: [{ id: commitment, baselineDate: '2016-02-29' }] };
    expectRefused(await draft(pm, 'rebaseline_milestone', rebaseline), 'PROGRAMME_LEVEL');
    expectRefused(await draft(finance, 'rebaseline_milestone', rebaseline), 'PROGRAMME_LEVEL');
    expect((await draft(t.request, 'rebaseline_milestone', rebaseline)).status).toBe(201);
    const target = { targets: [{ metric: 'JOBS_CREATED', target: 5123 }] };
    expectRefused(await draft(pm, 'rebaseline_target', target), 'PROGRAMME_LEVEL');
    expectRefused(await draft(finance, 'rebaseline_target', target), 'PROGRAMME_LEVEL');
    expect((await draft(t.request, 'rebaseline_target', target)).status).toBe(201);
    // Their own project's milestone is a programme manager's to re-baseline.
    const own = { milestones: [{ id: projectMilestone, baselineDate: '2017-07-01' }] };
    expect((await draft(pm, 'rebaseline_milestone', own)).status).toBe(201);
    expectRefused(await draft(lichfieldPm, 'rebaseline_milestone', own), 'PROJECT_NOT_ASSIGNED');
  });

  it('only the author (or an admin) edits a draft or withdraws; submitting checks the submitter’s scope', async () => {
    const own = await draft(pm, 'rebaseline_milestone', {
      milestones: [{ id: projectMilestone, baselineDate: '2017-08-01' }],
    });
    expect(own.status).toBe(201);
    const n = own.body.number;
    const edit = (as: RequestFn, version: number) => as('PATCH', `${CR}/${n}`, { version, title: 'edited' });
    expectRefused(await edit(pm2, own.body.version), 'NOT_AUTHOR');
    expectRefused(await edit(finance, own.body.version), 'NOT_AUTHOR');
    const byAuthor = await edit(pm, own.body.version);
    expect(byAuthor.status).toBe(200);
    expect((await t.request('GET', `${CR}/${n}`)).body.createdBy).toBe(own.body.createdBy);
    expectRefused(await lichfieldPm('POST', `${CR}/${n}/submit`, {}), 'PROJECT_NOT_ASSIGNED');
    expect((await pm2('POST', `${CR}/${n}/submit`, {})).status).toBe(200);
    expectRefused(await pm2('POST', `${CR}/${n}/withdraw`, {}), 'NOT_AUTHOR');
    expectRefused(await finance('POST', `${CR}/${n}/withdraw`, {}), 'NOT_AUTHOR');
    const withdrawn = await pm('POST', `${CR}/${n}/withdraw`, {});
    expect([withdrawn.status, withdrawn.body.state]).toEqual([200, 'withdrawn']);

    const other = await draft(pm, 'rebaseline_milestone', {
      milestones: [{ id: projectMilestone, baselineDate: '2017-09-01' }],
    });
    const byAdmin = await t.request('POST', `${CR}/${other.body.number}/withdraw`, {});
    expect([byAdmin.status, byAdmin.body.state]).toEqual([200, 'withdrawn']);
  });
});
