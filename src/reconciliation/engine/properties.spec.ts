import fc from 'fast-check';
import { formatFiscalYear } from '../../common/fiscal';
import type { AllocationFilter } from '../../headlines/headline-rule';
import { breakdown, bucketLabel, compareBuckets, DIMENSIONS, type Dimension } from './breakdown';
import { reconcile } from './reconcile';
import { headline, M, TENTH } from './spec-fixtures';
import type { AllocationGroup } from './types';

/** Property tests: totals always add up, data-built headlines reconcile, status follows precision exactly. */

const RUNS = { numRuns: 200 };
const KINDS = ['LGF', 'LGF_PRECOMMITTED', 'LOCAL_MATCH', 'PRIVATE_MATCH', 'GROWTH_HUB'];
const REVENUE = new Set(['GROWTH_HUB']);
const STATUSES = ['confirmed', 'provisional', 'indicative', 'withdrawn'];
const THEMES = ['SITES', 'CONNECT', 'SKILLS'];
const PROJECTS = ['AMSH', 'ETRURIA', 'SWAR', 'zeta'];
const POOLS = ['P1', 'P2'];
const YEARS = [2015, 2016, 2017, 2018, 2019, 2020];

type Period = Pick<AllocationGroup, 'periodKind' | 'yearFrom' | 'yearTo'>;
const periodArb = (kinds: ('year' | 'range' | 'unprofiled')[]) =>
  fc.constantFrom(...kinds).chain((k): fc.Arbitrary<Period> => {
    if (k === 'unprofiled') return fc.constant({ periodKind: k, yearFrom: null, yearTo: null });
    if (k === 'year') return fc.constantFrom(...YEARS).map((y) => ({ periodKind: k, yearFrom: y, yearTo: y }));
    return fc
      .tuple(fc.constantFrom(...YEARS), fc.option(fc.integer({ min: 0, max: 4 })))
      .map(([y, len]) => ({ periodKind: k, yearFrom: y, yearTo: len === null ? null : y + len }));
  });

const recipientArb = fc.oneof(
  fc.record({
    projectCode: fc.constantFrom(...PROJECTS),
    poolCode: fc.constant(null),
    themeCode: fc.constantFrom(...THEMES),
  }),
  fc.record({
    projectCode: fc.constant(null),
    poolCode: fc.constantFrom(...POOLS),
    themeCode: fc.constantFrom(...THEMES),
  }),
  fc.constant({ projectCode: null, poolCode: null, themeCode: null }),
);

const groupsArb = (periods: ('year' | 'range' | 'unprofiled')[] = ['year', 'range', 'unprofiled'], minPence = -1e12) =>
  fc
    .array(
      fc.record({
        sourceKind: fc.constantFrom(...KINDS),
        commitmentStatus: fc.constantFrom(...STATUSES),
        period: periodArb(periods),
        recipient: recipientArb,
        pence: fc.integer({ min: minPence, max: 1e12 }),
        twoIds: fc.boolean(),
      }),
      { maxLength: 40 },
    )
    .map((rows) =>
      rows.map((r, i): AllocationGroup => ({
        sourceKind: r.sourceKind,
        commitmentStatus: r.commitmentStatus,
        ...r.period,
        ...r.recipient,
        capital: !REVENUE.has(r.sourceKind),
        pence: r.pence,
        allocationIds: r.twoIds ? [2 * i + 1, 2 * i + 2] : [2 * i + 1],
      })),
    );

const bySum = (xs: readonly (number | bigint)[]) => xs.reduce<bigint>((s, x) => s + BigInt(x), 0n);

