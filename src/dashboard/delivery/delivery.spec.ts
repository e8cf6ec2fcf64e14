import { dataTable, horizontalBarChart } from '../charts';
import { lateMilestones } from './public-milestones.section';
import { plain } from './rag.section';
import { diffSnapshots } from './snapshot-diff';
import { cumulativeSpend } from './spend.section';

const q = (quarter: string, baselinePence: number, actualPence: number | null, adjustmentsPence = 0) => ({
  quarter,
  baselinePence,
  forecastPence: baselinePence,
  actualPence,
  adjustmentsPence,
  illustrative: false,
});

describe('cumulative spend', () => {
  it('runs totals up to the quarter before the reporting quarter; adjustments count where recorded', () => {
    const rows = [
      q('2015-16 Q1', 100, 90),
      q('2015-16 Q2', 200, 210, -5),
      q('2015-16 Q3', 300, null),
      q('2015-16 Q4', 400, null),
    ];
    expect(cumulativeSpend(rows, '2015-16 Q3')).toEqual({
      quarters: [
        { quarter: '2015-16 Q1', baselinePence: 100, actualPence: 90 },
        { quarter: '2015-16 Q2', baselinePence: 300, actualPence: 295 },
      ],
      wholeProfilePence: 1000,
    });
  });

  it('at programme close runs to the last submitted quarter, past the last quarter with spend (totals flat)', () => {
    // Spend ends in 2020-21 Q2; every return to 2020-21 Q4 is submitted (submitted before 2021-22 Q1).
    const rows = [q('2020-21 Q1', 100, 100), q('2020-21 Q2', 50, 40, 5)];
    expect(cumulativeSpend(rows, '2021-22 Q1')).toEqual({
      quarters: [
        { quarter: '2020-21 Q1', baselinePence: 100, actualPence: 100 },
        { quarter: '2020-21 Q2', baselinePence: 150, actualPence: 145 },
        { quarter: '2020-21 Q3', baselinePence: 150, actualPence: 145 },
        { quarter: '2020-21 Q4', baselinePence: 150, actualPence: 145 },
      ],
      wholeProfilePence: 150,
    });
  });

  it('a quarter with no spend lines inside the run is shown, not skipped', () => {
    const rows = [q('2015-16 Q1', 100, 90), q('2015-16 Q3', 300, 280)];
    expect(cumulativeSpend(rows, '2015-16 Q4').quarters.map((x) => [x.quarter, x.actualPence])).toEqual([
      ['2015-16 Q1', 90],
      ['2015-16 Q2', 90],
      ['2015-16 Q3', 370],
    ]);
  });
});

describe('late milestones', () => {
  const m = (
    title: string,
    baselineDate: string,
    forecastDate: string,
    actualDate: string | null,
    status = 'open',
  ) => ({
    id: 1,
    projectId: 1,
    projectCode: 'P',
    projectName: 'Project',
    title,
    kind: 'custom',
    baselineDate,
    forecastDate,
    actualDate,
    status,
    illustrative: false,
  });
  it('lists slips and passed forecasts with days late, latest first; on-time and cancelled ones are left out', () => {
    const late = lateMilestones(
      [
        m('on time', '2016-01-01', '2016-01-01', '2016-01-01'),
        m('slipped 10', '2016-01-01', '2016-01-11', null),
        m('done 31 late', '2016-01-01', '2016-02-01', '2016-02-01'),
        m('passed on its baseline', '2016-03-01', '2016-03-01', null),
        m('cancelled', '2016-01-01', '2017-01-01', null, 'cancelled'),
      ],
      '2016-03-31',
    );
    expect(late.map((l) => [l.title, l.daysLate, l.done, l.overdue])).toEqual([
      ['done 31 late', 31, true, false],
      ['passed on its baseline', 30, false, true],
      ['slipped 10', 10, false, true],
    ]);
  });
});

describe('plain RAG words', () => {
  it('groups pounds and names metrics', () => {
    expect(plain('forecast £1031785.00 is 48.1% of the baseline £2142855.00; JOBS_CREATED: forecast 500')).toBe(
      'forecast £1,031,785.00 is 48.1% of the baseline £2,142,855.00; jobs created: forecast 500',
    );
  });
});

describe('differences between two return snapshots', () => {
  const section = (rows: Record<string, string | number | null>[]) => ({
    key: 'summary',
    title: 'Summary by source',
    columns: [
      { key: 'sourceKind', header: 'Source', type: 'text' },
      { key: 'allocation', header: 'Approved allocation (£)', type: 'money' },
    ],
    rows,
  });
  it('reports changed money cells with the difference, and new or dropped lines', () => {
    const earlier = {
      sections: [
        section([
          { sourceKind: 'LGF', allocation: '100.00' },
          { sourceKind: 'OLD', allocation: '1.00' },
        ]),
      ],
    };
    const later = {
      sections: [
        section([
          { sourceKind: 'LGF', allocation: '150.50' },
          { sourceKind: 'NEW', allocation: '2.00' },
        ]),
        { key: 'checks', columns: [], rows: [] },
      ],
    };
    expect(diffSnapshots(earlier, later)).toEqual([
      {
        key: 'summary',
        title: 'Summary by source',
        changes: ['LGF: Approved allocation (£) changed from £100.00 to £150.50 (+£50.50).'],
        added: ['NEW'],
        removed: ['OLD'],
      },
    ]);
  });
  it('gives nothing for snapshots without sections (placeholder closures)', () => {
    expect(diffSnapshots({ demo: true }, { demo: true })).toEqual([]);
  });
});

describe('grouped bar chart', () => {
  const data = {
    id: 'g',
    title: 'Promised vs delivered',
    description: 'd',
    unit: 'count' as const,
    categories: [{ key: 'j', label: 'Jobs' }],
    series: [
      { key: 'p', label: 'Promised' },
      { key: 'd', label: 'Delivered' },
    ],
    values: [[100, 25]],
    grouped: true,
    noTotal: true,
  };
  it('draws the series side by side against the largest single value, with no totals', () => {
    const svg = horizontalBarChart(data);
    const rects = [...svg.matchAll(/<rect class="seg" x="([^"]+)" y="([^"]+)" width="([^"]+)"/g)].map((x) =>
      x.slice(1).map(Number),
    );
    expect(rects).toEqual([
      [200, 8, 350],
      [200, 26, 87.5],
    ]);
    const table = String(dataTable(data));
    expect(table).not.toContain('<tfoot>');
    expect(table).not.toContain('>Total<');
  });
});
