import { AuditEntry } from '../src/audit/audit-entry.entity';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SYSTEM_ACTOR } from '../src/auth/actor';
import { runCli } from '../src/cli';
import { CliContext } from '../src/cli/cli-context';
import { programmeOutputTotals } from '../src/outputs/output-totals';
import { Programme } from '../src/programmes/programme.entity';
import { Project } from '../src/projects/project.entity';
import { SpendService } from '../src/spend/spend.service';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

/**
 * Closes a quarter the real way: the quarter's return is submitted through its route (every
 * warning it raises gets a comment, as a finance officer would write). Returns the submitted
 * version's frozen JSON.
 */
async function submitReturn(t: TestApp, quarter: string) {
  const R = `${P}/returns/${quarter.replace(' ', '-')}`;
  const draft = await t.request('GET', R);
  expect(draft.status).toBe(200);
  const checks = draft.body.return.checks as { severity: string; code: string }[];
  expect(checks.filter((c) => c.severity === 'error')).toEqual([]);
  const comments = Object.fromEntries(
    checks.filter((c) => c.severity === 'warning').map((c) => [c.code, 'Explained in the covering note']),
  );
  const res = await t.request('POST', `${R}/submit`, { comments });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ quarter, version: 1, status: 'submitted' });
  return (await t.request('GET', `${R}/versions/1`)).body;
}