describe('breakdown properties', () => {
  it('every row, column and grand total equals the sum of its cells and of the groups', () => {
    fc.assert(
      fc.property(groupsArb(), fc.shuffledSubarray([...DIMENSIONS]), (groups, by) => {
        const b = breakdown(groups, by);
        const rowTotals: bigint[] = [];
        for (const row of b.rows) {
          expect(Object.keys(row.cells).sort()).toEqual([...b.columns].sort());
          expect(BigInt(row.total)).toBe(bySum(b.columns.map((c) => row.cells[c])));
          rowTotals.push(row.total);
          // Oracle: the row holds exactly the groups whose buckets match its key.
          const mine = groups.filter((g) => b.rowDimensions.every((d, i) => bucketLabel(g, d) === row.labels[i]));
          expect(BigInt(row.total)).toBe(bySum(mine.map((g) => g.pence)));
          expect(row.allocationIds).toEqual([...new Set(mine.flatMap((g) => g.allocationIds))].sort((x, y) => x - y));
        }
        for (const c of b.columns) expect(BigInt(b.columnTotals[c])).toBe(bySum(b.rows.map((r) => r.cells[c])));
        const all = bySum(groups.map((g) => g.pence));
        expect(BigInt(b.grandTotal)).toBe(all);
        expect(bySum(rowTotals)).toBe(all);
        expect(bySum(b.columns.map((c) => b.columnTotals[c]))).toBe(all);
        // Rows are unique and in the documented order.
        for (let i = 1; i < b.rows.length; i++) {
          const prev = b.rows[i - 1].labels;
          const cur = b.rows[i].labels;
          const firstDiff = b.rowDimensions.findIndex((d, k) => prev[k] !== cur[k]);
          expect(firstDiff).toBeGreaterThanOrEqual(0);
          expect(compareBuckets(b.rowDimensions[firstDiff], prev[firstDiff], cur[firstDiff])).toBeLessThan(0);
        }
        if (b.columnDimension) {
          for (let i = 1; i < b.columns.length; i++)
            expect(compareBuckets(b.columnDimension, b.columns[i - 1], b.columns[i])).toBeLessThan(0);
        }
      }),
      RUNS,
    );
  });

  it('swapping rows and columns transposes the same cells', () => {
    const pair = fc.shuffledSubarray([...DIMENSIONS], { minLength: 2, maxLength: 2 }) as fc.Arbitrary<Dimension[]>;
    fc.assert(
      fc.property(groupsArb(), pair, (groups, [a, b]) => {
        const ab = breakdown(groups, [a, b]);
        const ba = breakdown(groups, [b, a]);
        for (const row of ab.rows) {
          for (const col of ab.columns) {
            const other = ba.rows.find((r) => r.labels[0] === col);
            expect(other?.cells[row.labels[0]] ?? 0).toBe(row.cells[col]);
          }
        }
        expect(ba.grandTotal).toBe(ab.grandTotal);
      }),
      { numRuns: 100 },
    );
  });
});

/** A random allocations filter; years only when asked for. */
const filterArb = (withYears: boolean): fc.Arbitrary<AllocationFilter> =>
  fc.record(
    {
      sourceKinds: fc.subarray(KINDS, { minLength: 1 }),
      themes: fc.subarray(THEMES, { minLength: 1 }),
      projects: fc.subarray(PROJECTS, { minLength: 1 }),
      pools: fc.subarray(POOLS, { minLength: 1 }),
      programmeLevel: fc.boolean(),
      ...(withYears
        ? {
            years: fc.subarray(YEARS, { minLength: 1 }).map((ys) => ys.map((y) => formatFiscalYear(y))),
            yearsOnwards: fc.boolean(),
          }
        : {}),
    },
    { requiredKeys: [] },
  );

/** An independent, deliberately naive reading of the filter rules (years excluded). */
function matchesApartFromYears(g: AllocationGroup, f: AllocationFilter): boolean {
  if (g.commitmentStatus === 'withdrawn') return false;
  if (!g.capital && !(f.sourceKinds ?? []).includes(g.sourceKind)) return false;
  if (f.sourceKinds && !f.sourceKinds.includes(g.sourceKind)) return false;
  if (f.themes && !f.themes.includes(g.themeCode ?? '')) return false;
  if (f.projects || f.pools) {
    const ok = (f.projects ?? []).includes(g.projectCode ?? '') || (f.pools ?? []).includes(g.poolCode ?? '');
    if (!ok) return false;
  }
  return !(f.programmeLevel === false && g.projectCode === null && g.poolCode === null);
}

function singleYearInside(g: AllocationGroup, f: AllocationFilter): boolean {
  if (!f.years) return true;
  const starts = f.years.map((y) => Number(y.slice(0, 4)));
  return f.yearsOnwards ? g.yearFrom! >= Math.min(...starts) : starts.includes(g.yearFrom!);
}

