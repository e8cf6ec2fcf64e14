import { nationalBatchSql, toNationalRows } from './national-return.queries';
import type { AgreedLineView } from '../changes/agreed.queries';
import { coverRows, financeRow, ProgrammeSums, rowIllustrative } from './national-return.sheets';

describe('national return rows', () => {
  const raw = [
    {
      programme: 'A',
      project: 'P1',
      synthetic: 0,
      source_kind: 'LGF',
      allocation: 1000,
      baseline_q: 100,
      forecast_q: 90,
      actual_q: 80,
      actual_to_date: 300,
      forecast_programme: 950,
      ill: 0,
      adj_to_date: -5,
      adj_q: -5,
    },
    {
      programme: 'A',
      project: 'P1',
      synthetic: 0,
      source_kind: 'LOCAL_MATCH',
      allocation: '400',
      baseline_q: null,
      forecast_q: null,
      actual_q: null,
      actual_to_date: null,
      forecast_programme: null,
      ill: null,
      adj_to_date: null,
      adj_q: null,
    },
    // A project with nothing to report: no row, but it moves the page's cursor.
    { programme: 'A', project: 'P2', synthetic: 0, source_kind: null },
    {
      programme: 'B',
      project: 'P1',
      synthetic: true,
      source_kind: 'LGF',
      allocation: 0,
      baseline_q: 1,
      forecast_q: 2,
      actual_q: 3,
      actual_to_date: 4,
      forecast_programme: 5,
      ill: 0,
      adj_to_date: null,
      adj_q: null,
    },
  ];

  it('adds prior-period adjustments to spend in quarter, to date and the programme forecast; counts every project of the page', () => {
    const page = toNationalRows(raw);
    expect(page.projects).toBe(3);
    expect(page.last).toEqual(['B', 'P1']);
    expect(page.rows).toEqual([
      {
        programme: 'A',
        project: 'P1',
        sourceKind: 'LGF',
        allocation: 1000,
        baselineInQuarter: 100,
        forecastInQuarter: 90,
        actualInQuarter: 75,
        actualToDate: 295,
        forecastProgramme: 945,
        synthetic: false,
        spendIllustrative: false,
      },
      {
        programme: 'A',
        project: 'P1',
        sourceKind: 'LOCAL_MATCH',
        allocation: 400,
        baselineInQuarter: 0,
        forecastInQuarter: 0,
        actualInQuarter: 0,
        actualToDate: 0,
        forecastProgramme: 0,
        synthetic: false,
        spendIllustrative: false,
      },
      {
        programme: 'B',
        project: 'P1',
        sourceKind: 'LGF',
        allocation: 0,
        baselineInQuarter: 1,
        forecastInQuarter: 2,
        actualInQuarter: 3,
        actualToDate: 4,
        forecastProgramme: 5,
        synthetic: true,
        spendIllustrative: false,
      },
    ]);
  });

  it('reads an aggregate past 2^53 pence exactly (as a bigint) and refuses one that is not an integer', () => {
    expect(toNationalRows([{ ...raw[0], allocation: '9007199254740993' }]).rows[0].allocation).toBe(9007199254740993n);
    expect(() => toNationalRows([{ ...raw[0], allocation: '9007199254740993.5' }])).toThrow(/not an integer/);
  });

  it('sums programmes exactly and lists every programme, those without rows as zeros', () => {
    const sums = new ProgrammeSums();
    for (const r of toNationalRows(raw).rows) sums.add(financeRow(r));
    const rows = sums.rows([
      { code: 'A', name: 'Alpha', synthetic: false },
      { code: 'B', name: 'Beta', synthetic: true },
      { code: 'C', name: 'Gamma', synthetic: false },
    ]);
    expect(rows.map((r) => [r.programme, r.rows, r.allocation, r.actual, r.actualToDate, r.illustrative])).toEqual([
      ['A', 2, 1400, 75, 295, null],
      ['B', 1, 0, 3, 4, 'synthetic programme'],
      ['C', 0, 0, 0, 0, null],
    ]);
  });

  it('marks each row as the programme return marks it: illustrative change requests, allocation data, spend figures', () => {
    const rows = toNationalRows([
      { ...raw[0], ill: 1 },
      { ...raw[1], project: 'P2' },
      { ...raw[1], project: 'P3' },
      { ...raw[1], project: 'P4' },
      raw[3],
    ]).rows;
    const line = (projectCode: string, illustrative: boolean, crs: { number: number; illustrative: boolean }[]) =>
      ({
        projectCode,
        poolCode: null,
        projectId: 1,
        poolId: null,
        sourceKind: projectCode === 'P1' ? 'LGF' : 'LOCAL_MATCH',
        agreedPence: 0,
        nowPence: 0,
        deltaPence: 0,
        changed: crs.length > 0,
        illustrative,
        changes: crs.map((c) => ({ ...c, title: 't', deltaPence: 100 })),
      }) as AgreedLineView;
    const marks = new Map([
      [
        'A',
        {
          lines: new Map([
            // Moved by illustrative request 3 and a real request 2: only 3 is named.
            [
              'P1|LGF',
              line('P1', true, [
                { number: 3, illustrative: true },
                { number: 2, illustrative: false },
              ]),
            ],
            ['P2|LOCAL_MATCH', line('P2', true, [])],
            ['P3|LOCAL_MATCH', line('P3', false, [{ number: 2, illustrative: false }])],
          ]),
          adjusted: new Set(['P4|LOCAL_MATCH']),
        },
      ],
    ]);
    const sums = new ProgrammeSums();
    const marked = rows.map((r) => {
      const parts = rowIllustrative(r, marks);
      const row = financeRow(r, parts);
      sums.add(row, parts);
      return [row.project, row.illustrative];
    });
    expect(marked).toEqual([
      ['P1', 'allocation moved by change request 3; spend figures'],
      ['P2', 'allocation'],
      ['P3', null],
      ['P4', 'spend figures'],
      // A synthetic programme's rows say so, whatever else is marked.
      ['P1', 'synthetic programme'],
    ]);
    const progs = sums.rows([
      { code: 'A', name: 'Alpha', synthetic: false },
      { code: 'B', name: 'Beta', synthetic: true },
    ]);
    expect(progs.map((r) => r.illustrative)).toEqual([
      'allocation moved by change request 3; spend figures',
      'synthetic programme',
    ]);
  });

  it('the cover counts as integers, lists the real programmes illustrative data touched and dates itself with a date-time cell', () => {
    const rows = coverRows(
      '2016-17 Q1',
      [
        { code: 'A', name: 'Alpha', synthetic: false },
        { code: 'B', name: 'Beta', synthetic: true },
      ],
      '2026-12-02T10:30:00.000Z',
      ['A'],
    );
    const cell = (field: string) => rows.find((r) => r.field === field)?.value;
    expect(cell('Programmes')).toEqual({ type: 'integer', value: 2 });
    expect(cell('Synthetic programmes')).toEqual({ type: 'integer', value: 1 });
    expect(cell('Real programmes with illustrative data')).toBe('A');
    expect(cell('Generated at (UTC)')).toEqual({ type: 'datetime', value: '2026-12-02T10:30:00.000Z' });
    expect(
      coverRows('2016-17 Q1', [], '2026-12-02T10:30:00.000Z').find(
        (r) => r.field === 'Real programmes with illustrative data',
      )?.value,
    ).toBe('none');
  });

  it('uses numbered placeholders on SQLite so the quarter is bound once', () => {
    expect(nationalBatchSql('sqlite')).toContain('s.quarter = ?1');
    expect(nationalBatchSql('sqlite')).not.toMatch(/\$\d/);
    expect(nationalBatchSql('postgres')).toContain('s.quarter = $1');
  });
});
