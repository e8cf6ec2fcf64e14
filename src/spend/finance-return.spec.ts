import { financeAsAt, financeProblems } from './finance-return';

const line = (quarter: string, b: number, f: number, a: number | null) => ({
  project: 'P',
  sourceKind: 'LGF',
  quarter,
  baselinePence: b,
  forecastPence: f,
  actualPence: a,
  illustrative: false,
});
const YEAR: [string, string] = ['2015-16 Q1', '2015-16 Q4'];

describe('finance as at a quarter', () => {
  const spend = [
    line('2015-16 Q1', 100, 100, 90),
    line('2015-16 Q2', 100, 110, 95),
    line('2015-16 Q3', 100, 100, 100),
    line('2016-17 Q1', 100, 90, null),
  ];
  const adj = [
    {
      project: 'P',
      sourceKind: 'LGF',
      recordedInQuarter: '2015-16 Q2',
      correctsQuarter: '2015-16 Q1',
      amountPence: -5,
      reason: 'dup',
    },
  ];

  it('uses actuals before the quarter, forecasts from it on, and adjustments recorded up to it', () => {
    const [l] = financeAsAt('2015-16 Q2', YEAR, spend, adj, new Map([['P|LGF', 400]])).lines;
    // spend to date: 90 + 95 - 5; forecast: 90 (actual Q1) + 110 + 100 + 90 - 5; year: 90 + 110 + 100 - 5.
    expect(l).toMatchObject({
      allocation: 400,
      baselineTotal: 400,
      spendInQuarter: 90,
      spendToDate: 180,
      forecastProgramme: 385,
      forecastYear: 295,
      actualInQuarter: 95,
      adjustmentsInQuarter: -5,
    });
    // Later data does not leak into an earlier quarter's return.
    expect(financeAsAt('2015-16 Q1', YEAR, spend, adj, new Map([['P|LGF', 400]])).lines[0]).toMatchObject({
      spendToDate: 90,
      forecastProgramme: 400,
      adjustmentsInQuarter: 0,
    });
  });

  it('raises each problem exactly at its boundary', () => {
    const at = (a: number | null, alloc = 400, f = 100) =>
      financeProblems(
        financeAsAt(
          '2015-16 Q1',
          YEAR,
          [line('2015-16 Q1', 100, f, a), line('2015-16 Q2', 300, 0, null)],
          [],
          new Map([['P|LGF', alloc]]),
        ).lines,
      ).map((p) => p.code);
    expect(at(90)).toEqual([]); // exactly 10 % below: not more than 10 %
    expect(at(89)).toEqual(['SPEND_BELOW_BASELINE']);
    expect(at(null)).toEqual(['MISSING_ACTUAL']);
    expect(at(90, 399)).toEqual(['BASELINE_NOT_ALLOCATION']);
    expect(at(101, 400, 100)).toEqual(['FORECAST_BELOW_SPEND']);
  });
});
