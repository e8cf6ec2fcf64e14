import { changeDiffRows } from './change-diff';

describe('changeDiffRows: before and after as readable rows', () => {
  it('a virement: each allocation touched, its amount in pounds', () => {
    const alloc = (id: number, project: string, amount: string) => ({
      id,
      sourceKind: 'LGF',
      project,
      pool: null,
      period: 'unprofiled',
      amount,
      commitmentStatus: 'confirmed',
    });
    expect(
      changeDiffRows(
        { allocations: [alloc(12, 'LICHFIELD', '4000000.00'), alloc(14, 'MEAFORD', '3000000.00')] },
        { allocations: [alloc(12, 'LICHFIELD', '4200000.00'), alloc(14, 'MEAFORD', '2800000.00')] },
      ),
    ).toEqual([
      {
        item: 'allocation 12 (LICHFIELD, LGF, unprofiled)',
        field: 'amount',
        before: '£4,000,000.00',
        after: '£4,200,000.00',
      },
      {
        item: 'allocation 14 (MEAFORD, LGF, unprofiled)',
        field: 'amount',
        before: '£3,000,000.00',
        after: '£2,800,000.00',
      },
    ]);
  });

  it('a re-period shows the period that changed; a created allocation shows every field', () => {
    const rows = changeDiffRows(
      { allocations: [{ id: 3, sourceKind: 'LGF', project: 'SWAR', period: '2016-17', amount: '100.00' }] },
      {
        allocations: [
          { id: 3, sourceKind: 'LGF', project: 'SWAR', period: '2017-18', amount: '100.00' },
          { id: 9, sourceKind: 'LGF', project: 'SWAR', period: '2018-19', amount: '5.00' },
        ],
      },
    );
    expect(rows).toEqual([
      { item: 'allocation 3 (SWAR, LGF, 2017-18)', field: 'period', before: '2016-17', after: '2017-18' },
      { item: 'allocation 9 (SWAR, LGF, 2018-19)', field: 'source kind', before: '(did not exist)', after: 'LGF' },
      { item: 'allocation 9 (SWAR, LGF, 2018-19)', field: 'project', before: '(did not exist)', after: 'SWAR' },
      { item: 'allocation 9 (SWAR, LGF, 2018-19)', field: 'period', before: '(did not exist)', after: '2018-19' },
      { item: 'allocation 9 (SWAR, LGF, 2018-19)', field: 'amount', before: '(did not exist)', after: '£5.00' },
    ]);
  });

  it('a milestone re-baseline, output targets and a spend re-profile by quarter', () => {
    const m = (d: string) => ({ id: 7, title: 'Start on site', kind: 'start_on_site', baselineDate: d, version: 2 });
    expect(
      changeDiffRows({ milestones: [m('2016-10-31')] }, { milestones: [{ ...m('2017-02-28'), version: 3 }] }),
    ).toEqual([
      { item: 'milestone 7 (Start on site)', field: 'baseline date', before: '2016-10-31', after: '2017-02-28' },
    ]);
    const t = (v: string) => ({ project: 'ETRURIA', metric: 'SITE_AREA', unit: 'ha', target: v });
    expect(changeDiffRows({ targets: [t('30.00')] }, { targets: [t('28.50')] })).toEqual([
      { item: 'target ETRURIA SITE_AREA', field: 'target', before: '30.00', after: '28.50' },
    ]);
    const s = (a: string, b: string) => ({
      spend: {
        project: 'AMSH',
        sourceKind: 'LGF',
        quarters: [
          { quarter: '2017-18 Q1', baseline: a },
          { quarter: '2017-18 Q2', baseline: b },
        ],
        total: '900.00',
      },
    });
    expect(changeDiffRows(s('100.00', '0.00'), s('0.00', '100.00'))).toEqual([
      { item: 'spend (AMSH, LGF)', field: 'quarters 2017-18 Q1 baseline', before: '£100.00', after: '£0.00' },
      { item: 'spend (AMSH, LGF)', field: 'quarters 2017-18 Q2 baseline', before: '£0.00', after: '£100.00' },
    ]);
  });

  it('an added project did not exist before', () => {
    expect(
      changeDiffRows(
        { project: null, allocations: [] },
        { project: { code: 'NEWP', name: 'New park', status: 'active' }, allocations: [] },
      ),
    ).toEqual([
      { item: 'project NEWP', field: 'name', before: '(did not exist)', after: 'New park' },
      { item: 'project NEWP', field: 'status', before: '(did not exist)', after: 'active' },
    ]);
  });
});

describe('changeDiffRows: records that carry their own before and after', () => {
  it('a baseline that followed the money: one row per quarter', () => {
    expect(
      changeDiffRows(
        { allocations: [] },
        {
          baselineFollowed: [
            {
              project: 'MEAFORD',
              sourceKind: 'LGF',
              quarter: '2016-17 Q4',
              baselineBefore: '420000.00',
              baselineAfter: '330000.00',
            },
          ],
        },
      ),
    ).toEqual([
      {
        item: 'baseline followed MEAFORD LGF 2016-17 Q4',
        field: 'baseline',
        before: '£420,000.00',
        after: '£330,000.00',
      },
    ]);
  });
});
