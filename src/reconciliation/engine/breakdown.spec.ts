import {
  Breakdown,
  BreakdownRow,
  breakdown as exactBreakdown,
  DIMENSIONS,
  parseDimensions,
  UnknownDimensionError,
  yearLabel,
} from './breakdown';

/** The hand-written expectations below are small amounts: compare them as numbers. */
const numbers = (v: unknown): any =>
  typeof v === 'bigint'
    ? Number(v)
    : Array.isArray(v)
      ? v.map(numbers)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, numbers(x)]))
        : v;
type Numbers<T> = {
  [K in keyof T]: T[K] extends bigint ? number : T[K] extends Record<string, bigint> ? Record<string, number> : T[K];
};
type NumberBreakdown = Omit<Numbers<Breakdown>, 'rows'> & { rows: Numbers<BreakdownRow>[] };
const breakdown = (...args: Parameters<typeof exactBreakdown>): NumberBreakdown => numbers(exactBreakdown(...args));
import { group, inRange, inYear, M, pooled, programmeLevel, TENTH } from './spec-fixtures';

// Hand-worked: amounts from the 2014 deal's project list, in pence.
const g = {
  etruria15: group({ pence: 24 * TENTH, ...inYear(2015), allocationIds: [1] }), // £2.4m
  lichfield15: group({ pence: 4 * M, ...inYear(2015), projectCode: 'LICHFIELD', allocationIds: [2] }),
  swarRange: group({
    pence: 161 * TENTH,
    ...inRange(2016, 2020),
    projectCode: 'SWAR',
    themeCode: 'CONNECT',
    allocationIds: [3],
  }),
  provisional: group({
    pence: 34 * M,
    ...inRange(2016, null),
    sourceKind: 'LGF_PROVISIONAL',
    commitmentStatus: 'provisional',
    projectCode: 'BRANSTON',
    allocationIds: [4],
  }),
  amsh: group({ pence: 69 * TENTH, projectCode: 'AMSH', themeCode: 'SKILLS', allocationIds: [12] }),
  privatePool: group({
    pence: 48 * TENTH,
    sourceKind: 'PRIVATE_MATCH',
    ...pooled('SITES_PRIVATE'),
    allocationIds: [5, 6],
  }),
  growthHub: group({
    pence: 25_000_000,
    sourceKind: 'GROWTH_HUB',
    capital: false,
    ...inYear(2015),
    ...programmeLevel,
    allocationIds: [7],
  }),
  single16: group({ pence: 1 * M, ...inYear(2016), projectCode: 'MEAFORD', allocationIds: [8] }),
};
const all = Object.values(g);
const ALL_PENCE = 24 * TENTH + 4 * M + 161 * TENTH + 34 * M + 69 * TENTH + 48 * TENTH + 25_000_000 + 1 * M; // 6,945,000,000

describe('breakdown: labels', () => {
  it('names years, ranges, open ranges and unprofiled money', () => {
    expect(yearLabel(inYear(2015))).toBe('2015-16');
    expect(yearLabel(inRange(2016, 2020))).toBe('2016-17 to 2020-21');
    expect(yearLabel(inRange(2016, null))).toBe('2016-17 onwards');
    expect(yearLabel({ periodKind: 'unprofiled', yearFrom: null, yearTo: null })).toBe('unprofiled');
    expect(yearLabel(inRange(1999, 2000))).toBe('1999-00 to 2000-01');
  });
});

describe('breakdown: one dimension', () => {
  it('by year: chronological, ranges after their first year, unprofiled last, one column "total"', () => {
    const b = breakdown(all, ['year']);
    expect(b.columns).toEqual(['total']);
    expect(b.rowDimensions).toEqual(['year']);
    expect(b.columnDimension).toBeNull();
    expect(b.rows.map((r) => [r.key.year, r.total])).toEqual([
      ['2015-16', 24 * TENTH + 4 * M + 25_000_000], // 665,000,000
      ['2016-17', 1 * M],
      ['2016-17 to 2020-21', 161 * TENTH],
      ['2016-17 onwards', 34 * M],
      ['unprofiled', 69 * TENTH + 48 * TENTH], // 1,170,000,000
    ]);
    expect(b.rows[0].cells).toEqual({ total: 665_000_000 });
    expect(b.rows[0].allocationIds).toEqual([1, 2, 7]);
    expect(b.columnTotals).toEqual({ total: ALL_PENCE });
    expect(b.grandTotal).toBe(6_945_000_000);
  });

  it('by project: codes alphabetically, then pooled, then unattributed (programme-level)', () => {
    const b = breakdown(all, ['project']);
    expect(b.rows.map((r) => r.key.project)).toEqual([
      'AMSH',
      'BRANSTON',
      'ETRURIA',
      'LICHFIELD',
      'MEAFORD',
      'SWAR',
      'pooled:SITES_PRIVATE',
      'unattributed',
    ]);
    const poolRow = b.rows.find((r) => r.key.project === 'pooled:SITES_PRIVATE')!;
    expect(poolRow.total).toBe(480_000_000);
    expect(poolRow.allocationIds).toEqual([5, 6]);
    expect(b.rows[b.rows.length - 1].total).toBe(25_000_000); // the growth hub's £250,000
  });

  it('by theme: pooled money keeps its theme; programme-level money is unattributed', () => {
    const b = breakdown(all, ['theme']);
    expect(b.rows.map((r) => [r.key.theme, r.total])).toEqual([
      ['CONNECT', 1_610_000_000],
      ['SITES', 240_000_000 + 400_000_000 + 3_400_000_000 + 480_000_000 + 100_000_000],
      ['SKILLS', 690_000_000],
      ['unattributed', 25_000_000],
    ]);
  });

  it('by status: alphabetical commitment statuses', () => {
    const withdrawn = group({ pence: 5, commitmentStatus: 'withdrawn' });
    const b = breakdown([...all, withdrawn], ['status']);
    expect(b.rows.map((r) => [r.key.status, r.total])).toEqual([
      ['confirmed', ALL_PENCE - 34 * M],
      ['provisional', 34 * M],
      ['withdrawn', 5],
    ]);
    expect(b.grandTotal).toBe(ALL_PENCE + 5); // the breakdown shows every group it is given
  });
});