async function cli(t: TestApp, args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += String(d)));
  err.on('data', (d) => (e += String(d)));
  const saved = { ...process.env };
  Object.assign(process.env, t.env);
  try {
    const code = await runCli(args, new CliContext(out, err));
    return { code, out: o, err: e };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe.each(databaseKinds())('a quarterly delivery cycle on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'false' });
  });
  afterAll(async () => t?.close());

  it('loads the deal commitments as programme milestones and the jobs/homes promises as programme targets, with provenance', async () => {
    const ms = await t.request('GET', `${P}/milestones`);
    expect(ms.status).toBe(200);
    expect(ms.body.total).toBe(10);
    expect(ms.body.items.find((x: { code: string }) => x.code === 'GOVERNANCE-BOARD')).toMatchObject({
      level: 'programme',
      kind: 'commitment',
      baselineDate: '2014-08-31',
      dueWords: 'over the summer of 2014',
      dateInterpreted: true,
    });
    const outs = await t.request('GET', `${P}/outputs`);
    const jobs = outs.body.metrics.find((x: { metric: string }) => x.metric === 'JOBS_CREATED');
    expect(jobs.programmeTarget).toMatchObject({
      value: 5000,
      source: { quote: 'By 2021, this Deal will create at least 5,000 jobs', printed: '5,000' },
    });
    expect(
      outs.body.metrics.find((x: { metric: string }) => x.metric === 'HOMES_COMPLETED').programmeTarget.value,
    ).toBe(1000);
    expect(outs.body.illustrative).toBe(false);
    const metrics = await t.request('GET', '/api/output-metrics');
    expect(metrics.body.find((x: { code: string }) => x.code === 'SITE_AREA')).toEqual({
      code: 'SITE_AREA',
      name: 'Employment land unlocked',
      unit: 'ha',
      kind: 'per_period',
      storedUnit: 'hundredths of a hectare',
      scale: 100,
      core: true,
    });
    expect(metrics.body).toHaveLength(12);
  });

  it('runs spend through a quarter: baseline, forecast, actual, lock, adjustment, figures', async () => {
    const prog = await t.ds.manager.findOneByOrFail(Programme, { code: 'SSLEP-GD-2014' });
    const swar = await t.ds.manager.findOneByOrFail(Project, { programmeId: prog.id, code: 'SWAR' });
    await t.db.write((m) =>
      t.app.get(SpendService).applyBaseline(m, SYSTEM_ACTOR, prog.id, [
        { projectId: swar.id, sourceKind: 'LGF', quarter: '2015-16 Q1', baselinePence: 10_000_000 },
        { projectId: swar.id, sourceKind: 'LGF', quarter: '2015-16 Q2', baselinePence: 20_000_000 },
        // The rest of SWAR's £16.1m LGF in a later year: a return is submitted only when the
        // baseline profile adds up to the approved allocation.
        { projectId: swar.id, sourceKind: 'LGF', quarter: '2016-17 Q1', baselinePence: 1_580_000_000 },
      ]),
    );
    const f = await t.request('PUT', `${P}/projects/SWAR/spend/forecast`, {
      sourceKind: 'LGF',
      quarter: '2015-16 Q1',
      forecast: '95000.00',
      version: 1,
    });
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({
      baseline: '100000.00',
      forecast: '95000.00',
      actual: null,
      slippage: '-5000.00',
      version: 2,
      illustrative: false,
    });

    const stale = await t.request('PUT', `${P}/projects/SWAR/spend/forecast`, {
      sourceKind: 'LGF',
      quarter: '2015-16 Q1',
      forecast: '1.00',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', details: { field: 'version', currentVersion: 2 } });

    const a = await t.request('PUT', `${P}/projects/SWAR/spend/actual`, {
      sourceKind: 'LGF',
      quarter: '2015-16 Q1',
      actual: '90000.00',
      version: 2,
    });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ actual: '90000.00', version: 3, locked: false });

    // Q1's return freezes SWAR LGF's forecast outturn as at Q1: Q1's forecast 95,000 (its actual
    // counts only once the quarter has closed) plus the later quarters' baseline forecasts
    // 200,000 and 15,800,000.
    const q1 = await submitReturn(t, '2015-16 Q1');
    expect(
      q1.finance.lines.find(
        (l: { project: string; sourceKind: string }) => l.project === 'SWAR' && l.sourceKind === 'LGF',
      ),
    ).toMatchObject({ forecastProgramme: '16095000.00' });

    const a2 = await t.request('PUT', `${P}/projects/SWAR/spend/actual`, {
      sourceKind: 'LGF',
      quarter: '2015-16 Q2',
      actual: '180000.00',
      version: 1,
    });
    expect(a2.status).toBe(200);

    const adj = await t.request('POST', `${P}/projects/SWAR/spend/adjustments`, {
      sourceKind: 'LGF',
      correctsQuarter: '2015-16 Q1',
      amount: '-2500.00',
      reason: 'Invoice 4471 was posted twice',
    });
    expect(adj.status).toBe(201);
    expect(adj.body).toMatchObject({
      kind: 'prior_period_adjustment',
      recordedInQuarter: '2015-16 Q2',
      correctsQuarter: '2015-16 Q1',
      amount: '-2500.00',
    });

    const s = await t.request('GET', `${P}/projects/SWAR/spend`);
    expect(s.status).toBe(200);
    expect(s.body.reportingQuarter).toBe('2015-16 Q2');
    expect(s.body.lastReturn).toEqual({ quarter: '2015-16 Q1', version: 1, varianceAvailable: true, reason: null });
    const line = s.body.lines.find((l: { sourceKind: string }) => l.sourceKind === 'LGF');
    // Q1 closed: its actual 90,000 counts, less the 2,500 adjustment; Q2 open: its forecast 200,000 counts.
    expect(line).toEqual({
      project: 'SWAR',
      sourceKind: 'LGF',
      allocation: '16100000.00',
      baselineTotal: '16100000.00',
      baselineYear: '300000.00',
      forecastYear: '287500.00',
      forecastProgramme: '16087500.00',
      actualToDate: '270000.00',
      adjustments: '-2500.00',
      spendToDate: '267500.00',
      spendInQuarter: '177500.00',
      slippage: '-12500.00',
      slippageYear: '-12500.00',
      // 16,087,500 now against 16,095,000 in Q1's return.
      varianceToLastReturn: '-7500.00',
    });
    expect(
      s.body.profile.map((l: { quarter: string; locked: boolean; actual: string }) => [l.quarter, l.locked, l.actual]),
    ).toEqual([
      ['2015-16 Q1', true, '90000.00'],
      ['2015-16 Q2', false, '180000.00'],
      ['2016-17 Q1', false, null],
    ]);
    expect(s.body.adjustments).toHaveLength(1);

    const rag = await t.request('GET', `${P}/projects/SWAR/rag`);
    // Risk to spend: 287,500 / 300,000 = 95.8 %: green. Slippage against Q1's return: the year's
    // forecast fell from 295,000 to 287,500 but nothing moved to later years: green.
    expect(rag.body.finance).toMatchObject({
      rag: 'green',
      numbers: { overspend: 'green', riskToSpend: 'green', slippage: 'green' },
      parts: {
        riskToSpend: { numbers: { year: '2015-16', forecast: '287500.00', baseline: '300000.00', share: '95.8%' } },
        slippage: {
          numbers: {
            lastReturn: '2015-16 Q1',
            yearAtLastReturn: '295000.00',
            yearNow: '287500.00',
            laterAtLastReturn: '15800000.00',
            laterNow: '15800000.00',
            moved: '0.00',
          },
          explanation: 'no money has moved from 2015-16 to later years since the 2015-16 Q1 return',
        },
      },
    });

    const audit = await t.request('GET', `${P}/projects/SWAR/audit?limit=10`);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((x: { action: string }) => x.action)).toEqual([
      'create',
      'set_actual',
      'set_actual',
      'set_forecast',
      'rebaseline',
      'rebaseline',
      'rebaseline',
      // The deal load that created SWAR is a bulk write linked to each project it loaded.
      'seed',
    ]);
    const firstActual = audit.body.items[2];
    expect(firstActual).toMatchObject({
      actor: t.adminActor,
      entity: 'spend_profile',
      project: 'SWAR',
      before: { quarter: '2015-16 Q1', actual: null, forecast: '95000.00', version: 2 },
      after: { quarter: '2015-16 Q1', actual: '90000.00', version: 3 },
    });
    expect(audit.body.items[0]).toMatchObject({
      entity: 'spend_adjustment',
      after: { amount: '-2500.00', correctsQuarter: '2015-16 Q1' },
      meta: { correctedSpend: '87500.00' },
    });
  });

  it('slips a milestone: amber, with the rule and the days', async () => {
    const c = await t.request('POST', `${P}/projects/BRANSTON/milestones`, {
      kind: 'start_on_site',
      title: 'Start on site',
      baselineDate: '2016-10-03',
    });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ forecastDate: '2016-10-03', version: 1, rag: { rag: 'green' } });
    const s = await t.request('PATCH', `${P}/milestones/${c.body.id}`, { forecastDate: '2016-11-17', version: 1 });
    expect(s.status).toBe(200);
    expect(s.body.rag).toMatchObject({
      rag: 'amber',
      numbers: { slipDays: 45 },
      explanation: 'forecast 2016-11-17 is 45 days after the baseline 2016-10-03 (1-90 days: amber)',
    });
    const rag = await t.request('GET', `${P}/projects/BRANSTON/rag`);
    expect(rag.body.milestones.rag).toBe('amber');
    expect(rag.body.overall).toMatchObject({ rag: 'amber', computed: 'amber', overridden: false });
    const noReason = await t.request('PUT', `${P}/projects/BRANSTON/rag-override`, { rag: 'green', version: 1 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details.problems[0].field).toBe('reason');
    const o = await t.request('PUT', `${P}/projects/BRANSTON/rag-override`, {
      rag: 'green',
      reason: 'Contractor recovery plan agreed',
      version: 1,
    });
    expect(o.status).toBe(200);
    expect(o.body.overall).toMatchObject({
      rag: 'green',
      computed: 'amber',
      overridden: true,
      explanation: 'overridden to green (computed amber): Contractor recovery plan agreed',
    });
    const audit = await t.request('GET', `${P}/projects/BRANSTON/audit`);
    expect(audit.body.items.slice(0, 3).map((x: { action: string }) => x.action)).toEqual([
      'rag_override',
      'update',
      'create',
    ]);
    expect(audit.body.items[0]).toMatchObject({
      before: { ragOverride: null, ragOverrideReason: null },
      after: { ragOverride: 'green', ragOverrideReason: 'Contractor recovery plan agreed' },
    });
    expect(audit.body.items[1]).toMatchObject({
      before: { forecastDate: '2016-10-03', version: 1 },
      after: { forecastDate: '2016-11-17', version: 2 },
      meta: { rag: 'amber' },
    });
    const prog = await t.request('POST', `${P}/milestones`, {
      code: 'EARLY',
      title: 'A deal commitment before the programme',
      baselineDate: '2014-06-30',
    });
    expect(prog.status).toBe(201);
  });

  it('flags an output claimed by two projects and counts it once', async () => {
    const a = await t.request('POST', `${P}/projects/LICHFIELD/outputs/JOBS_CREATED/actuals`, {
      quarter: '2015-16 Q2',
      value: 45,
      claimKey: 'employer: Northgate  Logistics',
      evidence: 'headcount return',
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      value: 45,
      claimKey: 'EMPLOYER: NORTHGATE LOGISTICS',
      doubleClaim: false,
      sharedWith: [],
    });
    const b = await t.request('POST', `${P}/projects/BERICOTE/outputs/JOBS_CREATED/actuals`, {
      quarter: '2015-16 Q2',
      value: 30,
      claimKey: 'EMPLOYER: NORTHGATE LOGISTICS',
    });
    expect(b.body).toMatchObject({ doubleClaim: true, sharedWith: ['LICHFIELD'] });
    const road = await t.request('POST', `${P}/projects/SWAR/outputs/ROAD_NEW/actuals`, {
      quarter: '2015-16 Q2',
      value: '1.250',
      claimKey: 'REF:SWAR-1',
    });
    expect(road.body.value).toBe('1.250');
    const outs = await t.request('GET', `${P}/outputs`);
    expect(outs.body.metrics.find((x: { metric: string }) => x.metric === 'JOBS_CREATED')).toMatchObject({
      claimed: 75,
      doubleClaimRemoved: 30,
      cumulative: 45,
    });
    expect(outs.body.doubleClaims).toEqual([
      {
        metric: 'JOBS_CREATED',
        claimKey: 'EMPLOYER: NORTHGATE LOGISTICS',
        claims: [
          { project: 'LICHFIELD', value: 45 },
          { project: 'BERICOTE', value: 30 },
        ],
        counted: 45,
        removed: 30,
        explanation:
          'EMPLOYER: NORTHGATE LOGISTICS is claimed by 2 projects: the largest claim is counted once in programme totals',
      },
    ]);
    const prog = await t.ds.manager.findOneByOrFail(Programme, { code: 'SSLEP-GD-2014' });
    const totals = await programmeOutputTotals(t.ds.manager, prog.id);
    expect(totals.JOBS_CREATED).toEqual({
      metric: 'JOBS_CREATED',
      claimed: 75,
      removed: 30,
      total: 45,
      doubleClaims: 1,
      illustrative: false,
    });
    expect(totals.ROAD_NEW.total).toBe(1250); // metres
    const plan = await t.request('PUT', `${P}/projects/SWAR/outputs/ROAD_NEW`, { target: '2.100', forecast: '1.800' });
    expect(plan.body).toMatchObject({ target: '2.100', forecast: '1.800', version: 1 });
    const proj = await t.request('GET', `${P}/projects/SWAR/outputs`);
    expect(proj.body.metrics[0]).toMatchObject({
      metric: 'ROAD_NEW',
      target: '2.100',
      forecast: '1.800',
      cumulative: '1.250',
      rag: { rag: 'amber', numbers: { share: '85.7%' } },
    });
    const retarget = await t.request('PUT', `${P}/projects/SWAR/outputs/ROAD_NEW`, { target: '3.000', version: 1 });
    expect(retarget.status).toBe(422);
    expect(retarget.body.code).toBe('BASELINE_CHANGE_REQUIRED');
  });

  describe('bad input is refused, names the field and writes nothing', () => {
    let before: Record<string, number>;
    beforeEach(async () => {
      before = await tableCounts(t.ds);
    });
    afterEach(async () => {
      expect(await tableCounts(t.ds)).toEqual(before);
    });

    it.each([
      [
        'a quarter not YYYY-YY Qn',
        'PUT',
        '/projects/SWAR/spend/forecast',
        { sourceKind: 'LGF', quarter: '2015/16 Q3', forecast: '1.00' },
        400,
        'quarter',
      ],
      [
        'a URL-style quarter in a body',
        'PUT',
        '/projects/SWAR/spend/forecast',
        { sourceKind: 'LGF', quarter: '2015-16-Q3', forecast: '1.00' },
        400,
        'quarter',
      ],
      [
        'a quarter outside the programme',
        'PUT',
        '/projects/SWAR/spend/forecast',
        { sourceKind: 'LGF', quarter: '2021-22 Q1', forecast: '1.00' },
        422,
        'quarter',
      ],
      [
        'negative forecast',
        'PUT',
        '/projects/SWAR/spend/forecast',
        { sourceKind: 'LGF', quarter: '2015-16 Q3', forecast: '-1.00' },
        400,
        'forecast',
      ],
      [
        'negative actual',
        'PUT',
        '/projects/SWAR/spend/actual',
        { sourceKind: 'LGF', quarter: '2015-16 Q2', actual: '-5.00', version: 2 },
        400,
        'actual',
      ],
      [
        'an actual for a future quarter',
        'PUT',
        '/projects/SWAR/spend/actual',
        { sourceKind: 'LGF', quarter: '2015-16 Q3', actual: '5.00' },
        422,
        'quarter',
      ],
      [
        'an actual for a locked quarter',
        'PUT',
        '/projects/SWAR/spend/actual',
        { sourceKind: 'LGF', quarter: '2015-16 Q1', actual: '5.00', version: 3 },
        409,
        'quarter',
      ],
      [
        'a forecast for a locked quarter',
        'PUT',
        '/projects/SWAR/spend/forecast',
        { sourceKind: 'LGF', quarter: '2015-16 Q1', forecast: '5.00', version: 3 },
        409,
        'quarter',
      ],
      [
        'a stale version',
        'PUT',
        '/projects/SWAR/spend/actual',
        { sourceKind: 'LGF', quarter: '2015-16 Q2', actual: '5.00', version: 1 },
        409,
        'version',
      ],
      [
        'no version for an existing line',
        'PUT',
        '/projects/SWAR/spend/actual',
        { sourceKind: 'LGF', quarter: '2015-16 Q2', actual: '5.00' },
        400,
        'version',
      ],
      [
        'pooled private match on a project',
        'PUT',
        '/projects/SWAR/spend/forecast',
        { sourceKind: 'PRIVATE_MATCH', quarter: '2015-16 Q3', forecast: '5.00' },
        422,
        'sourceKind',
      ],
      [
        'an adjustment to an unlocked quarter',
        'POST',
        '/projects/SWAR/spend/adjustments',
        { sourceKind: 'LGF', correctsQuarter: '2015-16 Q2', amount: '-5.00', reason: 'wrong quarter' },
        422,
        'correctsQuarter',
      ],
      [
        'an adjustment making spend negative',
        'POST',
        '/projects/SWAR/spend/adjustments',
        { sourceKind: 'LGF', correctsQuarter: '2015-16 Q1', amount: '-87500.01', reason: 'too much' },
        422,
        'amount',
      ],
      [
        'a milestone date after the programme',
        'POST',
        '/projects/SWAR/milestones',
        { kind: 'completion', title: 'Completion', baselineDate: '2021-04-01' },
        422,
        'baselineDate',
      ],
      [
        'a project milestone before the programme',
        'POST',
        '/projects/SWAR/milestones',
        { kind: 'planning', title: 'Planning', forecastDate: '2015-03-31' },
        422,
        'forecastDate',
      ],
      [
        'a date that is not a date',
        'POST',
        '/projects/SWAR/milestones',
        { kind: 'planning', title: 'Planning', baselineDate: '2016-02-30' },
        400,
        'baselineDate',
      ],
      [
        'an actual milestone date in the future',
        'POST',
        '/projects/SWAR/milestones',
        { kind: 'planning', title: 'Planning', actualDate: '2015-10-01' },
        422,
        'actualDate',
      ],
      [
        'a baseline change outside a change request',
        'PATCH',
        '/milestones/11',
        { baselineDate: '2016-10-04', version: 2 },
        422,
        'baselineDate',
      ],
      [
        'a count given as a string',
        'POST',
        '/projects/SWAR/outputs/JOBS_CREATED/actuals',
        { quarter: '2015-16 Q2', value: '12', claimKey: 'X' },
        400,
        'value',
      ],
      [
        'a count with decimals',
        'POST',
        '/projects/SWAR/outputs/JOBS_CREATED/actuals',
        { quarter: '2015-16 Q2', value: 1.5, claimKey: 'X' },
        400,
        'value',
      ],
      [
        'km with two places',
        'POST',
        '/projects/SWAR/outputs/ROAD_NEW/actuals',
        { quarter: '2015-16 Q2', value: '1.25', claimKey: 'X' },
        400,
        'value',
      ],
      [
        'hectares as a number',
        'POST',
        '/projects/SWAR/outputs/SITE_AREA/actuals',
        { quarter: '2015-16 Q2', value: 3, claimKey: 'X' },
        400,
        'value',
      ],
      [
        'an output claim for a future quarter',
        'POST',
        '/projects/SWAR/outputs/JOBS_CREATED/actuals',
        { quarter: '2016-17 Q1', value: 3, claimKey: 'X' },
        422,
        'quarter',
      ],
      [
        'an output claim for a locked quarter',
        'POST',
        '/projects/SWAR/outputs/JOBS_CREATED/actuals',
        { quarter: '2015-16 Q1', value: 3, claimKey: 'X' },
        409,
        'quarter',
      ],
      ['an override without a reason', 'PUT', '/projects/SWAR/rag-override', { rag: 'red', version: 1 }, 400, 'reason'],
    ])('%s', async (_, method, path, body, status, field) => {
      const res = await t.request(method, `${P}${path}`, body);
      expect(res.status).toBe(status);
      const fields = res.body.details?.problems
        ? res.body.details.problems.map((p: { field: string }) => p.field)
        : [res.body.details?.field];
      expect(fields).toContain(field);
      expect(res.body.message).toContain(field);
    });
  });

  it('imports actuals from a CSV in one audited step, and refuses a bad file whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-csv-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'project,sourceKind,quarter,actual\nSWAR,LGF,2015-16 Q2,"185,000.50"\nSWAR,LGF,2015-16 Q3,10\nNOPE,LGF,2015-16 Q2,1\nAMSH,LGF,2015-16 Q2,1.234\n',
    );
    const finance = ['--as', await t.userFor('finance')];
    const before = await tableCounts(t.ds);
    const r1 = await cli(t, ['actuals', 'import', bad, ...finance]);
    expect(r1.code).toBe(2);
    expect(r1.err.split('\n')[0]).toMatch(/^line 3, quarter/);
    expect(r1.err).toContain('line 3, quarter: 2015-16 Q3 is after the reporting quarter 2015-16 Q2');
    expect(r1.err).toContain('line 4, project: project "NOPE" does not exist');
    expect(r1.err).toContain('line 5, actual: "1.234" must be a number of pounds with at most two decimal places');
    expect(r1.err).toContain('nothing imported: 3 problems in bad.csv');
    expect(await tableCounts(t.ds)).toEqual(before);

    const good = join(dir, 'good.csv');
    const text =
      'project,sourceKind,quarter,actual,note\nSWAR,LGF,2015-16 Q2,"185,000.50",ledger\nAMSH,LGF,2015-16 Q2,£1200,\n';
    writeFileSync(good, text);
    // SWAR's Q2 actual is recorded already: without --replace every amount is shown back, the
    // conflicting line is named with both figures, and nothing is written.
    const sha = createHash('sha256').update(text).digest('hex');
    const refused = await cli(t, ['actuals', 'import', good, ...finance]);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe(
      'line 2\tSWAR\tLGF\t2015-16 Q2\t£185,000.50\treplaces £180,000.00 → £185,000.50\n' +
        'line 3\tAMSH\tLGF\t2015-16 Q2\t£1,200.00\tnew\n',
    );
    expect(refused.err).toBe(
      'line 2, actual: SWAR LGF 2015-16 Q2 already has £180,000.00; the file says £185,000.50 (--replace replaces it)\n' +
        'nothing imported: 1 problem in good.csv\n',
    );
    expect(await tableCounts(t.ds)).toEqual(before);

    const r2 = await cli(t, ['actuals', 'import', good, '--replace', ...finance]);
    expect(r2.err).toBe('');
    expect(r2.code).toBe(0);
    expect(r2.out).toBe(
      'line 2\tSWAR\tLGF\t2015-16 Q2\t£185,000.50\treplaces £180,000.00 → £185,000.50\n' +
        'line 3\tAMSH\tLGF\t2015-16 Q2\t£1,200.00\tnew\n' +
        `imported 2 actuals into SSLEP-GD-2014 from good.csv (sha256 ${sha})\n`,
    );
    const s = await t.request('GET', `${P}/projects/SWAR/spend`);
    expect(s.body.profile.find((l: { quarter: string }) => l.quarter === '2015-16 Q2').actual).toBe('185000.50');
    const audit = await t.request('GET', `${P}/audit?limit=1`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'import_actuals',
      meta: { file: 'good.csv', sha256: sha, rows: 2, replaced: 1, unchanged: 0 },
    });
    expect(audit.body.items[0].after[0]).toEqual({
      line: 2,
      project: 'SWAR',
      sourceKind: 'LGF',
      quarter: '2015-16 Q2',
      before: '180000.00',
      after: '185000.50',
      note: 'ledger',
    });

    // The same file again changes nothing and records nothing.
    const audits = await t.ds.getRepository(AuditEntry).count();
    const again = await cli(t, ['actuals', 'import', good, ...finance]);
    expect([again.code, again.err]).toEqual([0, '']);
    expect(again.out).toBe(
      'line 2\tSWAR\tLGF\t2015-16 Q2\t£185,000.50\tunchanged\n' +
        'line 3\tAMSH\tLGF\t2015-16 Q2\t£1,200.00\tunchanged\n' +
        `imported 0 actuals into SSLEP-GD-2014 from good.csv (sha256 ${sha})\n`,
    );
    expect(await t.ds.getRepository(AuditEntry).count()).toBe(audits);

    const shown = await cli(t, ['audit', '--programme', 'SSLEP-GD-2014', '--project', 'SWAR', '--limit', '2']);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/entries for SWAR in SSLEP-GD-2014; newest 2:/);
  });
});
