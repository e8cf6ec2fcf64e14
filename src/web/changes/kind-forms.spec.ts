import { FormReader, formHoldsAll, formValues, kindForm } from './kind-forms';

/** A draft's payload shown in its kind's form and read back gives the same payload. */
const roundTrip = (kind: string, payload: Record<string, unknown>) => {
  const built = kindForm(kind)!.build(new FormReader(formValues(kind, payload)));
  return { problems: built.problems, payload: built.payload };
};

describe('a draft’s payload in its kind’s form boxes', () => {
  const cases: [string, Record<string, unknown>][] = [
    [
      'reprofile_spend',
      {
        project: 'SWAR',
        sourceKind: 'LGF',
        lines: [
          { quarter: '2015-16 Q3', delta: '-1250000.00' },
          { quarter: '2016-17 Q2', delta: '1000000.00' },
          { quarter: '2016-17 Q3', delta: '250000.00' },
        ],
      },
    ],
    [
      'reprofile_years',
      {
        allocationId: 4,
        periods: [
          { period: '2016-17', amount: '1200000.00' },
          { period: '2017-18', amount: '1200000.00' },
        ],
      },
    ],
    ['set_baseline', { project: 'MEAFORD', sourceKind: 'LGF', quarters: [{ quarter: '2016-17 Q1', amount: '5.50' }] }],
    ['envelope_change', { sourceKind: 'LGF', delta: '-500000.00' }],
    [
      'reduce_allocation',
      { allocationId: 7, amount: '100.00', mode: 'release', reason: 'Under budget', reference: 'Board 12' },
    ],
    ['rebaseline_milestone', { milestones: [{ id: 12, baselineDate: '2016-09-30' }] }],
    [
      'rebaseline_target',
      {
        targets: [
          { project: 'SWAR', metric: 'ROAD_NEW', target: '2.500' },
          { metric: 'JOBS_CREATED', target: '5123' },
        ],
      },
    ],
    [
      'reallocation',
      {
        lines: [
          {
            new: { project: 'ETRURIA', sourceKind: 'LGF', period: '2019-20', commitmentStatus: 'indicative' },
            amount: '1000.00',
          },
          { allocationId: 4, delta: '-3000.00' },
          { headroom: 'LGF', delta: '2000.00' },
        ],
      },
    ],
    ['hold_project', { project: 'BERICOTE' }],
  ];
  it.each(cases)('%s reads back as the same payload', (kind, payload) => {
    expect(roundTrip(kind, payload)).toEqual({ problems: [], payload });
  });

  it('shows amounts in pounds, dates in three boxes and the programme’s target as the programme', () => {
    expect(formValues('reprofile_spend', cases[0][1])).toEqual({
      project: 'SWAR',
      sourceKind: 'LGF',
      'moves-0-from': '2015-16 Q3',
      'moves-0-to': '2016-17 Q2',
      'moves-0-amount': '£1,000,000.00',
      'moves-1-from': '2015-16 Q3',
      'moves-1-to': '2016-17 Q3',
      'moves-1-amount': '£250,000.00',
    });
    expect(formValues('rebaseline_milestone', cases[5][1])).toEqual({
      'milestones-0-milestone': '12',
      'milestones-0-date-day': '30',
      'milestones-0-date-month': '9',
      'milestones-0-date-year': '2016',
    });
    expect(formValues('rebaseline_target', cases[6][1])['targets-1-holder']).toBe('*');
    expect(formValues('envelope_change', cases[3][1]).delta).toBe('-£500,000.00');
  });

  it.each(cases)('%s: the form holds all of it, so it may be edited there', (kind, payload) => {
    expect(formHoldsAll(kind, payload)).toBe(true);
  });

  it('a payload with more lines than the form, or a detail it has no box for, is not held', () => {
    const milestones = [1, 2, 3, 4].map((id) => ({ id, baselineDate: '2016-09-30' }));
    expect(formHoldsAll('rebaseline_milestone', { milestones: milestones.slice(0, 3) })).toBe(true);
    expect(formHoldsAll('rebaseline_milestone', { milestones })).toBe(false);
    expect(formHoldsAll('envelope_change', { sourceKind: 'LGF', delta: '-500000.00', note: 'extra' })).toBe(false);
    expect(formHoldsAll('no_such_kind', {})).toBe(false);
  });
});