describe('breakdown: two dimensions', () => {
  it('theme × sourceKind: dense cells, exact row, column and grand totals', () => {
    const b = breakdown(all, ['theme', 'sourceKind']);
    expect(b.columnDimension).toBe('sourceKind');
    expect(b.columns).toEqual(['GROWTH_HUB', 'LGF', 'LGF_PROVISIONAL', 'PRIVATE_MATCH']);
    expect(b.rows.map((r) => ({ theme: r.key.theme, cells: r.cells, total: r.total }))).toEqual([
      {
        theme: 'CONNECT',
        cells: { GROWTH_HUB: 0, LGF: 1_610_000_000, LGF_PROVISIONAL: 0, PRIVATE_MATCH: 0 },
        total: 1_610_000_000,
      },
      {
        theme: 'SITES',
        cells: { GROWTH_HUB: 0, LGF: 740_000_000, LGF_PROVISIONAL: 3_400_000_000, PRIVATE_MATCH: 480_000_000 },
        total: 4_620_000_000,
      },
      {
        theme: 'SKILLS',
        cells: { GROWTH_HUB: 0, LGF: 690_000_000, LGF_PROVISIONAL: 0, PRIVATE_MATCH: 0 },
        total: 690_000_000,
      },
      {
        theme: 'unattributed',
        cells: { GROWTH_HUB: 25_000_000, LGF: 0, LGF_PROVISIONAL: 0, PRIVATE_MATCH: 0 },
        total: 25_000_000,
      },
    ]);
    expect(b.columnTotals).toEqual({
      GROWTH_HUB: 25_000_000,
      LGF: 3_040_000_000,
      LGF_PROVISIONAL: 3_400_000_000,
      PRIVATE_MATCH: 480_000_000,
    });
    expect(b.grandTotal).toBe(ALL_PENCE);
  });

  it('three dimensions: rows keyed by the first two, columns are years in order', () => {
    const b = breakdown(all, ['sourceKind', 'project', 'year']);
    expect(b.rowDimensions).toEqual(['sourceKind', 'project']);
    expect(b.columns).toEqual(['2015-16', '2016-17', '2016-17 to 2020-21', '2016-17 onwards', 'unprofiled']);
    expect(b.rows[0].key).toEqual({ sourceKind: 'GROWTH_HUB', project: 'unattributed' });
    expect(b.rows[0].labels).toEqual(['GROWTH_HUB', 'unattributed']);
    const lgfRows = b.rows.filter((r) => r.key.sourceKind === 'LGF').map((r) => r.key.project);
    expect(lgfRows).toEqual(['AMSH', 'ETRURIA', 'LICHFIELD', 'MEAFORD', 'SWAR']);
  });
});

describe('breakdown: edges and errors', () => {
  it('an empty `by` gives the grand total only', () => {
    const b = breakdown(all, []);
    expect(b.rows).toEqual([
      {
        key: {},
        labels: [],
        cells: { total: ALL_PENCE },
        total: ALL_PENCE,
        allocationIds: [1, 2, 3, 4, 5, 6, 7, 8, 12],
      },
    ]);
    expect(b.grandTotal).toBe(ALL_PENCE);
  });

  it('no groups: no rows and zero totals', () => {
    const b = breakdown([], ['theme', 'year']);
    expect(b.rows).toEqual([]);
    expect(b.columns).toEqual([]);
    expect(b.grandTotal).toBe(0);
  });

  it('rejects an unknown dimension, naming the valid ones', () => {
    // The four assertions inside catch must run: the call has to throw.
    expect.assertions(5);
    expect(() => breakdown(all, ['year', 'colour'])).toThrow(UnknownDimensionError);
    try {
      breakdown(all, ['colour']);
    } catch (e) {
      const err = e as UnknownDimensionError;
      expect(err.code).toBe('UNKNOWN_DIMENSION');
      expect(err.status).toBe(400);
      expect(err.valid).toEqual(DIMENSIONS);
      expect(err.message).toBe(
        'by: "colour" is not a dimension; use one or more of sourceKind, status, year, theme, project',
      );
    }
  });

  it('rejects a repeated dimension', () => {
    expect(() => breakdown(all, ['year', 'theme', 'year'])).toThrow(
      'by: "year" is given more than once; each of sourceKind, status, year, theme, project may be used once',
    );
  });

  it('parses a comma-separated list', () => {
    expect(parseDimensions('year, theme')).toEqual(['year', 'theme']);
    expect(parseDimensions('')).toEqual([]);
  });

  it('totals past 2^53 pence stay exact (bigint), to the penny', () => {
    // 90,101 groups of the largest amount a field accepts, one a penny short: an odd total above 2^53.
    const groups = Array.from({ length: 90_101 }, (_, i) =>
      group({ pence: i === 0 ? 99_999_999_999 : 100_000_000_000 }),
    );
    const b = exactBreakdown(groups, ['sourceKind']);
    expect(b.grandTotal).toBe(9_010_100_000_000_000n - 1n);
    expect(b.grandTotal > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('refuses non-integer pence rather than summing floats', () => {
    expect(() => breakdown([group({ pence: 0.5 })], ['year'])).toThrow('is not a whole number of pence');
  });
});
