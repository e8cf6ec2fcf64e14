import { SYSTEM_ACTOR } from '../src/auth/actor';
import { GeneratorService } from '../src/generator/generator.service';
import { planNational } from '../src/generator/plan';
import { PartnerUpdatesService } from '../src/partner-updates/partner-updates.service';
import { ReturnsService } from '../src/returns/returns.service';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Generated data passes the project's own checks and round trips: it stands at its reporting
 * quarter (no submitted return, so the first: 2015-16 Q1, ending 30 June 2015) on that return's
 * due date (31 July 2015), with nothing recorded after it.
 */
const PARAMS = { leps: 2, projects: 16, quarters: 12, seed: 23 };
const QUARTER = '2015-16 Q1';
const QUARTER_END = '2015-06-30';

describe.each(databaseKinds())('generated data round trips on %s', (kind) => {
  let t: TestApp;
  const plan = planNational(PARAMS);
  const codes = plan.seeds.map((s) => s.programme.code).sort();
  const count = async (sql: string) => Number((await t.ds.query(sql))[0].n);
  const synthetic = `JOIN programme g ON g.id = x.programme_id AND g.code LIKE 'SYN23-%'`;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const res = await t.app.get(GeneratorService).generate(PARAMS);
    expect(res.loaded).toBe(true);
  });
  afterAll(async () => t?.close());

  it('every generated programme stands at its reporting quarter on its due date: due, nothing overdue', async () => {
    const due = (await t.app.get(ReturnsService).dueReturns()).filter((d) => d.programme.startsWith('SYN23-'));
    expect(due.map((d) => d.programme)).toEqual(codes);
    for (const d of due)
      expect({ ...d, programmeName: undefined }).toEqual({
        programme: d.programme,
        programmeName: undefined,
        quarter: QUARTER,
        quarterEnd: QUARTER_END,
        dueOn: '2015-07-31',
        asOfDate: '2015-07-31',
        state: 'due',
        standing: 'due',
        overdue: [],
      });
  });

  it('nothing is recorded after the reporting quarter, and every milestone date lies inside its programme', async () => {
    expect(await count(`SELECT COUNT(*) AS n FROM milestone x ${synthetic}`)).toBe(5 * 16);
    expect(
      await count(`SELECT COUNT(*) AS n FROM milestone x ${synthetic} WHERE x.actual_date > '${QUARTER_END}'`),
    ).toBe(0);
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM milestone x ${synthetic}
          WHERE x.baseline_date < g.starts_on OR x.forecast_date < g.starts_on OR x.actual_date < g.starts_on
             OR x.baseline_date > g.ends_on OR x.forecast_date > g.ends_on`,
      ),
    ).toBe(0);
    // Milestones due by the quarter's end are done; none is open with its forecast passed (overdue).
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM milestone x ${synthetic} WHERE x.actual_date IS NULL AND x.forecast_date <= '${QUARTER_END}'`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM spend_profile x ${synthetic} WHERE x.actual_pence IS NOT NULL AND x.quarter > '${QUARTER}'`,
      ),
    ).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM output_actual x ${synthetic} WHERE x.quarter > '${QUARTER}'`)).toBe(
      0,
    );
    // The reporting quarter itself has its actuals: every live spend line of the quarter reports one.
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM spend_profile x ${synthetic} WHERE x.quarter = '${QUARTER}' AND x.actual_pence IS NULL`,
      ),
    ).toBe(0);
  });

  it("the reporting quarter's return has no errors and no overdue milestone, so it can be submitted", async () => {
    const returns = t.app.get(ReturnsService);
    for (const code of codes) {
      const doc = await returns.checks(code, QUARTER, SYSTEM_ACTOR);
      const found = doc.checks.map((c) => c.code);
      expect({ code, errors: doc.checks.filter((c) => c.severity === 'error') }).toEqual({ code, errors: [] });
      expect({ code, overdue: found.filter((c) => /OVERDUE/.test(c)) }).toEqual({ code, overdue: [] });
    }
    // One is submitted, a comment on each warning as anyone's submission needs.
    const doc = await returns.checks(codes[0], QUARTER, SYSTEM_ACTOR);
    const comments = Object.fromEntries(
      doc.checks.filter((c) => c.severity === 'warning').map((c) => [c.code, 'Synthetic data, checked.']),
    );
    const res = await returns.submit(codes[0], QUARTER, { comments }, SYSTEM_ACTOR);
    expect([res.quarter, res.version, res.reportingQuarter]).toEqual([QUARTER, 1, '2015-16 Q2']);
  });

  it('an unchanged partner template of every generated project imports with no problems and changes nothing', async () => {
    const partner = t.app.get(PartnerUpdatesService);
    let projects = 0;
    for (const s of plan.seeds.filter((x) => x.programme.code !== codes[0]))
      for (const p of s.projects) {
        const file = await partner.template(s.programme.code, p.code, QUARTER);
        const res = await partner.import(file.bytes, file.filename, {}, SYSTEM_ACTOR);
        expect(res).toEqual({
          programme: s.programme.code,
          project: p.code,
          quarter: QUARTER,
          rows: 0,
          unchanged: file.rows,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        projects++;
      }
    expect(projects).toBe(16 - plan.seeds.find((x) => x.programme.code === codes[0])!.projects.length);
    expect(projects).toBeGreaterThan(0);
  });
});
