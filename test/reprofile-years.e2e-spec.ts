import { changeRequestSteps, P } from './support/change-requests';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';

/**
 * Issue 14, "Year moves lose their quotes and leave fragments": reprofile_years on the 2014
 * deal (no demo). Rows split off keep the deal's quote and name the change request; a year that
 * already has a row of the same project, source and commitment takes the money into that row;
 * a year before or after the programme, or a closed year (its Q4 return submitted), is refused
 * with a 422 naming the field and the years that may be given.
 */
interface Row {
  id: number;
  period: string;
  amount: string;
  commitmentStatus: string;
  changeRequest: number | null;
  source: { document: string; quote: string; printed: string | null } | null;
}

describe.each(databaseKinds())('reprofile_years on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  const steps = changeRequestSteps(() => t, { title: () => 'years', reason: 'slippage' });
  const draft = (payload: unknown) => steps.draft('reprofile_years', payload);
  const approved = (payload: unknown) => steps.approved('reprofile_years', payload);
  async function meafordLgf(): Promise<Row[]> {
    const items = (await t.request('GET', `${P}/allocations?project=MEAFORD&sourceKind=LGF&limit=100`)).body.items;
    return (items as Row[]).filter((a) => a.commitmentStatus !== 'withdrawn');
  }
  const byPeriod = async () => (await meafordLgf()).map((a) => [a.period, a.amount, a.changeRequest]);

  it('refuses a year before or after the programme with the years that may be given, writing nothing', async () => {
    const [meaford] = await meafordLgf();
    const before = await tableCounts(t.ds);
    const early = await draft({
      allocationId: meaford.id,
      periods: [
        { period: '2014-15', amount: '1200000.00' },
        { period: '2016-17', amount: '3000000.00' },
      ],
    });
    expect([early.status, early.body.code, early.body.message]).toEqual([
      422,
      'YEAR_OUTSIDE_PROGRAMME',
      'payload.periods[0].period: 2014-15 is before the programme starts: give a year from 2015-16 to 2020-21',
    ]);
    const late = await draft({
      allocationId: meaford.id,
      periods: [
        { period: '2016-17', amount: '1200000.00' },
        { period: '2020-21..2021-22', amount: '3000000.00' },
      ],
    });
    expect([late.status, late.body.code, late.body.message]).toEqual([
      422,
      'YEAR_OUTSIDE_PROGRAMME',
      'payload.periods[1].period: 2020-21..2021-22 is after the programme ends: give a year from 2015-16 to 2020-21',
    ]);
    expect(await tableCounts(t.ds)).toEqual(before);
  });

  it('keeps the quote on a split-off year and names the change request; merges into a year already held', async () => {
    const [meaford] = await meafordLgf();
    expect([meaford.period, meaford.amount, meaford.changeRequest, meaford.source?.quote]).toEqual([
      'unprofiled',
      '4200000.00',
      null,
      'Meaford employment site (£4.2m)',
    ]);
    const split = await approved({
      allocationId: meaford.id,
      periods: [
        { period: '2015-16', amount: '1200000.00' },
        { period: '2016-17', amount: '3000000.00' },
      ],
    });
    const rows = await meafordLgf();
    expect(rows.map((a) => [a.id === meaford.id, a.period, a.amount, a.changeRequest])).toEqual([
      [true, '2015-16', '1200000.00', null],
      [false, '2016-17', '3000000.00', split.number],
    ]);
    // The derived row keeps the deal's document and quote; the printed figure (£4.2m) is not its own.
    expect(rows[1].source).toMatchObject({
      document: meaford.source!.document,
      quote: 'Meaford employment site (£4.2m)',
      printed: null,
    });

    // 2016-17's money slips: 1,000,000 back into 2015-16 (which already has a row) and 2,000,000 to 2017-18.
    const slip = await approved({
      allocationId: rows[1].id,
      periods: [
        { period: '2015-16', amount: '1000000.00' },
        { period: '2017-18', amount: '2000000.00' },
      ],
    });
    expect(slip.after.merged).toEqual([{ period: '2015-16', into: meaford.id }]);
    expect(await byPeriod()).toEqual([
      ['2015-16', '2200000.00', null],
      ['2017-18', '2000000.00', split.number],
    ]);
    // Same total: the envelope did not move, and no two rows share a year.
    const lgf = (await t.request('GET', `${P}/envelope`)).body.items.find(
      (i: { sourceKind: string }) => i.sourceKind === 'LGF',
    );
    expect(lgf.approved).toBe('34600000.00');
  });

  it('refuses a closed year (its Q4 return submitted) both as the source and as a destination, saying which years are open', async () => {
    for (const q of ['2015-16-Q1', '2015-16-Q2', '2015-16-Q3', '2015-16-Q4']) {
      const draftReturn = await t.request('GET', `${P}/returns/${q}`);
      const checks = draftReturn.body.return.checks as { code: string; severity: string }[];
      expect([q, checks.filter((c) => c.severity === 'error')]).toEqual([q, []]);
      const comments = Object.fromEntries(
        checks.filter((c) => c.severity === 'warning').map((c) => [c.code, 'explained']),
      );
      const sub = await t.request('POST', `${P}/returns/${q}/submit`, { comments });
      expect([q, sub.status, sub.body.message]).toEqual([q, 201, undefined]);
    }
    const [y1516, y1718] = await meafordLgf();
    const before = await tableCounts(t.ds);
    const out = await draft({
      allocationId: y1516.id,
      periods: [
        { period: '2015-16', amount: '200000.00' },
        { period: '2016-17', amount: '2000000.00' },
      ],
    });
    expect([out.status, out.body.code, out.body.message]).toEqual([
      422,
      'YEAR_CLOSED',
      `payload.allocationId: allocation ${y1516.id} is for 2015-16, a closed year (its Q4 return has been submitted), so its money cannot move between years: to use what it did not spend elsewhere, release it with reduce_allocation (mode release) and draw it into an open year with a reallocation`,
    ]);
    const into = await draft({
      allocationId: y1718.id,
      periods: [
        { period: '2015-16', amount: '500000.00' },
        { period: '2017-18', amount: '1500000.00' },
      ],
    });
    expect([into.status, into.body.code, into.body.message]).toEqual([
      422,
      'YEAR_CLOSED',
      'payload.periods[0].period: 2015-16 is closed (its Q4 return has been submitted): money cannot be moved into it; give a year from 2016-17 (the first open year) to 2020-21',
    ]);
    expect(await tableCounts(t.ds)).toEqual(before);
    // The way forward works: an open year.
    await approved({
      allocationId: y1718.id,
      periods: [
        { period: '2016-17', amount: '500000.00' },
        { period: '2017-18', amount: '1500000.00' },
      ],
    });
    expect((await byPeriod()).map(([p, a]) => [p, a])).toEqual([
      ['2015-16', '2200000.00'],
      ['2017-18', '1500000.00'],
      ['2016-17', '500000.00'],
    ]);
  });
});
