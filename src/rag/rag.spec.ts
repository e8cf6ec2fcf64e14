import fc from 'fast-check';
import {
  combine,
  DEFAULT_THRESHOLDS,
  financeRag,
  milestoneRag,
  outputRag,
  overallRag,
  thresholdsOf,
  worst,
} from './rag';

const fin = (forecastPence: number, basisPence = 100_000) =>
  financeRag({ year: '2016-17', forecastPence, basisPence, basis: 'baseline' });

describe('finance RAG boundaries (95 / 85 / 105 %)', () => {
  it.each([
    [105_001, 'red'], // just above 105 %: overspend
    [105_000, 'green'], // exactly 105 %
    [100_000, 'green'],
    [95_000, 'green'], // exactly 95 %
    [94_999, 'amber'], // a penny below 95 %
    [85_000, 'amber'], // exactly 85 %
    [84_999, 'red'], // a penny below 85 %
    [0, 'red'],
  ])('forecast %i pence of 100,000 → %s', (f, rag) => {
    expect(fin(f).rag).toBe(rag);
  });

  it('explains with the numbers', () => {
    const r = fin(94_999);
    expect(r.numbers).toEqual({ year: '2016-17', forecast: '949.99', baseline: '1000.00', share: '94.9%' });
    expect(r.explanation).toBe('forecast £949.99 is 94.9% of the baseline £1000.00 for 2016-17: between 85% and 95%');
  });

  it('nothing planned and nothing forecast is not judged; spend against nothing is overspend', () => {
    expect(fin(0, 0).rag).toBe('none');
    expect(fin(1, 0).rag).toBe('red');
  });

  it('uses per-programme thresholds', () => {
    const t = thresholdsOf({ financeGreenMin: 90 });
    expect(financeRag({ year: '2016-17', forecastPence: 90, basisPence: 100, basis: 'allocation' }, t).rag).toBe(
      'green',
    );
    expect(t.financeAmberMin).toBe(85);
  });

  it('is exact on large sums (no float rounding at the 95 % line)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (b) => {
        const at95 = (b * 95) / 100;
        if (Number.isInteger(at95)) {
          expect(fin(at95, b).rag).toBe('green');
          expect(fin(at95 - 1, b).rag).toBe('amber');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('milestone RAG boundaries (0 / 1 / 90 / 91 days, past forecast without actual)', () => {
  const end = '2016-12-31';
  const m = (
    forecastDate: string | null,
    actualDate: string | null = null,
    baselineDate: string | null = '2017-06-01',
  ) => milestoneRag({ baselineDate, forecastDate, actualDate, reportingQuarterEnd: end });
  it.each([
    ['2017-05-31', 'green', -1],
    ['2017-06-01', 'green', 0],
    ['2017-06-02', 'amber', 1],
    ['2017-08-30', 'amber', 90],
    ['2017-08-31', 'red', 91],
  ])('forecast %s against baseline 2017-06-01 → %s (%i days)', (f, rag, days) => {
    const r = m(f);
    expect(r.rag).toBe(rag);
    expect(r.numbers.slipDays).toBe(days);
  });

  it('a forecast date before the end of the reporting quarter with no actual is red', () => {
    const r = m('2016-12-30', null, '2017-01-01');
    expect(r.rag).toBe('red');
    expect(r.explanation).toContain('before the end of the reporting quarter (2016-12-31)');
  });

  it('a forecast on the last day of the reporting quarter is not yet past', () => {
    expect(m('2016-12-31', null, '2016-12-31').rag).toBe('green');
  });

  it('an actual date is judged against the baseline instead', () => {
    expect(m('2016-10-01', '2016-10-01', '2016-09-01').rag).toBe('amber');
    expect(m('2016-06-01', '2016-06-01', '2016-09-01').rag).toBe('green');
  });

  it('no baseline is not judged; cancelled is not judged', () => {
    expect(m('2017-06-01', null, null).rag).toBe('none');
    expect(
      milestoneRag({
        baselineDate: '2017-01-01',
        forecastDate: '2016-01-01',
        actualDate: null,
        reportingQuarterEnd: end,
        cancelled: true,
      }).rag,
    ).toBe('none');
  });

  it('uses per-programme thresholds', () => {
    const t = thresholdsOf({ milestoneAmberMaxDays: 30 });
    expect(
      milestoneRag(
        { baselineDate: '2017-06-01', forecastDate: '2017-07-01', actualDate: null, reportingQuarterEnd: end },
        t,
      ).rag,
    ).toBe('amber');
    expect(
      milestoneRag(
        { baselineDate: '2017-06-01', forecastDate: '2017-07-02', actualDate: null, reportingQuarterEnd: end },
        t,
      ).rag,
    ).toBe('red');
  });
});

describe('output RAG boundaries (90 / 75 %)', () => {
  it.each([
    [1000, 'green'],
    [900, 'green'], // exactly 90 %
    [899, 'amber'],
    [750, 'amber'], // exactly 75 %
    [749, 'red'],
  ])('forecast %i of target 1000 → %s', (f, rag) => {
    expect(outputRag({ metric: 'JOBS_CREATED', forecast: f, target: 1000 }).rag).toBe(rag);
  });

  it('no target or no forecast is not judged', () => {
    expect(outputRag({ metric: 'JOBS_CREATED', forecast: 5, target: null }).rag).toBe('none');
    expect(outputRag({ metric: 'JOBS_CREATED', forecast: null, target: 5 }).rag).toBe('none');
  });

  it('explains in the metric unit', () => {
    const r = outputRag({ metric: 'ROAD_NEW', forecast: 1250, target: 2000, display: (v) => (v / 1000).toFixed(3) });
    expect(r.explanation).toBe('ROAD_NEW: forecast 1.250 is 62.5% of the target 2.000: below 75%');
  });
});

describe('overall RAG', () => {
  const g = fin(100_000);
  const a = fin(90_000);
  const r = fin(10_000);
  it('is the worst of three, none ignored', () => {
    expect(
      overallRag(
        { finance: g, milestones: a, outputs: outputRag({ metric: 'X', forecast: null, target: null }) },
        { rag: null, reason: null },
      ).rag,
    ).toBe('amber');
    expect(overallRag({ finance: g, milestones: a, outputs: r }, { rag: null, reason: null }).rag).toBe('red');
  });
  it('an override wins and keeps the computed colour and the reason', () => {
    const o = overallRag({ finance: g, milestones: a, outputs: r }, { rag: 'amber', reason: 'recovery plan agreed' });
    expect(o).toMatchObject({ rag: 'amber', computed: 'red', overridden: true });
    expect(o.explanation).toBe('overridden to amber (computed red): recovery plan agreed');
  });
  it('combine keeps counts and the worst reason', () => {
    const c = combine('milestones', [g, a, r]);
    expect(c.rag).toBe('red');
    expect(c.numbers).toEqual({ green: 1, amber: 1, red: 1, items: 3 });
    expect(worst([])).toBe('none');
  });
  it('defaults are DESIGN.md', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      financeGreenMin: 95,
      financeAmberMin: 85,
      financeOverspendAbove: 105,
      milestoneAmberMaxDays: 90,
      outputGreenMin: 90,
      outputAmberMin: 75,
    });
  });
});
