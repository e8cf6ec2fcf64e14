import { addQuarters, formatQuarter, quarterUrl } from '../src/common/fiscal';
import { databaseKinds } from './support/databases';
import { RequestFn, startTestApp, TestApp } from './support/test-app';

/**
 * Issue 14's "Done when": a fictional programme entered from nothing through the API alone
 * (an empty database: no seed, no demo), then 24 quarters of actuals and submitted returns with
 * a slippage between years, a re-profile of quarters, a project withdrawn after spending, its
 * unspent money reallocated to an existing and to a new project, and an envelope reduction.
 * Every quarter's return is submittable; at the end every total is exact to the penny.
 */
const CODE = 'FICT-GD';
const P = `/api/programmes/${CODE}`;
const QUARTERS = Array.from({ length: 24 }, (_, i) => formatQuarter(addQuarters({ year: 2015, q: 1 }, i)));
const pounds = (pence: number) => (pence / 100).toFixed(2);
/** n quarters from `from`, `each` pounds apiece. */
const profile = (from: string, n: number, each: string) =>
  Array.from({ length: n }, (_, i) => ({ quarter: QUARTERS[QUARTERS.indexOf(from) + i], amount: each }));

describe.each(databaseKinds())('a fictional programme from nothing, 24 quarters, on %s', (kind) => {
  let t: TestApp;
  let finance: RequestFn;
  let approver: RequestFn;
  beforeAll(async () => {
    t = await startTestApp(kind, { SEED_ON_START: 'false' });
    finance = await t.as('finance');
    approver = await t.as('approver');
  });
  afterAll(async () => t?.close());

  /** Drafted and submitted by finance, approved by an approver: the whole path over HTTP. */
  async function change(kind: string, payload: unknown) {
    const d = await finance('POST', `${P}/change-requests`, { kind, title: kind, reason: 'fictional', payload });
    expect([d.status, d.body.message]).toEqual([201, undefined]);
    const s = await finance('POST', `${P}/change-requests/${d.body.number}/submit`, {});
    expect([s.status, s.body.message]).toEqual([200, undefined]);
    const a = await approver('POST', `${P}/change-requests/${d.body.number}/approve`, { reason: 'board' });
    expect([a.status, a.body.message]).toEqual([200, undefined]);
    return a.body;
  }
  async function allocationId(project: string) {
    const items = (await t.request('GET', `${P}/allocations?limit=500`)).body.items;
    const mine = items.filter(
      (a: { project: string; commitmentStatus: string }) => a.project === project && a.commitmentStatus !== 'withdrawn',
    );
    expect(mine).toHaveLength(1);
    return mine[0].id as number;
  }

  it('walks the programme from its first approval to its final return', async () => {
    expect(
      (
        await t.request('POST', '/api/programmes', {
          code: CODE,
          name: 'Fictional Growth Deal',
          startsOn: '2015-04-01',
          endsOn: '2021-03-31',
          firstQuarter: '2015-16 Q1',
        })
      ).status,
    ).toBe(201);
    const headline = await t.request('POST', `${P}/headlines`, {
      code: 'LGF-AWARD',
      measure: 'LGF_TOTAL',
      label: 'Local Growth Fund award',
      qualifier: 'exact',
      unit: 'pounds',
      value: '10000000.00',
      precision: '100000.00',
      rule: { allocations: { sourceKinds: ['LGF'] } },
      source: { document: 'Fictional deal letter', quote: 'a Local Growth Fund award of £10.0m' },
    });
    expect([headline.status, headline.body.message]).toEqual([201, undefined]);

    // The approved deal: envelopes, projects with baselines, programme-level money.
    await change('envelope_change', { sourceKind: 'LGF', delta: '10000000.00' });
    await change('envelope_change', { sourceKind: 'REVENUE_GRANT', delta: '100000.00' });
    const add = (code: string, amount: string, baseline: { quarter: string; amount: string }[]) =>
      change('add_project', {
        code,
        name: `Scheme ${code}`,
        status: 'in_delivery',
        allocations: [{ sourceKind: 'LGF', period: 'unprofiled', amount, commitmentStatus: 'confirmed', baseline }],
      });
    await add('ALPHA', '4000000.00', profile('2015-16 Q1', 8, '500000.00'));
    await add('BETA', '3000000.00', profile('2016-17 Q1', 12, '250000.00'));
    await add('GAMMA', '3000000.00', profile('2015-16 Q1', 12, '250000.00'));
    const hub = await change('reallocation', {
      lines: [
        {
          new: { sourceKind: 'REVENUE_GRANT', period: '2015-16', commitmentStatus: 'confirmed' },
          amount: '100000.00',
        },
      ],
    });
    expect(hub.after.allocations[0]).toMatchObject({ project: null, pool: null, amount: '100000.00' });

    // Scripted events, by quarter index, before that quarter's actuals.
    const slipped = new Map<string, number>(); // "project|quarter" → pence moved out of the quarter
    for (const [i, q] of QUARTERS.entries()) {
      if (i === 3) {
        // Slippage between years: GAMMA spends 100,000 of its 250,000 in 2015-16 Q4 and forecasts
        // the other 150,000 in 2016-17 Q1.
        slipped.set(`GAMMA|${q}`, -15_000_000);
        slipped.set(`GAMMA|${QUARTERS[4]}`, 15_000_000);
      }
      if (i === 4) {
        // A re-profile of quarters: BETA moves 250,000 of baseline from 2017-18 Q1 to 2017-18 Q3.
        await change('reprofile_spend', {
          project: 'BETA',
          sourceKind: 'LGF',
          lines: [
            { quarter: '2017-18 Q1', delta: '-250000.00' },
            { quarter: '2017-18 Q3', delta: '250000.00' },
          ],
        });
      }
      if (i === 6) {
        // ALPHA has spent six quarters (3,000,000) and is withdrawn; 1,000,000 is released.
        const w = await change('withdraw_project', { project: 'ALPHA' });
        expect(w.after.spent).toEqual([
          { sourceKind: 'LGF', allocated: '4000000.00', spent: '3000000.00', released: '1000000.00' },
        ]);
        // Its unspent money: 400,000 to BETA (existing), 600,000 to DELTA (new).
        await change('reallocation', { lines: [{ allocationId: await allocationId('BETA'), delta: '400000.00' }] });
        await add('DELTA', '600000.00', profile('2017-18 Q1', 4, '150000.00'));
      }
      if (i === 10) {
        // The funder recovers 200,000 of GAMMA's unspent award.
        await change('reduce_allocation', {
          allocationId: await allocationId('GAMMA'),
          amount: '200000.00',
          mode: 'reduce_envelope',
          reason: 'Scheme delivered under budget; award recovered',
          reference: 'Funder letter 2017/11',
        });
      }
      // This quarter's figures: forecast and actual = baseline, except the slippage.
      for (const project of ['ALPHA', 'BETA', 'GAMMA', 'DELTA']) {
        const s = await t.request('GET', `${P}/projects/${project}/spend`);
        if (s.status === 404) continue;
        const row = s.body.profile.find((x: { quarter: string }) => x.quarter === q);
        const base = row ? Math.round(Number(row.baseline) * 100) : 0;
        const amount = base + (slipped.get(`${project}|${q}`) ?? 0);
        if (!row && amount === 0) continue;
        if (row && amount === 0 && row.forecast === '0.00') continue;
        // Forecasts are the programme manager's (here the admin); actuals and returns finance's.
        const f = await t.request('PUT', `${P}/projects/${project}/spend/forecast`, {
          sourceKind: 'LGF',
          quarter: q,
          forecast: pounds(amount),
          ...(row ? { version: row.version } : {}),
        });
        expect([q, project, f.status, f.body.message]).toEqual([q, project, 200, undefined]);
        const a = await finance('PUT', `${P}/projects/${project}/spend/actual`, {
          sourceKind: 'LGF',
          quarter: q,
          actual: pounds(amount),
          version: f.body.version,
        });
        expect([q, project, a.status, a.body.message]).toEqual([q, project, 200, undefined]);
      }
      const draft = await t.request('GET', `${P}/returns/${quarterUrl(q)}`);
      const checks = draft.body.return.checks as { code: string; severity: string; message: string }[];
      expect([q, checks.filter((c) => c.severity === 'error')]).toEqual([q, []]);
      expect([q, draft.body.submittable]).toEqual([q, true]);
      const comments = Object.fromEntries(
        checks.filter((c) => c.severity === 'warning').map((c) => [c.code, 'explained to the board']),
      );
      const sub = await finance('POST', `${P}/returns/${quarterUrl(q)}/submit`, { comments });
      expect([q, sub.status, sub.body.message]).toEqual([q, 201, undefined]);
    }

    // Every total exact to the penny: LGF spend to date = the envelope after the reduction.
    const spend = (await t.request('GET', `${P}/spend`)).body;
    const bySource = Object.fromEntries(spend.bySource.map((s: { sourceKind: string }) => [s.sourceKind, s]));
    expect(bySource.LGF).toMatchObject({
      allocation: '9800000.00',
      baselineTotal: '9800000.00',
      spendToDate: '9800000.00',
      forecastProgramme: '9800000.00',
    });
    expect(
      Object.fromEntries(
        spend.byProject.map((p: { project: string; allocation: string; spendToDate: string }) => [
          p.project,
          [p.allocation, p.spendToDate],
        ]),
      ),
    ).toEqual({
      ALPHA: ['3000000.00', '3000000.00'],
      BETA: ['3400000.00', '3400000.00'],
      GAMMA: ['2800000.00', '2800000.00'],
      DELTA: ['600000.00', '600000.00'],
    });
    const env = (await t.request('GET', `${P}/envelope`)).body.items;
    expect(
      env.map((e: { sourceKind: string; envelope: string; approved: string; headroom: string }) => [
        e.sourceKind,
        e.envelope,
        e.approved,
        e.headroom,
      ]),
    ).toEqual([
      ['LGF', '9800000.00', '9800000.00', '0.00'],
      ['REVENUE_GRANT', '100000.00', '100000.00', '0.00'],
    ]);
    expect((await t.request('GET', `${P}/returns`)).body.items.length).toBe(24);

    // Issue 16, "two clocks": at programme close (the final quarter submitted) nothing is "not
    // yet submitted", and spend to date counts every submitted quarter. The last spend is in 2018-19
    // Q4, but the chart runs to the last submitted quarter, 2020-21 Q4, the total flat after it.
    const page = (await t.anonymous('GET', `/programmes/${CODE}`)).text.replace(/\s+/g, ' ');
    expect(page).not.toContain('not yet submitted');
    expect(page).toContain('Every quarterly return has been submitted, the last for 2020-21 Q4 (the final quarter).');
    const overview = (await t.anonymous('GET', `${P}/overview`)).body;
    const spendToDate = overview.sections.find((x: { id: string }) => x.id === 'spend-to-date').data;
    expect(spendToDate).toMatchObject({
      lastSubmittedQuarter: '2020-21 Q4',
      notYetSubmitted: null,
      spentToDate: '9800000.00',
    });
    expect(spendToDate.quarters).toHaveLength(24);
    expect(
      spendToDate.quarters
        .slice(15)
        .map((q: { quarter: string; cumulativeActual: string }) => [q.quarter, q.cumulativeActual]),
    ).toEqual(
      [
        '2018-19 Q4',
        '2019-20 Q1',
        '2019-20 Q2',
        '2019-20 Q3',
        '2019-20 Q4',
        '2020-21 Q1',
        '2020-21 Q2',
        '2020-21 Q3',
        '2020-21 Q4',
      ].map((q) => [q, '9800000.00']),
    );
    expect(page).toContain('By the end of 2020-21 Q4, the last quarter whose return has been submitted,');
    const project = (await t.anonymous('GET', `/programmes/${CODE}/projects/BETA`)).text;
    expect(project).not.toContain('not yet submitted');

    // The reconciliation states the headline's variance: the award was 10.0m, 0.2m recovered.
    const rec = (await t.request('GET', `${P}/reconciliation`)).body;
    const line = rec.lines.find((l: { headlineCode: string }) => l.headlineCode === 'LGF-AWARD');
    // It names the change request that made the difference (the reduce_envelope above).
    const reduction = (await t.request('GET', `${P}/change-requests?kind=reduce_allocation`)).body.items[0];
    expect(line).toMatchObject({
      status: 'unreconciled',
      stated: '10000000.00',
      computed: '9800000.00',
      variance: '-200000.00',
      explanation: `The project-level allocations add up to £9.8m, £0.2m less than the £10.0m stated. The difference is what approved change request ${reduction.number} (reduce_allocation: “reduce_allocation”) moved.`,
    });
  }, 300_000); // 24 submitted returns: minutes on a loaded 2-core machine
});
