import {
  chartCsv,
  dataTable,
  horizontalBarChart,
  lineChart,
  timelineChart,
  timelineCsv,
  timelineTable,
  verticalBarChart,
} from '.';
import { wrapWords } from './format';
import { axisLabelEvery } from './line';
import type { ChartData } from './types';

/** Geometry worked by hand from the layout constants (see bar.ts, line.ts, timeline.ts). */

const rects = (svg: string) =>
  [...svg.matchAll(/<rect class="seg" x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"/g)].map((m) =>
    m.slice(1).map(Number),
  );

const two: ChartData = {
  id: 'two',
  title: 'Two bars',
  description: 'A and B.',
  unit: 'count',
  categories: [
    { key: 'a', label: 'A' },
    { key: 'b', label: 'B' },
  ],
  series: [{ key: 'n', label: 'Number' }],
  values: [[100], [50]],
};

describe('horizontal bar chart', () => {
  it('draws bars proportional to the largest, in a 350-wide plot starting at x=200', () => {
    const svg = horizontalBarChart(two);
    expect(rects(svg)).toEqual([
      [200, 8, 350, 24],
      [200, 40, 175, 24],
    ]);
    expect(svg).toContain('viewBox="0 0 640 72"');
    expect(svg.match(/<g class="bar"/g)).toHaveLength(2);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('<title id="chart-two-title">Two bars</title>');
    expect(svg).toContain('<desc id="chart-two-desc">A and B.</desc>');
  });

  it('stacks several series left to right', () => {
    const svg = horizontalBarChart({
      ...two,
      series: [
        { key: 'x', label: 'X' },
        { key: 'y', label: 'Y' },
      ],
      values: [
        [60, 40],
        [30, 20],
      ],
    });
    expect(rects(svg)).toEqual([
      [200, 8, 210, 24],
      [410, 8, 140, 24],
      [200, 40, 105, 24],
      [305, 40, 70, 24],
    ]);
  });

  it('puts the exact pounds on hover and says when data is illustrative', () => {
    const svg = horizontalBarChart({ ...two, unit: 'pence', values: [[240_000_000], [1]], illustrative: true });
    expect(svg).toContain('<title>A: £2.4m (£2,400,000.00)</title>');
    expect(svg).toContain('<title>B: £0.0m (£0.01)</title>');
    expect(svg).toContain('Illustrative data: not from the source documents.');
  });

  it('escapes labels', () => {
    expect(
      horizontalBarChart({
        ...two,
        categories: [
          { key: 'a', label: '<b>&' },
          { key: 'b', label: 'B' },
        ],
      }),
    ).toContain('&lt;b&gt;&amp;');
  });
});

describe('vertical bar chart', () => {
  it('draws columns from the baseline at y=250 in 280-wide slots', () => {
    expect(rects(verticalBarChart(two))).toEqual([
      [126, 10, 168, 240],
      [406, 130, 168, 120],
    ]);
  });
});

describe('line chart', () => {
  it('plots points across the categories and skips nulls', () => {
    const data: ChartData = {
      ...two,
      categories: [
        { key: 'q1', label: 'Q1' },
        { key: 'q2', label: 'Q2' },
        { key: 'q3', label: 'Q3' },
      ],
      series: [
        { key: 'p', label: 'Profile' },
        { key: 'a', label: 'Actual' },
      ],
      values: [
        [0, 0],
        [50, 25],
        [100, null],
      ],
    };
    const svg = lineChart(data);
    const lines = [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]);
    expect(lines).toEqual(['70,250 350,130 630,10', '70,250 350,190']);
  });
});

describe('milestone timeline', () => {
  const data = {
    id: 'ms',
    title: 'Milestones',
    description: 'Baseline against forecast.',
    rows: [
      { key: 'm1', label: 'Start on site', baseline: '2015-04-01', forecast: '2015-04-11', actual: null },
      { key: 'm2', label: 'Completion', baseline: '2015-04-21', forecast: '2015-04-21', actual: '2015-04-21' },
    ],
  };
  it('places markers on a day scale from the earliest to the latest date', () => {
    const svg = timelineChart(data);
    expect(svg).toContain('<line class="slip" x1="200" y1="38" x2="410" y2="38"');
    expect(svg).toContain('<circle class="forecast" cx="410" cy="38" r="5"');
    expect(svg).toContain('<rect class="actual" x="615" y="61" width="10" height="10"');
    expect(svg.match(/<g class="milestone"/g)).toHaveLength(2);
  });
  it('tables and CSV carry the dates and the slip in days', () => {
    expect(String(timelineTable(data))).toContain(
      '<th scope="row">Start on site</th><td>2015-04-01</td><td>2015-04-11</td><td>–</td><td class="num">10</td>',
    );
    expect(timelineCsv(data)).toBe(
      'Milestone,Baseline,Forecast,Actual,Slip (days)\nStart on site,2015-04-01,2015-04-11,,10\nCompletion,2015-04-21,2015-04-21,2015-04-21,0\n',
    );
  });
});

