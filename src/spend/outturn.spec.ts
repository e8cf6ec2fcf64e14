import { outturnOf } from './outturn';

/** Hand-worked: what each figure means as at 2016-17 Q2 (pence). */
describe('outturnOf', () => {
  const lines = [
    { quarter: '2016-17 Q1', forecastPence: 100, actualPence: 90 }, // closed: its actual
    { quarter: '2016-17 Q2', forecastPence: 200, actualPence: 150 }, // the as-at quarter: forecast in outturn, actual to date
    { quarter: '2016-17 Q3', forecastPence: 300, actualPence: 999 }, // after: not yet reported
    { quarter: '2017-18 Q1', forecastPence: 400, actualPence: null },
  ];
  const adjustments = [
    { recordedInQuarter: '2016-17 Q2', correctsQuarter: '2016-17 Q1', amountPence: -10 }, // counts, in the quarter
    { recordedInQuarter: '2016-17 Q1', correctsQuarter: '2015-16 Q4', amountPence: 5 }, // counts, not in this year's outturn
    { recordedInQuarter: '2016-17 Q3', correctsQuarter: '2016-17 Q2', amountPence: 1000 }, // recorded later: not yet
  ];

  it('counts actuals up to the quarter, forecasts from it on, adjustments recorded up to it', () => {
    expect(outturnOf('2016-17 Q2', ['2016-17 Q1', '2016-17 Q4'], lines, adjustments)).toEqual({
      actualInQuarter: 150,
      adjustmentsInQuarter: -10,
      spendInQuarter: 140,
      actualToDate: 240,
      adjustmentsToDate: -5,
      spendToDate: 235,
      forecastProgramme: 90 + 200 + 300 + 400 - 5,
      forecastYear: 90 + 200 + 300 - 10,
    });
  });

  it('reports nothing before any quarter is reached', () => {
    const o = outturnOf('2015-16 Q1', ['2015-16 Q1', '2015-16 Q4'], lines, adjustments);
    expect([o.spendToDate, o.spendInQuarter, o.forecastProgramme, o.forecastYear]).toEqual([0, 0, 1000, 0]);
  });
});
