import fc from 'fast-check';
import { deriveLine, FIGURE_KEYS, rollUp, SpendAggregate } from './spend-figures';

const pence = fc.integer({ min: 0, max: 10 ** 11 });
const agg = fc.record<SpendAggregate>({
  project: fc.constantFrom('ETRURIA', 'SWAR', 'AMSH', 'LSTP'),
  sourceKind: fc.constantFrom('LGF', 'LOCAL_MATCH', 'LGF_PROVISIONAL'),
  allocationPence: pence,
  baselineTotalPence: pence,
  baselineYearPence: pence,
  forecastYearPence: pence,
  forecastProgrammePence: pence,
  latestForecastTotalPence: pence,
  actualToDatePence: pence,
  actualInQuarterPence: pence,
  adjustmentsPence: fc.integer({ min: -(10 ** 9), max: 10 ** 9 }),
  adjustmentsYearPence: fc.integer({ min: -(10 ** 9), max: 10 ** 9 }),
  adjustmentsInQuarterPence: fc.integer({ min: -(10 ** 9), max: 10 ** 9 }),
  lastReturnForecastPence: fc.option(pence, { nil: null }),
});

describe('spend figures', () => {
  it('derives one line by hand', () => {
    const f = deriveLine({
      project: 'SWAR',
      sourceKind: 'LGF',
      allocationPence: 1_000_000,
      baselineTotalPence: 1_000_000,
      baselineYearPence: 400_000,
      forecastYearPence: 380_000,
      forecastProgrammePence: 990_000,
      latestForecastTotalPence: 1_000_000,
      actualToDatePence: 300_000,
      actualInQuarterPence: 50_000,
      adjustmentsPence: -2_500,
      adjustmentsYearPence: -2_500,
      adjustmentsInQuarterPence: 0,
      lastReturnForecastPence: 1_000_000,
    });
    expect(f).toMatchObject({
      spendToDatePence: 297_500,
      forecastYearPence: 377_500,
      forecastProgrammePence: 987_500,
      slippagePence: -12_500,
      slippageYearPence: -22_500,
      varianceToLastReturnPence: -12_500,
      spendInQuarterPence: 50_000,
    });
  });

  it('every roll-up is the exact sum of its lines (per project, per source, programme)', () => {
    fc.assert(
      fc.property(fc.array(agg, { maxLength: 12 }), (aggs) => {
        const r = rollUp(aggs);
        for (const k of FIGURE_KEYS) {
          const total = r.lines.reduce((s, l) => s + Number(l.figures[k]), 0);
          expect(r.programme[k]).toBe(total);
          expect(r.byProject.reduce((s, p) => s + Number(p.figures[k]), 0)).toBe(total);
          expect(r.bySource.reduce((s, p) => s + Number(p.figures[k]), 0)).toBe(total);
        }
        const variances = r.lines.map((l) => l.figures.varianceToLastReturnPence);
        expect(r.programme.varianceToLastReturnPence).toBe(
          variances.length && variances.every((v) => v !== null)
            ? variances.reduce<number>((s, v) => s + Number(v!), 0)
            : null,
        );
      }),
      { numRuns: 100 },
    );
  });
});
