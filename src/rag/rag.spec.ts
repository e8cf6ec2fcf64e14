import {
  combine,
  DEFAULT_THRESHOLDS,
  lateSentence,
  milestoneLateness,
  milestoneRag,
  milestoneSlipDays,
  slipBetween,
  milestoneState,
  outputRag,
  overallRag,
  tallyMilestones,
  thresholdsOf,
  worst,
} from './rag';

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
    expect(r.explanation).toBe(
      'overdue: forecast date 2016-12-30 is before the end of the reporting quarter (2016-12-31) and no actual date is recorded',
    );
  });

  it('a forecast on the last day of the reporting quarter is not yet past', () => {
    expect(m('2016-12-31', null, '2016-12-31').rag).toBe('green');
  });

  it('complete is blue however late; the lateness stays in the numbers and the words (BRAG)', () => {
    const late = m('2016-10-01', '2016-10-01', '2016-09-01');
    expect(late.rag).toBe('blue');
    expect(late.numbers.slipDays).toBe(30);
    expect(late.explanation).toBe('complete on 2016-10-01, 30 days after the baseline 2016-09-01 (late, but complete)');
    // A year late: still blue, never red for ever.
    expect(m('2017-09-01', '2016-09-01', '2015-09-01').rag).toBe('blue');
    expect(m('2016-06-01', '2016-06-01', '2016-09-01').explanation).toBe(
      'complete on 2016-06-01, on or before the baseline 2016-09-01',
    );
    expect(
      milestoneRag({
        baselineDate: '2016-09-01',
        forecastDate: '2016-09-01',
        actualDate: null,
        reportingQuarterEnd: end,
        status: 'complete',
      }),
    ).toMatchObject({ rag: 'blue', explanation: 'complete (no actual date recorded)' });
  });

  it('a deal commitment with no recorded status is grey "not recorded", not red; a recorded one is judged', () => {
    const c = (forecastDate: string | null, actualDate: string | null = null) =>
      milestoneRag({
        baselineDate: '2015-03-31',
        forecastDate,
        actualDate,
        reportingQuarterEnd: end,
        commitment: true,
      });
    // As loaded: forecast is the deal's own date, passed, nothing recorded.
    expect(c('2015-03-31')).toMatchObject({
      rag: 'grey',
      explanation: "not recorded: the deal's date 2015-03-31 has passed and no completion or new forecast is recorded",
    });
    expect(c(null).rag).toBe('grey');
    // Someone recorded a new forecast that has also passed: overdue, red.
    expect(c('2016-06-30').rag).toBe('red');
    expect(c('2015-03-31', '2015-03-20').rag).toBe('blue');
    // Not yet due: judged like any milestone.
    expect(
      milestoneRag({
        baselineDate: '2017-03-31',
        forecastDate: '2017-03-31',
        actualDate: null,
        reportingQuarterEnd: end,
        commitment: true,
      }).rag,
    ).toBe('green');
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

const res = (rag: 'green' | 'amber' | 'red') => ({ rag, rule: 'r', numbers: {}, explanation: rag }) as const;

describe('overall RAG', () => {
  const g = res('green');
  const a = res('amber');
  const r = res('red');
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
  it('a withdrawn project has no RAG; a completed project is blue', () => {
    const w = overallRag({ finance: r, milestones: r, outputs: r }, { rag: null, reason: null }, 'withdrawn');
    expect(w).toMatchObject({ rag: 'none', computed: 'none', overridden: false });
    expect(w.explanation).toBe('withdrawn: no RAG (its spend stays counted as spent)');
    expect(overallRag({ finance: g, milestones: a, outputs: g }, { rag: null, reason: null }, 'complete').rag).toBe(
      'blue',
    );
    expect(overallRag({ finance: g, milestones: a, outputs: g }, { rag: null, reason: null }, 'in_delivery').rag).toBe(
      'amber',
    );
  });
  it('combine keeps counts and the worst reason; blue never makes anything worse, grey is counted apart', () => {
    const blue = { rag: 'blue', rule: 'r', numbers: {}, explanation: 'done' } as const;
    const grey = { rag: 'grey', rule: 'r', numbers: {}, explanation: 'not recorded' } as const;
    const c = combine('milestones', [g, a, r, blue]);
    expect(c.rag).toBe('red');
    expect(c.numbers).toEqual({ blue: 1, green: 1, amber: 1, red: 1, items: 4 });
    expect(combine('milestones', [blue, blue]).rag).toBe('blue');
    expect(combine('milestones', [blue, g]).rag).toBe('green');
    expect(combine('milestones', [grey, grey])).toMatchObject({
      rag: 'grey',
      explanation: '2 of 2 not recorded',
    });
    expect(worst([])).toBe('none');
    expect(worst(['grey', 'blue'])).toBe('blue');
  });
  it('defaults are DESIGN.md', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      financeGreenMin: 95,
      financeAmberMin: 85,
      financeOverspendAbove: 100,
      slippageAmberAbove: 10,
      slippageRedAbove: 25,
      milestoneAmberMaxDays: 90,
      outputGreenMin: 90,
      outputAmberMin: 75,
    });
  });
});

