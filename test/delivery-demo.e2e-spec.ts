import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPounds, parsePounds } from '../src/common/money';
import { DemoService } from '../src/demo/demo.service';
import { ReturnVersion } from '../src/periods/return-version.entity';
import { readSnapshots } from '../src/periods/return-snapshot';
import { SpendProfileLine } from '../src/spend/spend.entities';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

describe.each(databaseKinds())('the illustrative demo history on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it('closes every quarter but the last with real, checked submissions whose warnings carry illustrative comments', async () => {
    const rvs = await t.ds.manager.find(ReturnVersion, { order: { quarter: 'ASC' } });
    expect(rvs.map((r) => r.quarter)).toEqual([
      '2015-16 Q1',
      '2015-16 Q2',
      '2015-16 Q3',
      '2015-16 Q4',
      '2016-17 Q1',
      '2016-17 Q2',
      '2016-17 Q3',
    ]);
    const snapshots = await readSnapshots(
      t.ds.manager,
      rvs.map((r) => r.id),
    );
    for (const r of rvs) {
      expect([r.version, r.status, r.submittedBy]).toEqual([1, 'submitted', 'demo finance officer (illustrative)']);
      const snapshot = snapshots.get(r.id)!;
      expect(r.snapshotSha256).toBe(createHash('sha256').update(snapshot).digest('hex'));
      expect(r.xlsxSha256).toBe(createHash('sha256').update(Buffer.from(r.xlsxBase64!, 'base64')).digest('hex'));
      const doc = JSON.parse(snapshot);
      expect(doc.cover).toMatchObject({ quarter: r.quarter, status: 'submitted', version: 1 });
      expect(doc.cover.checkCounts.error).toBe(0);
      const warnings = doc.checks.filter((c: { severity: string }) => c.severity === 'warning');
      expect(warnings.length).toBeGreaterThan(0);
      for (const w of warnings) expect(w.comment).toMatch(/^ILLUSTRATIVE comment \(demo data\): /);
      expect(Object.keys(r.comments ?? {}).sort()).toEqual(
        [...new Set(warnings.map((w: { code: string }) => w.code))].sort(),
      );
      expect(doc.finance.lines).toHaveLength(16);
    }
  });

  it('profiles every project-level allocation so its baselines sum exactly to it, and flags it illustrative', async () => {
    const s = await t.request('GET', `${P}/spend`);
    expect(s.status).toBe(200);
    expect(s.body.reportingQuarter).toBe('2016-17 Q4');
    expect(s.body.illustrative).toBe(true);
    expect(s.body.lines).toHaveLength(16);
    for (const l of s.body.lines) {
      expect(l.baselineTotal).toBe(l.allocation);
      expect(l.forecastProgramme).toBe(l.allocation); // closed-quarter shortfalls are re-forecast, never lost
    }
    expect(s.body.programme.allocation).toBe('86600000.00');
    expect(
      s.body.lines.find((l: { project: string; sourceKind: string }) => l.project === 'AMSH' && l.sourceKind === 'LGF'),
    ).toMatchObject({
      forecastYear: '3305100.00',
      spendToDate: '6675750.00',
      spendInQuarter: '341550.00',
      slippageYear: '-144900.00',
    });
    expect(s.body.lastReturn).toEqual({ quarter: '2016-17 Q3', version: 1, varianceAvailable: true, reason: null });
    // Since the 2016-17 Q3 return, only Q3 moved from forecast to actual: the variance is Σ (actual − forecast) of Q3, by hand from the file.
    const demo = JSON.parse(readFileSync(join(__dirname, '..', 'seeds', 'demo-delivery.json'), 'utf8')) as {
      spend: { quarters: [string, string, string, string | null][] }[];
    };
    const q3 = demo.spend
      .flatMap((l) => l.quarters.filter((q) => q[0] === '2016-17 Q3'))
      .reduce((sum, q) => sum + parsePounds(q[3]!) - parsePounds(q[2]), 0);
    expect(s.body.programme.varianceToLastReturn).toBe(formatPounds(q3));
    expect(await t.ds.manager.count(SpendProfileLine, { where: { illustrative: false } })).toBe(0);
    const p = await t.request('GET', `${P}/projects/BRANSTON/spend`);
    expect(p.body.profile.every((l: { illustrative: boolean }) => l.illustrative)).toBe(true);
    expect(p.body.profile.slice(0, 4).map((l: { quarter: string; locked: boolean }) => [l.quarter, l.locked])).toEqual([
      ['2016-17 Q1', true],
      ['2016-17 Q2', true],
      ['2016-17 Q3', true],
      ['2016-17 Q4', false],
    ]);
    // No actual exceeds its forecast, and none is negative.
    const over = await t.ds.manager
      .createQueryBuilder(SpendProfileLine, 's')
      .where('s.actual_pence > s.forecast_pence OR s.actual_pence < 0')
      .getCount();
    expect(over).toBe(0);
  });

  it('explains its RAG: SWAR finance amber at 91.4 %, BRANSTON completion forecast 45 days late', async () => {
    const rag = await t.request('GET', `${P}/rag`);
    const by = Object.fromEntries(rag.body.projects.map((p: { project: string }) => [p.project, p]));
    // Finance answers three questions (DESIGN.md, 2026-12): the 91.4 % is risk to spend, not overspend.
    expect(by.SWAR.finance).toMatchObject({
      rag: 'amber',
      numbers: { overspend: 'green', riskToSpend: 'amber' },
      parts: {
        riskToSpend: { rag: 'amber', numbers: { forecast: '8343074.00', baseline: '9122009.00', share: '91.4%' } },
      },
    });
    // BRANSTON's start on site was done 45 days late (blue); its open completion is forecast 45 days late: amber.
    expect(by.BRANSTON.milestones.rag).toBe('amber');
    expect(by.BRANSTON.milestones.explanation).toContain(
      'forecast 2019-05-13 is 45 days after the baseline 2019-03-29',
    );
    // LSTP's late milestones are complete: blue, so its milestones are no longer red for ever.
    expect(by.LSTP.milestones.rag).toBe('green');
    expect(by.MEAFORD.milestones.explanation).toContain(
      'forecast date 2017-02-15 is before the end of the reporting quarter (2017-03-31) and no actual date is recorded',
    );
  });

  it('counts the deliberate double jobs claim once', async () => {
    const o = await t.request('GET', `${P}/outputs`);
    expect(o.body.illustrative).toBe(true);
    expect(o.body.metrics.find((x: { metric: string }) => x.metric === 'JOBS_CREATED')).toMatchObject({
      claimed: 147,
      doubleClaimRemoved: 30,
      cumulative: 117,
      programmeTarget: { value: 5000 },
    });
    expect(o.body.doubleClaims).toHaveLength(1);
    expect(o.body.doubleClaims[0]).toMatchObject({
      claimKey: 'EMPLOYER:NORTHGATE LOGISTICS',
      counted: 45,
      removed: 30,
    });
    const proj = await t.request('GET', `${P}/projects/SWAR/outputs`);
    const road = proj.body.metrics.find((x: { metric: string }) => x.metric === 'ROAD_NEW');
    expect(road).toMatchObject({ target: '2.100', cumulative: '0.350' });
    expect(road.actuals[0]).toMatchObject({ value: '0.350', illustrative: true });
    const ms = await t.request('GET', `${P}/projects/BRANSTON/milestones`);
    expect(
      ms.body.items.every(
        (x: { illustrative: boolean; source: { illustrative: boolean } }) => x.illustrative && x.source.illustrative,
      ),
    ).toBe(true);
  });

  it('loads once: a second start loads nothing', async () => {
    const before = await tableCounts(t.ds);
    expect(await t.app.get(DemoService).load()).toEqual({ loaded: false, rows: 0 });
    expect(await tableCounts(t.ds)).toEqual(before);
    const audit = await t.request('GET', `${P}/audit?limit=1`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'seed_demo',
      after: { illustrative: true },
      meta: { file: 'demo-delivery.json' },
    });
  });
});
