import { Actor } from '../src/auth/actor';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { ChangeRequestsService } from '../src/changes/change-requests.service';
import { parsePounds } from '../src/common/money';
import { closeQuartersForTest } from './support/periods';
import { findProgramme } from '../src/programmes/programme-lookup';
import { Project } from '../src/projects/project.entity';
import { SpendService } from '../src/spend/spend.service';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

const CODE = 'SSLEP-GD-2014';
const P = `/api/programmes/${CODE}`;
const CR = `${P}/change-requests`;
// HTTP acts as the test admin; the proposer acts through the service (separation of duties).
// Manages every project of the 2014 deal (scope follows the data a change touches).
const PM: Actor = {
  userId: null,
  name: 'pat.manager',
  role: 'programme_manager',
  projects: ['AMSH', 'BERICOTE', 'BRANSTON', 'ETRURIA', 'LICHFIELD', 'LSTP', 'MEAFORD', 'SWAR'].map(
    (p) => `SSLEP-GD-2014/${p}`,
  ),
};
const FINANCE: Actor = { userId: null, name: 'fin.setup', role: 'finance' };

describe.each(databaseKinds())('delivery change requests (re-profile, re-baseline) on %s', (kind) => {
  let t: TestApp;
  let svc: ChangeRequestsService;

  async function swarLgf(): Promise<Record<string, string>> {
    const res = await t.request('GET', `${P}/projects/SWAR/spend`);
    expect(res.status).toBe(200);
    return Object.fromEntries(
      res.body.profile
        .filter((l: { sourceKind: string }) => l.sourceKind === 'LGF')
        .map((l: { quarter: string; baseline: string }) => [l.quarter, l.baseline]),
    );
  }
  const total = (b: Record<string, string>) => Object.values(b).reduce((s, v) => s + parsePounds(v), 0);
  async function draftAndSubmit(kind: string, payload: unknown, title = `a ${kind}`): Promise<number> {
    const res = await t.request('POST', CR, { kind, title, reason: 'tested', payload });
    expect(res.status).toBe(201);
    await svc.submit(CODE, res.body.number, {}, PM);
    return res.body.number;
  }
  const audits = (entity: string, action: string) =>
    t.ds.getRepository(AuditEntry).find({ where: { entity, action }, order: { id: 'ASC' } });

  beforeAll(async () => {
    t = await startTestApp(kind);
    svc = t.app.get(ChangeRequestsService);
    // Set-up: an approved baseline for SWAR LGF (as a loaded profile would be), and 2015-16 Q1 closed.
    const spend = t.app.get(SpendService);
    await t.db.write(async (m) => {
      const prog = await findProgramme(m, CODE);
      const swar = await m.findOneByOrFail(Project, { programmeId: prog.id, code: 'SWAR' });
      const b = {
        '2015-16 Q1': '1000000.00',
        '2015-16 Q2': '2000000.00',
        '2015-16 Q3': '3000000.00',
        '2015-16 Q4': '1000000.00',
        '2016-17 Q1': '500000.00',
      };
      await spend.applyBaseline(
        m,
        FINANCE,
        prog.id,
        Object.entries(b).map(([quarter, v]) => ({
          projectId: swar.id,
          sourceKind: 'LGF',
          quarter,
          baselinePence: parsePounds(v),
        })),
      );
      await closeQuartersForTest(m, prog.id, ['2015-16 Q1'], '2015-07-20T00:00:00.000Z');
    });
  });
  afterAll(async () => t?.close());

  it('an approved re-profile moves baseline between quarters and years with exact totals, and nothing before approval', async () => {
    const before = await swarLgf();
    expect(total(before)).toBe(750_000_000);
    const payload = {
      project: 'SWAR',
      sourceKind: 'LGF',
      lines: [
        { quarter: '2015-16 Q3', delta: '-1250000.00' },
        { quarter: '2016-17 Q1', delta: '750000.00' },
        { quarter: '2016-17 Q2', delta: '500000.00' },
      ],
    };
    const created = await t.request('POST', CR, {
      kind: 'reprofile_spend',
      title: 'Move SWAR LGF into 2016-17',
      reason: 'Utilities diversion late',
      payload,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', projects: ['SWAR'] });
    expect(created.body.description).toBe(
      'Move £1,250,000.00 of Stafford Western Access Route’s Local Growth Fund award baseline spend from 2015-16 Q3 to 2016-17 Q1 (£750,000.00), 2016-17 Q2 (£500,000.00) (same total).',
    );
    const n = created.body.number;
    await svc.submit(CODE, n, {}, PM);
    expect(await swarLgf()).toEqual(before);

    const res = await t.request('POST', `${CR}/${n}/approve`, { reason: 'Board, 1 September 2015' });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe(
      'Moved £1,250,000.00 of Stafford Western Access Route’s Local Growth Fund award baseline spend from 2015-16 Q3 to 2016-17 Q1 (£750,000.00), 2016-17 Q2 (£500,000.00) (same total).',
    );
    expect(res.body.before.spend).toEqual({
      project: 'SWAR',
      sourceKind: 'LGF',
      quarters: [
        { quarter: '2015-16 Q3', baseline: '3000000.00' },
        { quarter: '2016-17 Q1', baseline: '500000.00' },
        { quarter: '2016-17 Q2', baseline: '0.00' },
      ],
      total: '7500000.00',
    });
    expect(res.body.after.spend.quarters).toEqual([
      { quarter: '2015-16 Q3', baseline: '1750000.00' },
      { quarter: '2016-17 Q1', baseline: '1250000.00' },
      { quarter: '2016-17 Q2', baseline: '500000.00' },
    ]);
    expect(res.body.after.spend.total).toBe('7500000.00');
    expect(await swarLgf()).toEqual({
      '2015-16 Q1': '1000000.00',
      '2015-16 Q2': '2000000.00',
      '2015-16 Q3': '1750000.00',
      '2015-16 Q4': '1000000.00',
      '2016-17 Q1': '1250000.00',
      '2016-17 Q2': '500000.00',
    });
    expect(total(await swarLgf())).toBe(750_000_000);

    const mine = (await audits('spend_profile', 'rebaseline')).filter((a) => a.meta?.changeRequest === n);
    expect(
      mine.map((a) => [
        a.actor,
        (a.after as { quarter: string }).quarter,
        (a.before as { baseline: string } | null)?.baseline ?? null,
        (a.after as { baseline: string }).baseline,
      ]),
    ).toEqual([
      [t.adminActor, '2015-16 Q3', '3000000.00', '1750000.00'],
      [t.adminActor, '2016-17 Q1', '500000.00', '1250000.00'],
      [t.adminActor, '2016-17 Q2', null, '500000.00'],
    ]);
    const decision = (await audits('change_request', 'approve')).filter((a) => a.entityId === String(n));
    expect(decision).toHaveLength(1);
    expect(decision[0].meta).toMatchObject({
      number: n,
      kind: 'reprofile_spend',
      reason: 'Board, 1 September 2015',
      submittedBy: 'pat.manager',
    });
  });

  it('refuses an unbalanced re-profile with 422 naming the net, writing nothing', async () => {
    const before = await tableCounts(t.ds);
    const res = await t.request('POST', CR, {
      kind: 'reprofile_spend',
      title: 'bad',
      reason: 'bad',
      payload: {
        project: 'SWAR',
        sourceKind: 'LGF',
        lines: [
          { quarter: '2015-16 Q4', delta: '-100000.00' },
          { quarter: '2016-17 Q3', delta: '90000.00' },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('UNBALANCED');
    expect(res.body.details.field).toBe('payload.lines');
    expect(res.body.message).toBe(
      'payload.lines: the lines do not balance: 2015-16 Q4 -100000.00, 2016-17 Q3 +90000.00; net -10000.00 (a re-profile keeps the same total: the net must be 0.00)',
    );
    expect(await tableCounts(t.ds)).toEqual(before);
  });

  it('refuses a re-profile touching a locked quarter, at drafting and again at approval', async () => {
    const before = await tableCounts(t.ds);
    const res = await t.request('POST', CR, {
      kind: 'reprofile_spend',
      title: 'bad',
      reason: 'bad',
      payload: {
        project: 'SWAR',
        sourceKind: 'LGF',
        lines: [
          { quarter: '2015-16 Q1', delta: '-100000.00' },
          { quarter: '2015-16 Q4', delta: '100000.00' },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PERIOD_LOCKED');
    expect(res.body.details.field).toBe('payload.lines[0].quarter');
    expect(res.body.message).toContain('2015-16 Q1 is locked: its return has been submitted');
    expect(await tableCounts(t.ds)).toEqual(before);

    // Submitted while 2015-16 Q2 was open; Q2 closes; approval re-checks and refuses.
    const n = await draftAndSubmit('reprofile_spend', {
      project: 'SWAR',
      sourceKind: 'LGF',
      lines: [
        { quarter: '2015-16 Q2', delta: '-200000.00' },
        { quarter: '2015-16 Q4', delta: '200000.00' },
      ],
    });
    await t.db.write(async (m) =>
      closeQuartersForTest(m, (await findProgramme(m, CODE)).id, ['2015-16 Q2'], '2015-10-20T00:00:00.000Z'),
    );
    const profile = await swarLgf();
    const counts = await tableCounts(t.ds);
    const refused = await t.request('POST', `${CR}/${n}/approve`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('PERIOD_LOCKED');
    expect(await tableCounts(t.ds)).toEqual(counts);
    expect(await swarLgf()).toEqual(profile);
    expect((await t.request('GET', `${CR}/${n}`)).body.state).toBe('submitted');
  });

  it('an approved milestone re-baseline changes the baseline and the RAG, whose "why" shows the new numbers', async () => {
    const created = await t.request('POST', `${P}/projects/SWAR/milestones`, {
      kind: 'start_on_site',
      title: 'Start on site',
      baselineDate: '2015-06-30',
      forecastDate: '2016-02-15',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.rag).toMatchObject({
      rag: 'red',
      explanation: 'forecast 2016-02-15 is 230 days after the baseline 2015-06-30 (more than 90 days: red)',
    });
    const direct = await t.request('PATCH', `${P}/milestones/${id}`, { version: 1, baselineDate: '2016-01-29' });
    expect(direct.status).toBe(422);
    expect(direct.body.code).toBe('BASELINE_CHANGE_REQUIRED');

    const n = await draftAndSubmit(
      'rebaseline_milestone',
      { milestones: [{ id, baselineDate: '2016-01-29' }] },
      'Re-baseline SWAR start on site',
    );
    expect((await t.request('GET', `${P}/milestones/${id}`)).body.baselineDate).toBe('2015-06-30');
    const res = await t.request('POST', `${CR}/${n}/approve`, { reason: 'Board' });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe(
      'Re-baselined Stafford Western Access Route’s “Start on site” from 30 June 2015 to 29 January 2016 (213 days later).',
    );
    expect(res.body.before.milestones).toEqual([
      {
        id,
        title: 'Start on site',
        kind: 'start_on_site',
        baselineDate: '2015-06-30',
        forecastDate: '2016-02-15',
        actualDate: null,
        status: 'open',
        notes: null,
        version: 1,
      },
    ]);
    expect(res.body.after.milestones).toEqual([
      {
        id,
        title: 'Start on site',
        kind: 'start_on_site',
        baselineDate: '2016-01-29',
        forecastDate: '2016-02-15',
        actualDate: null,
        status: 'open',
        notes: null,
        version: 2,
      },
    ]);
    const ms = (await t.request('GET', `${P}/milestones/${id}`)).body;
    expect(ms).toMatchObject({
      baselineDate: '2016-01-29',
      rag: {
        rag: 'amber',
        explanation: 'forecast 2016-02-15 is 17 days after the baseline 2016-01-29 (1-90 days: amber)',
      },
    });
    expect(ms.rag.numbers).toMatchObject({ baselineDate: '2016-01-29', forecastDate: '2016-02-15', slipDays: 17 });
    const rag = (await t.request('GET', `${P}/projects/SWAR/rag`)).body;
    expect(rag.milestones).toMatchObject({
      rag: 'amber',
      explanation:
        '0 red, 1 amber, 0 green, 0 blue (complete); worst: Start on site: forecast 2016-02-15 is 17 days after the baseline 2016-01-29 (1-90 days: amber)',
    });
    const entry = (await audits('milestone', 'rebaseline')).filter((a) => a.meta?.changeRequest === n);
    expect(
      entry.map((a) => [
        a.actor,
        a.entityId,
        (a.before as { baselineDate: string }).baselineDate,
        (a.after as { baselineDate: string }).baselineDate,
      ]),
    ).toEqual([[t.adminActor, String(id), '2015-06-30', '2016-01-29']]);
  });

  it('a rejected re-baseline moves nothing', async () => {
    const id = (await t.request('GET', `${P}/projects/SWAR/milestones`)).body.items[0].id;
    const n = await draftAndSubmit('rebaseline_milestone', { milestones: [{ id, baselineDate: '2016-02-15' }] });
    const milestoneRebaselines = (await audits('milestone', 'rebaseline')).length;
    const res = await t.request('POST', `${CR}/${n}/reject`, { reason: 'Slippage stays visible' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: 'rejected',
      before: null,
      after: null,
      decisionReason: 'Slippage stays visible',
    });
    expect(res.body.description).toBe(
      'Re-baseline Stafford Western Access Route’s “Start on site” from 29 January 2016 to 15 February 2016 (17 days later).',
    );
    expect((await t.request('GET', `${P}/milestones/${id}`)).body).toMatchObject({
      baselineDate: '2016-01-29',
      version: 2,
      rag: { rag: 'amber' },
    });
    expect((await audits('milestone', 'rebaseline')).length).toBe(milestoneRebaselines);
    const reject = (await audits('change_request', 'reject')).filter((a) => a.entityId === String(n));
    expect(
      reject.map((a) => [
        a.actor,
        (a.before as { state: string }).state,
        (a.after as { state: string }).state,
        a.meta?.reason,
      ]),
    ).toEqual([[t.adminActor, 'submitted', 'rejected', 'Slippage stays visible']]);
  });

  it('re-baselines an output target through the outputs service', async () => {
    const set = await t.request('PUT', `${P}/projects/SWAR/outputs/ROAD_NEW`, { target: '2.100', forecast: '2.100' });
    expect(set.status).toBe(200);
    const bad = await t.request('POST', CR, {
      kind: 'rebaseline_target',
      title: 'bad',
      reason: 'bad',
      payload: { targets: [{ project: 'SWAR', metric: 'ROAD_NEW', target: '2.5' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.problems[0].field).toBe('payload.targets[0].target');
    const none = await t.request('POST', CR, {
      kind: 'rebaseline_target',
      title: 'bad',
      reason: 'bad',
      payload: { targets: [{ project: 'SWAR', metric: 'JOBS_CREATED', target: 40 }] },
    });
    expect(none.status).toBe(422);
    expect(none.body.code).toBe('NO_TARGET');
    const n = await draftAndSubmit('rebaseline_target', {
      targets: [{ project: 'SWAR', metric: 'ROAD_NEW', target: '2.500' }],
    });
    const res = await t.request('POST', `${CR}/${n}/approve`, {});
    expect(res.status).toBe(200);
    expect(res.body.before.targets).toEqual([{ project: 'SWAR', metric: 'ROAD_NEW', unit: 'km', target: '2.100' }]);
    expect(res.body.after.targets).toEqual([{ project: 'SWAR', metric: 'ROAD_NEW', unit: 'km', target: '2.500' }]);
    expect(res.body.description).toMatch(
      /^Re-baselined Stafford Western Access Route’s .+ target from 2\.100 km to 2\.500 km\.$/,
    );
    const road = (await t.request('GET', `${P}/projects/SWAR/outputs`)).body.metrics.find(
      (x: { metric: string }) => x.metric === 'ROAD_NEW',
    );
    expect(road).toMatchObject({ target: '2.500', forecast: '2.100' });
  });

  it('lists change history in plain words, newest first', async () => {
    const res = await t.request('GET', `${CR}?project=SWAR`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { kind: string; state: string }) => `${c.kind}:${c.state}`)).toEqual([
      'rebaseline_target:approved',
      'rebaseline_milestone:rejected',
      'rebaseline_milestone:approved',
      'reprofile_spend:submitted',
      'reprofile_spend:approved',
    ]);
    for (const c of res.body.items) expect(c.description).not.toMatch(/allocation \d|undefined|\[object/);
  });
});