describe('data table and CSV', () => {
  const money: ChartData = {
    id: 'money',
    title: 'Money',
    description: 'By source.',
    unit: 'pence',
    categories: [
      { key: 'e', label: 'Etruria' },
      { key: 'm', label: 'Meaford' },
    ],
    series: [
      { key: 'LGF', label: 'Local Growth Fund award' },
      { key: 'LOCAL', label: 'Local match' },
    ],
    values: [
      [240_000_000, 250_000_000],
      [420_000_000, null],
    ],
  };
  it('carries exactly the input numbers, with exact totals', () => {
    const t = String(dataTable(money, '/x.csv'));
    const cells = [...t.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual([
      '£2,400,000.00',
      '£2,500,000.00',
      '£4,900,000.00',
      '£4,200,000.00',
      '–',
      '£4,200,000.00',
      '£6,600,000.00',
      '£2,500,000.00',
      '£9,100,000.00',
    ]);
    expect(t).toContain('<caption>Money <a class="csv" href="/x.csv" download>Download CSV</a></caption>');
  });
  it('CSV repeats the same numbers as canonical pounds', () => {
    expect(chartCsv(money)).toBe(
      ',Local Growth Fund award (£),Local match (£)\nEtruria,2400000.00,2500000.00\nMeaford,4200000.00,\n',
    );
    expect(chartCsv({ ...money, illustrative: true })).toMatch(/Illustrative data: not from the source documents.\n$/);
  });
  it('rows carrying the deal as agreed and an illustrative mark get a column each, in the table and the CSV', () => {
    const marked: ChartData = {
      ...money,
      categories: [
        {
          key: 'e',
          label: 'Etruria',
          illustrative: false,
          agreed: { pence: 490_000_000, changePence: 0, words: 'agreed £4.9m · unchanged' },
        },
        {
          key: 'm',
          label: 'Meaford',
          illustrative: true,
          agreed: {
            pence: 440_000_000,
            changePence: -20_000_000,
            words: 'agreed £4.4m · now £4.2m (−£0.2m, change request 1)',
          },
        },
      ],
    };
    const t = String(dataTable(marked));
    expect(t).toContain(
      '<th scope="col">Total</th><th scope="col">Agreed vs now</th><th scope="col">Illustrative</th>',
    );
    expect(t).toContain(
      '<th scope="row">Meaford</th><td class="num">£4,200,000.00</td><td class="num">–</td><td class="num">£4,200,000.00</td><td class="agreed">agreed £4.4m · now £4.2m (−£0.2m, change request 1)</td><td><strong class="illustrative">yes</strong></td>',
    );
    expect(t).toContain('<td class="agreed">agreed £4.9m · unchanged</td><td>no</td>');
    // The total row spans the new columns with empty cells.
    expect(t).toContain('<td class="num">£9,100,000.00</td><td></td><td></td></tr></tfoot>');
    expect(chartCsv(marked)).toBe(
      ',Local Growth Fund award (£),Local match (£),Agreed total (£),Change since agreed (£),Agreed vs now,Illustrative\n' +
        'Etruria,2400000.00,2500000.00,4900000.00,0.00,agreed £4.9m · unchanged,no\n' +
        'Meaford,4200000.00,,4400000.00,-200000.00,"agreed £4.4m · now £4.2m (−£0.2m, change request 1)",yes\n',
    );
  });
});

describe('chart labels on narrow screens (issue 16)', () => {
  it('wraps a name between words, never cutting one', () => {
    // 190 units at about 7 a character: 27 characters a line.
    expect(wrapWords('Bericote Four Ashes employment site', 27)).toEqual(['Bericote Four Ashes', 'employment site']);
    expect(wrapWords('Branston Interchange', 27)).toEqual(['Branston Interchange']);
    // A word longer than the line stands alone, whole.
    expect(wrapWords('Supercalifragilistic road', 8)).toEqual(['Supercalifragilistic', 'road']);
    expect(wrapWords('', 8)).toEqual(['']);
  });

  it('labels every 1st, 2nd, 4th… category so that axis labels do not overlap', () => {
    const quarters = (k: number) =>
      Array.from({ length: k }, (_, i) => `20${15 + Math.floor(i / 4)}-xx Q${(i % 4) + 1}`);
    // "2015-16 Q1" is 10 characters: 10 × 11 × 0.62 + 8 = 76.2 units needed between label centres.
    // 20 quarters over 560 units are 29.47 apart: 29.47 and 58.95 are too close, 117.89 fits.
    expect(axisLabelEvery(quarters(20), 560 / 19)).toBe(4);
    // 7 quarters are 93.33 apart: every one fits.
    expect(axisLabelEvery(quarters(7), 560 / 6)).toBe(1);
    // 12 quarters are 50.91 apart: every 2nd (101.82) fits.
    expect(axisLabelEvery(quarters(12), 560 / 11)).toBe(2);
    expect(axisLabelEvery(['only'], 0)).toBe(1);
  });
});