describe('reconcile properties', () => {
  it('a headline built from the data itself reconciles (or is met), with no unattributed', () => {
    fc.assert(
      fc.property(
        groupsArb(['year'], 0),
        filterArb(true),
        fc.constantFrom(1, TENTH, M),
        fc.constantFrom('exact' as const, 'about' as const, 'at_least' as const),
        (groups, filter, precision, qualifier) => {
          const mine = groups.filter((g) => matchesApartFromYears(g, filter) && singleYearInside(g, filter));
          const stated = mine.reduce((s, g) => s + Number(g.pence), 0);
          const r = reconcile({
            headlines: [headline('H', stated, precision, { allocations: filter }, { qualifier })],
            groups,
            projects: [],
            outputs: {},
          });
          const line = r.lines[0];
          expect(line.status).toBe(qualifier === 'at_least' ? 'met' : 'reconciled');
          expect([line.computed, line.variance, line.unattributed, line.suggestion]).toEqual([stated, 0, null, null]);
          expect(line.contributingAllocationIds).toEqual(
            [...new Set(mine.flatMap((g) => g.allocationIds))].sort((a, b) => a - b),
          );
          if (qualifier !== 'at_least') expect(line.explanation).toBe('');
        },
      ),
      RUNS,
    );
  });

  it('never invents a year split: unprofiled money in scope makes a year line not comparable', () => {
    fc.assert(
      fc.property(groupsArb(['year', 'range', 'unprofiled'], 0), filterArb(true), (groups, filter) => {
        const line = reconcile({
          headlines: [headline('H', 1, 1, { allocations: filter })],
          groups,
          projects: [],
          outputs: {},
        }).lines[0];
        const inScope = groups.filter((g) => matchesApartFromYears(g, filter));
        if (filter.years && inScope.some((g) => g.periodKind === 'unprofiled')) {
          expect([line.status, line.computed, line.variance, line.unattributed]).toEqual([
            'not_comparable',
            null,
            null,
            null,
          ]);
          expect(line.explanation).toContain('no split is invented');
        }
        if (!filter.years) {
          expect(line.computed).toBe(inScope.reduce((s, g) => s + Number(g.pence), 0));
        }
        if (line.status === 'not_comparable') expect(line.computed).toBeNull();
      }),
      RUNS,
    );
  });

  it('status follows the precision exactly around half a unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.integer({ min: -2, max: 2 }),
        fc.constantFrom(1, -1),
        fc.integer({ min: 0, max: 1e12 }),
        (precision, offset, sign, base) => {
          const d = Math.max(0, Math.floor(precision / 2) + offset);
          const variance = d === 0 ? 0 : sign * d; // never -0
          const stated = base + 3e12; // keep computed non-negative
          const line = reconcile({
            headlines: [headline('H', stated, precision, { allocations: {} })],
            groups: [{ ...GROUP, pence: stated + variance }],
            projects: [],
            outputs: {},
          }).lines[0];
          const expected =
            d === 0 ? 'reconciled' : 2n * BigInt(d) <= BigInt(precision) ? 'within_rounding' : 'unreconciled';
          expect(line.status).toBe(expected);
          expect(line.variance).toBe(variance);
          expect(line.tolerance * 2).toBe(precision);
          expect(line.unattributed).toBe(d === 0 ? null : -variance);
        },
      ),
      RUNS,
    );
  });

  it('suggestions point both ways at one allocation of exactly the variance, and move nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1e10 }), groupsArb(['year'], 1), (v, others) => {
        const stray: AllocationGroup = { ...GROUP, projectCode: 'AMSH', pence: v, allocationIds: [9_999] };
        const groups = [...others.filter((g) => g.commitmentStatus !== 'withdrawn'), stray];
        const sum = (code: string) =>
          groups.filter((g) => g.capital && g.projectCode === code).reduce((s, g) => s + Number(g.pence), 0);
        const hx = headline('HX', sum('AMSH') - v, 1, { allocations: { projects: ['AMSH'] } });
        const hy = headline('HY', sum('SWAR') + v, 1, { allocations: { projects: ['SWAR'] } });
        const [x, y] = reconcile({ headlines: [hy, hx], groups, projects: [], outputs: {} }).lines;
        expect([x.computed, y.computed]).toEqual([sum('AMSH'), sum('SWAR')]);
        expect([x.status, y.status]).toEqual(['unreconciled', 'unreconciled']);
        expect(x.suggestion?.withHeadlineCode).toBe('HY');
        expect(y.suggestion).toEqual({ allocationId: x.suggestion!.allocationId, withHeadlineCode: 'HX' });
        const chosen = groups.find(
          (g) => g.allocationIds.length === 1 && g.allocationIds[0] === x.suggestion!.allocationId,
        )!;
        expect([chosen.pence, chosen.projectCode]).toEqual([v, 'AMSH']);
      }),
      RUNS,
    );
  });

  it('the summary counts every line once and totals the unattributed exactly', () => {
    fc.assert(
      fc.property(
        groupsArb(),
        fc.array(filterArb(true), { maxLength: 6 }),
        fc.integer({ min: 0, max: 1e12 }),
        (groups, filters, stated) => {
          const hs = filters.map((f, i) => headline(`H${i}`, stated, TENTH, { allocations: f }));
          const r = reconcile({ headlines: hs, groups, projects: [], outputs: {} });
          expect(Object.values(r.summary.byStatus).reduce((s, n) => s + n, 0)).toBe(r.lines.length);
          expect(BigInt(r.summary.totalUnattributed)).toBe(bySum(r.lines.map((l) => l.unattributed ?? 0)));
          expect(r.lines.map((l) => l.headlineCode)).toEqual([...hs.map((h) => h.code)].sort());
        },
      ),
      { numRuns: 100 },
    );
  });
});

const GROUP: AllocationGroup = {
  sourceKind: 'LGF',
  commitmentStatus: 'confirmed',
  periodKind: 'unprofiled',
  yearFrom: null,
  yearTo: null,
  themeCode: 'SKILLS',
  projectCode: 'ETRURIA',
  poolCode: null,
  capital: true,
  pence: 0,
  allocationIds: [1],
};
