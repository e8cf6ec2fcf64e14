import { nationalBatchSql, toNationalRows } from './national-return.queries';
import { ProgrammeSums, financeRow } from './national-return.sheets';

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
        illustrative: false,
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
        illustrative: false,
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
        illustrative: true,
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
      ['B', 1, 0, 3, 4, 'illustrative'],
      ['C', 0, 0, 0, 0, null],
    ]);
  });

  it('uses numbered placeholders on SQLite so the quarter is bound once', () => {
    expect(nationalBatchSql('sqlite')).toContain('s.quarter = ?1');
    expect(nationalBatchSql('sqlite')).not.toMatch(/\$\d/);
    expect(nationalBatchSql('postgres')).toContain('s.quarter = $1');
  });
});