describe('output targets by their due date (the deal\'s "by 2021" is 2021-03-31)', () => {
  const jobs = (asOf: string, delivered: number, forecast: number | null) =>
    outputRag({ metric: 'JOBS_CREATED', target: 5000, forecast, delivered, dueDate: '2021-03-31', asOf });
  it.each([
    // before the due date: judged on the forecast, delivered is progress, never "not met"
    ['2016-12-31', 102, 5000, 'green', 'not_yet_due'],
    ['2016-12-31', 102, 4500, 'green', 'not_yet_due'], // exactly 90 %
    ['2016-12-31', 102, 4499, 'amber', 'not_yet_due'],
    ['2016-12-31', 102, 3749, 'red', 'not_yet_due'],
    ['2021-03-30', 4999, 5000, 'green', 'not_yet_due'],
    // from the due date: delivered against the target
    ['2021-03-31', 5000, 5000, 'green', 'met'],
    ['2021-03-31', 4999, 6000, 'green', 'not_met'], // 99.98 %: green, but not met
    ['2021-06-30', 3749, 6000, 'red', 'not_met'],
  ])('as of %s, delivered %i, forecast %i → %s, %s', (asOf, d, f, rag, status) => {
    const r = jobs(asOf, d, f);
    expect(r.rag).toBe(rag);
    expect(r.numbers.status).toBe(status);
  });

  it('in 2016, 102 delivered of "at least 5,000 by 2021" is progress, not "not met"', () => {
    expect(jobs('2016-12-31', 102, 5000).explanation).toBe(
      'JOBS_CREATED (not yet due: due 2021-03-31): forecast 5000 is 100.0% of the target 5000: at least 90%; delivered so far 102 (progress, to the end of the last submitted quarter)',
    );
    expect(jobs('2016-12-31', 102, 5000).explanation).not.toMatch(/not met/);
  });

  it('after the due date it says met or not met with the delivered figure', () => {
    expect(jobs('2021-06-30', 3749, 6000).explanation).toBe(
      'JOBS_CREATED: due 2021-03-31, delivered 3749 is 74.9% of the target 5000: not met (below 75%)',
    );
  });
});

describe('one count of late milestones (dashboard, briefing and return)', () => {
  it('counts overdue and slipped open project milestones as late; completed late apart; commitments apart', () => {
    const end = '2016-12-31';
    const st = (baselineDate: string, forecastDate: string, actualDate: string | null, commitment = false) => ({
      state: milestoneState({ baselineDate, forecastDate, actualDate, reportingQuarterEnd: end, commitment }).state,
      commitment,
    });
    const t = tallyMilestones([
      st('2016-06-01', '2016-06-01', '2016-06-01'), // complete on time
      st('2016-06-01', '2016-07-01', '2016-07-01'), // complete 30 days late: blue, not late
      st('2016-06-01', '2016-11-01', null), // forecast passed, nothing done: overdue
      st('2017-01-01', '2017-02-01', null), // slipped, not yet reached
      st('2017-01-01', '2017-01-01', null), // on time
      st('2015-03-31', '2015-03-31', null, true), // deal commitment, as loaded: not recorded
      st('2015-09-30', '2016-03-31', null, true), // deal commitment with a recorded forecast, passed: overdue
    ]);
    expect(t).toEqual({
      projectMilestones: 5,
      overdue: 1,
      slipped: 1,
      late: 2,
      completeLate: 1,
      commitments: 2,
      commitmentsNotRecorded: 1,
      commitmentsOverdue: 1,
    });
    expect(lateSentence(t)).toBe(
      '2 of 5 project milestones are late: 1 overdue (forecast date passed, not done) and 1 slipped past the baseline (forecast not yet reached); 1 more was completed late (blue: complete); deal commitments are counted apart: 1 of 2 not recorded (grey), 1 overdue.',
    );
  });
});

describe('slip and lateness in days (the one place they are counted)', () => {
  const end = '2016-12-31';
  it('slip is the latest date (actual, else forecast) against the baseline; null without both', () => {
    expect(slipBetween('2016-06-01', '2016-07-01')).toBe(30);
    expect(slipBetween('2016-07-01', '2016-06-01')).toBe(-30);
    expect(slipBetween(null, '2016-06-01')).toBeNull();
    expect(
      milestoneSlipDays({ baselineDate: '2016-06-01', forecastDate: '2016-08-01', actualDate: '2016-07-01' }),
    ).toBe(30);
    expect(milestoneSlipDays({ baselineDate: '2016-06-01', forecastDate: '2016-08-01', actualDate: null })).toBe(61);
    expect(milestoneSlipDays({ baselineDate: '2016-06-01', forecastDate: null, actualDate: null })).toBeNull();
  });

  it('days late: the slip, or for an overdue forecast on its baseline, baseline to the end of the quarter', () => {
    const late = (baselineDate: string, forecastDate: string, actualDate: string | null) =>
      milestoneLateness({ baselineDate, forecastDate, actualDate, reportingQuarterEnd: end });
    expect(late('2016-06-01', '2016-06-01', null)).toEqual({ state: 'overdue', slipDays: 0, daysLate: 213 });
    expect(late('2016-06-01', '2016-11-01', null)).toEqual({ state: 'overdue', slipDays: 153, daysLate: 153 });
    expect(late('2017-01-01', '2017-02-01', null)).toEqual({ state: 'slipped', slipDays: 31, daysLate: 31 });
    expect(late('2016-06-01', '2016-07-01', '2016-07-01')).toEqual({
      state: 'complete_late',
      slipDays: 30,
      daysLate: 30,
    });
    expect(late('2017-01-01', '2017-01-01', null)).toBeNull();
    expect(late('2016-06-01', '2016-06-01', '2016-06-01')).toBeNull();
  });
});
