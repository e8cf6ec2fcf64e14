import { findConflicts, reconcile, statusFor } from './reconcile';
import type { ReconciliationLine } from './report';
import { group, headline, inRange, inYear, M, pooled, programmeLevel, TENTH } from './spec-fixtures';
import type { AllocationGroup, HeadlineInput } from './types';

/** Expected values below are worked by hand from the pence in each test, never from the engine. */

function only(headlines: HeadlineInput[], groups: AllocationGroup[]): ReconciliationLine {
  const r = reconcile({ headlines, groups, projects: [], outputs: {} });
  expect(r.lines).toHaveLength(1);
  return r.lines[0];
}

const LGF_TOTAL = 2_770_000_000; // "£27.7m", precision £0.1m

describe('status at the precision boundary: a figure printed to £0.1m (precision 10,000,000p)', () => {
  const rule = { allocations: { sourceKinds: ['LGF'] } };
  const cases: [number, string, number | null][] = [
    [0, 'reconciled', null],
    [5_000_000, 'within_rounding', -5_000_000],
    [-5_000_000, 'within_rounding', 5_000_000],
    [5_000_001, 'unreconciled', -5_000_001],
    [-5_000_001, 'unreconciled', 5_000_001],
  ];
  it.each(cases)('variance %i → %s (unattributed %p)', (variance, status, unattributed) => {
    const line = only(
      [headline('LGF_TOTAL', LGF_TOTAL, TENTH, rule)],
      [
        group({ pence: 2_000_000_000, allocationIds: [1] }),
        group({ pence: 770_000_000 + variance, projectCode: 'SWAR', allocationIds: [2] }),
      ],
    );
    expect(line.computed).toBe(LGF_TOTAL + variance);
    expect(line.variance).toBe(variance);
    expect(line.tolerance).toBe(5_000_000);
    expect(line.status).toBe(status);
    expect(line.unattributed).toBe(unattributed);
    expect(line.contributingAllocationIds).toEqual([1, 2]);
    if (status === 'reconciled') expect(line.explanation).toBe('');
  });

  it('explains within_rounding with the printed precision and the sign', () => {
    const line = only([headline('LGF_TOTAL', LGF_TOTAL, TENTH, rule)], [group({ pence: LGF_TOTAL + 5_000_000 })]);
    expect(line.explanation).toBe(
      'The project-level allocations add up to £27.75m, £0.05m more than the £27.7m stated; this agrees within the rounding of a figure printed to £0.1m (±£0.05m). ' +
        '£0.05m is shown as over-attributed (unattributed −£0.05m); nothing has been moved.',
    );
  });

  it('explains an over-attributed total: project figures exceed the stated one', () => {
    const line = only([headline('LGF_TOTAL', LGF_TOTAL, TENTH, rule)], [group({ pence: 3_460_000_000 })]);
    expect(line.status).toBe('unreconciled');
    expect(line.unattributed).toBe(-690_000_000);
    expect(line.explanation).toBe(
      'The project-level allocations add up to £34.6m, £6.9m more than the £27.7m stated. £6.9m is shown as over-attributed (unattributed −£6.9m); nothing has been moved.',
    );
  });

  it('explains an under-attributed total, naming pooled money as "allocations it covers"', () => {
    const line = only(
      [headline('LGF_TOTAL', LGF_TOTAL, TENTH, rule)],
      [group({ pence: 2_080_000_000, ...pooled('P') })],
    );
    expect(line.unattributed).toBe(690_000_000);
    expect(line.explanation).toBe(
      'The allocations it covers add up to £20.8m, £6.9m less than the £27.7m stated. £6.9m is shown as unattributed; nothing has been moved.',
    );
  });
});

describe('a figure printed to £1m ("£34m", precision 100,000,000p)', () => {
  const rule = { allocations: { sourceKinds: ['LGF_PROVISIONAL'] } };
  it.each([
    [50_000_000, 'within_rounding'],
    [-50_000_000, 'within_rounding'],
    [50_000_001, 'unreconciled'],
    [-50_000_001, 'unreconciled'],
    [0, 'reconciled'],
  ])('variance %i → %s', (variance, status) => {
    const line = only(
      [headline('PROV', 34 * M, M, rule)],
      [group({ sourceKind: 'LGF_PROVISIONAL', pence: 34 * M + variance })],
    );
    expect(line.status).toBe(status);
    expect(line.tolerance).toBe(50_000_000);
  });
  it('says ±£0.5m for a figure printed to £1m', () => {
    const line = only(
      [headline('PROV', 34 * M, M, rule)],
      [group({ sourceKind: 'LGF_PROVISIONAL', pence: 34 * M - 50_000_000 })],
    );
    expect(line.explanation).toContain(
      '£0.5m less than the £34.0m stated; this agrees within the rounding of a figure printed to £1m (±£0.5m).',
    );
  });
});

describe('"at least" figures', () => {
  const rule = { allocations: { sourceKinds: ['LOCAL_MATCH', 'PRIVATE_MATCH'] } };
  const h = () => headline('MATCH', 19 * M, M, rule, { qualifier: 'at_least' });
  it('is met at exact equality, with no unattributed', () => {
    const line = only(
      [h()],
      [
        group({ sourceKind: 'LOCAL_MATCH', pence: 14 * M }),
        group({ sourceKind: 'PRIVATE_MATCH', ...pooled('P'), pence: 5 * M }),
      ],
    );
    expect([line.status, line.variance, line.unattributed]).toEqual(['met', 0, null]);
    expect(line.explanation).toBe(
      'The allocations it covers add up to £19.0m, which reaches the at least £19.0m stated.',
    );
  });
  it('is not met one penny short (rounding never helps a minimum)', () => {
    const line = only([h()], [group({ sourceKind: 'LOCAL_MATCH', pence: 19 * M - 1 })]);
    expect([line.status, line.variance, line.unattributed]).toEqual(['not_met', -1, null]);
    expect(line.explanation).toBe(
      'The project-level allocations add up to £18,999,999.99, £0.01 short of the at least £19.0m stated.',
    );
  });
  it('statusFor agrees', () => {
    expect(statusFor('at_least', 10, 10, 100)).toBe('met');
    expect(statusFor('at_least', 10, 9, 100)).toBe('not_met');
    expect(statusFor('about', 100, 150, 100)).toBe('within_rounding');
    expect(statusFor('exact', 5000, 5001, 1)).toBe('unreconciled'); // 2·1 > 1
    expect(statusFor('exact', 1, 2, 2)).toBe('within_rounding'); // half of 2 is exactly 1
  });
});

describe('years: never invent a split', () => {
  const lgf1516 = (extra = {}) =>
    headline('LGF_1516', 1_360_000_000, TENTH, { allocations: { sourceKinds: ['LGF'], years: ['2015-16'], ...extra } });

  it('all unprofiled → not_comparable with the reason', () => {
    const line = only(
      [lgf1516()],
      [
        group({ pence: 2_500_000_000, allocationIds: [3] }),
        group({ pence: 960_000_000, projectCode: 'SWAR', allocationIds: [4] }),
      ],
    );
    expect(line.status).toBe('not_comparable');
    expect([line.computed, line.variance, line.unattributed]).toEqual([null, null, null]);
    expect(line.contributingAllocationIds).toEqual([3, 4]);
    expect(line.explanation).toBe(
      "The source gives these allocations' amounts without a year split (all £34.6m unprofiled), so a figure for 2015-16 cannot be checked against them; no split is invented.",
    );
  });

  it('some unprofiled among year-profiled money is still not comparable', () => {
    const line = only([lgf1516()], [group({ pence: 13 * M, ...inYear(2015) }), group({ pence: 6 * TENTH })]);
    expect(line.status).toBe('not_comparable');
    expect(line.explanation).toContain('(£0.6m of £13.6m unprofiled)');
  });

  it('a range that straddles the window → not_comparable, naming the range', () => {
    const line = only([lgf1516()], [group({ pence: 1_360_000_000, ...inRange(2015, 2016) })]);
    expect(line.status).toBe('not_comparable');
    expect(line.explanation).toBe(
      '£13.6m is given for 2015-16 to 2016-17, which runs partly inside and partly outside 2015-16, so a figure for 2015-16 cannot be checked against them; no split is invented.',
    );
  });

  it('a range wholly outside is left out; single years inside count', () => {
    const line = only(
      [lgf1516()],
      [
        group({ pence: 1_360_000_000, ...inYear(2015), allocationIds: [1] }),
        group({ pence: 1_410_000_000, ...inRange(2016, 2020), allocationIds: [2] }),
        group({ pence: 7, ...inYear(2016) }),
      ],
    );
    expect([line.status, line.computed, line.contributingAllocationIds]).toEqual(['reconciled', 1_360_000_000, [1]]);
  });

  it('"2016 onwards": single years from 2016, closed and open ranges inside the window count', () => {
    const h = headline('LGF_16ON', 1_410_000_000, TENTH, {
      allocations: { sourceKinds: ['LGF'], years: ['2016-17'], yearsOnwards: true },
    });
    const line = only(
      [h],
      [
        group({ pence: 1 * M, ...inYear(2015) }), // before the window: left out
        group({ pence: 4 * M, ...inYear(2017) }),
        group({ pence: 5 * M, ...inRange(2016, 2020) }),
        group({ pence: 51 * TENTH, ...inRange(2018, null) }),
      ],
    );
    expect([line.status, line.computed]).toEqual(['reconciled', 1_410_000_000]);
  });

  it('an open range that begins before an "onwards" window straddles it', () => {
    const h = headline('LGF_16ON', 1_410_000_000, TENTH, { allocations: { years: ['2016-17'], yearsOnwards: true } });
    expect(only([h], [group({ pence: 1_410_000_000, ...inRange(2015, null) })]).status).toBe('not_comparable');
  });

  it('listed years without "onwards": a range must lie entirely among them', () => {
    const h = (years: string[]) => headline('Y', 3 * M, M, { allocations: { years } });
    const g = [group({ pence: 3 * M, ...inRange(2016, 2018) })];
    expect(only([h(['2016-17', '2017-18', '2018-19'])], g).status).toBe('reconciled');
    expect(only([h(['2016-17', '2017-18'])], g).status).toBe('not_comparable');
    expect(only([h(['2016-17'])], [group({ pence: 3 * M, ...inRange(2016, null) })]).status).toBe('not_comparable');
    expect(
      only(
        [h(['2016-17'])],
        [group({ pence: 3 * M, ...inRange(2017, null) }), group({ pence: 3 * M, ...inYear(2016) })],
      ).status,
    ).toBe('reconciled');
  });

  it('a year that is not a financial year makes the line not comparable, not a crash', () => {
    const line = only([headline('BAD', 1, 1, { allocations: { years: ['2015/16'] } })], []);
    expect(line.status).toBe('not_comparable');
    expect(line.explanation).toBe(
      'The rule for this figure names a year that cannot be read ("2015/16" is not a financial year like "2015-16"), so it cannot be checked.',
    );
  });
});

describe('which groups count', () => {
  const hub = () =>
    group({
      pence: 25_000_000,
      sourceKind: 'GROWTH_HUB',
      capital: false,
      ...inYear(2015),
      ...programmeLevel,
      allocationIds: [7],
    });

  it('withdrawn allocations never count, even when named', () => {
    const line = only(
      [headline('T', 4 * M, TENTH, { allocations: { projects: ['LICHFIELD'] } })],
      [
        group({ pence: 4 * M, projectCode: 'LICHFIELD', allocationIds: [1] }),
        group({ pence: 2 * M, projectCode: 'LICHFIELD', commitmentStatus: 'withdrawn', allocationIds: [2] }),
      ],
    );
    expect([line.status, line.computed, line.contributingAllocationIds]).toEqual(['reconciled', 4 * M, [1]]);
  });

  it('revenue money is left out unless its kind is named', () => {
    const capital = group({ pence: 1 * M, allocationIds: [1] });
    expect(only([headline('ALL', 1 * M, TENTH, { allocations: {} })], [capital, hub()]).computed).toBe(1 * M);
    expect(
      only([headline('LGF', 1 * M, TENTH, { allocations: { sourceKinds: ['LGF'] } })], [capital, hub()]).computed,
    ).toBe(1 * M);
    const named = only(
      [headline('HUB', 25_000_000, 100, { allocations: { sourceKinds: ['GROWTH_HUB'] } })],
      [capital, hub()],
    );
    expect([named.status, named.computed, named.contributingAllocationIds]).toEqual(['reconciled', 25_000_000, [7]]);
  });

  it('pools, programme-level money and themes', () => {
    const groups = [
      group({ pence: 48 * TENTH, sourceKind: 'PRIVATE_MATCH', ...pooled('SITES_PRIVATE'), allocationIds: [5] }),
      group({ pence: 3 * M, sourceKind: 'PRIVATE_MATCH', ...programmeLevel, allocationIds: [6] }),
      group({
        pence: 1 * M,
        sourceKind: 'PRIVATE_MATCH',
        projectCode: 'SWAR',
        themeCode: 'CONNECT',
        allocationIds: [8],
      }),
    ];
    const byPool = only([headline('P', 48 * TENTH, TENTH, { allocations: { pools: ['SITES_PRIVATE'] } })], groups);
    expect([byPool.status, byPool.contributingAllocationIds]).toEqual(['reconciled', [5]]);
    const noProgramme = only(
      [headline('NP', 58 * TENTH, TENTH, { allocations: { sourceKinds: ['PRIVATE_MATCH'], programmeLevel: false } })],
      groups,
    );
    expect([noProgramme.computed, noProgramme.contributingAllocationIds]).toEqual([58 * TENTH, [5, 8]]);
    const everything = only(
      [headline('E', 88 * TENTH, TENTH, { allocations: { sourceKinds: ['PRIVATE_MATCH'] } })],
      groups,
    );
    expect(everything.computed).toBe(88 * TENTH);
    // Programme-level money has no theme, so a theme filter never picks it up.
    const sites = only([headline('S', 48 * TENTH, TENTH, { allocations: { themes: ['SITES'] } })], groups);
    expect(sites.contributingAllocationIds).toEqual([5]);
    // Projects and pools both name recipients: given together they add up.
    const both = only(
      [headline('B', 58 * TENTH, TENTH, { allocations: { projects: ['SWAR'], pools: ['SITES_PRIVATE'] } })],
      groups,
    );
    expect([both.status, both.contributingAllocationIds]).toEqual(['reconciled', [5, 8]]);
  });

  it('a rule nothing matches is unreconciled by the whole amount', () => {
    const line = only([headline('X', 2 * M, TENTH, { allocations: { projects: ['NONE'] } })], [group({ pence: 5 })]);
    expect([line.status, line.computed, line.unattributed]).toEqual(['unreconciled', 0, 2 * M]);
    expect(line.explanation).toBe(
      'No allocation matches this figure, so the allocations add up to £0.0m, £2.0m less than the £2.0m stated. £2.0m is shown as unattributed; nothing has been moved.',
    );
  });
});

describe('suggestions: opposite variances explained by one allocation', () => {
  // LGF 2015-16 should be £13.6m and 2016 onwards £14.1m, but the skills hub's £6.9m was
  // profiled in 2015-16: +£6.9m on one line, −£6.9m on the other.
  const h1516 = headline(
    'LGF_1516',
    1_360_000_000,
    TENTH,
    { allocations: { sourceKinds: ['LGF'], years: ['2015-16'] } },
    { label: 'LGF award 2015/6' },
  );
  const h16on = headline(
    'LGF_16ON',
    1_410_000_000,
    TENTH,
    { allocations: { sourceKinds: ['LGF'], years: ['2016-17'], yearsOnwards: true } },
    { label: 'LGF award 2016 onwards' },
  );
  const base = [
    group({ pence: 1_360_000_000, ...inYear(2015), allocationIds: [1] }),
    group({ pence: 720_000_000, ...inRange(2016, 2020), projectCode: 'SWAR', allocationIds: [6] }),
  ];

  it('suggests the single £6.9m allocation on both lines, moving nothing', () => {
    const amsh = group({
      pence: 690_000_000,
      ...inYear(2015),
      projectCode: 'AMSH',
      themeCode: 'SKILLS',
      allocationIds: [12],
    });
    const r = reconcile({ headlines: [h16on, h1516], groups: [...base, amsh], projects: [], outputs: {} });
    const [a, b] = r.lines; // sorted by code: LGF_1516 then LGF_16ON
    expect([a.headlineCode, a.variance, a.computed, a.unattributed]).toEqual([
      'LGF_1516',
      690_000_000,
      2_050_000_000,
      -690_000_000,
    ]);
    expect([b.headlineCode, b.variance, b.computed, b.unattributed]).toEqual([
      'LGF_16ON',
      -690_000_000,
      720_000_000,
      690_000_000,
    ]);
    expect(a.suggestion).toEqual({ allocationId: 12, withHeadlineCode: 'LGF_16ON' });
    expect(b.suggestion).toEqual({ allocationId: 12, withHeadlineCode: 'LGF_1516' });
    expect(a.explanation).toBe(
      'The project-level allocations add up to £20.5m, £6.9m more than the £13.6m stated. £6.9m is shown as over-attributed (unattributed −£6.9m); nothing has been moved. ' +
        "The £6.9m surplus here matches the £6.9m shortfall on LGF award 2016 onwards (LGF_16ON): project AMSH's £6.9m LGF allocation (id 12) may belong there. This is a suggestion only; no money has been moved.",
    );
    expect(b.explanation).toBe(
      'The project-level allocations add up to £7.2m, £6.9m less than the £14.1m stated. £6.9m is shown as unattributed; nothing has been moved. ' +
        "The £6.9m shortfall here matches the £6.9m surplus on LGF award 2015/6 (LGF_1516): project AMSH's £6.9m LGF allocation (id 12), counted there, may belong here. This is a suggestion only; no money has been moved.",
    );
    expect(r.summary.totalUnattributed).toBe(0);
  });

  it('makes no suggestion when the £6.9m is a group of several allocations', () => {
    const twoAllocations = group({ pence: 690_000_000, ...inYear(2015), projectCode: 'AMSH', allocationIds: [12, 13] });
    const r = reconcile({ headlines: [h1516, h16on], groups: [...base, twoAllocations], projects: [], outputs: {} });
    expect(r.lines.map((l) => [l.status, l.suggestion])).toEqual([
      ['unreconciled', null],
      ['unreconciled', null],
    ]);
    expect(r.lines[0].explanation).not.toContain('suggestion');
  });

  it('gives the hint to every line with the same shortfall, naming a partner in the same table first', () => {
    // The 2014 deal: the table's LGF award total (£27.7m) is £6.9m below the LGF project
    // figures, while both the deal text and the table put the provisional award £6.9m above
    // the provisional project figures. Both provisional lines deserve the hint, not just one.
    const table = { tableName: 'LGF breakdown', tableRow: 'row', tableColumn: 'Total' };
    const lgfTotal = headline(
      'TABLE-LGF-TOTAL',
      2_770_000_000,
      TENTH,
      { allocations: { sourceKinds: ['LGF'] } },
      { label: 'LGF award, total', ...table },
    );
    const provTable = headline(
      'TABLE-PROV-TOTAL',
      34 * M,
      M,
      { allocations: { sourceKinds: ['LGF_PROVISIONAL'] } },
      { label: 'Provisional, total', ...table },
    );
    const provText = headline(
      'B-PROVISIONAL',
      34 * M,
      M,
      { allocations: { sourceKinds: ['LGF_PROVISIONAL'] } },
      { label: 'Provisional award' },
    );
    const groups = [
      group({ pence: 2_770_000_000, allocationIds: [1] }),
      group({ pence: 690_000_000, projectCode: 'AMSH', themeCode: 'SKILLS', allocationIds: [18] }),
      group({ sourceKind: 'LGF_PROVISIONAL', pence: 2_710_000_000, allocationIds: [8] }),
    ];
    const r = reconcile({ headlines: [provText, lgfTotal, provTable], groups, projects: [], outputs: {} });
    const by = Object.fromEntries(r.lines.map((l) => [l.headlineCode, l]));
    expect(by['TABLE-LGF-TOTAL'].suggestion).toEqual({ allocationId: 18, withHeadlineCode: 'TABLE-PROV-TOTAL' });
    expect(by['TABLE-PROV-TOTAL'].suggestion).toEqual({ allocationId: 18, withHeadlineCode: 'TABLE-LGF-TOTAL' });
    expect(by['B-PROVISIONAL'].suggestion).toEqual({ allocationId: 18, withHeadlineCode: 'TABLE-LGF-TOTAL' });
    expect(by['TABLE-LGF-TOTAL'].explanation).toContain(
      "The £6.9m surplus here matches the £6.9m shortfall on Provisional, total (TABLE-PROV-TOTAL) and on Provisional award (B-PROVISIONAL): project AMSH's £6.9m LGF allocation (id 18) may belong there.",
    );
    expect(by['B-PROVISIONAL'].explanation).toContain(
      "matches the £6.9m surplus on LGF award, total (TABLE-LGF-TOTAL): project AMSH's £6.9m LGF allocation (id 18), counted there, may belong here.",
    );
    // Nothing moved: each line still shows its own figures.
    expect([by['B-PROVISIONAL'].computed, by['TABLE-LGF-TOTAL'].computed]).toEqual([2_710_000_000, 3_460_000_000]);
  });

  it('makes no suggestion when the variances do not cancel exactly', () => {
    const amsh = group({ pence: 690_000_001, ...inYear(2015), allocationIds: [12] });
    const r = reconcile({ headlines: [h1516, h16on], groups: [...base, amsh], projects: [], outputs: {} });
    expect(r.lines.map((l) => l.suggestion)).toEqual([null, null]);
  });
});

describe('sumOf: table arithmetic between headlines', () => {
  const cell = (code: string, value: number, printed: string, precision = TENTH) =>
    headline(
      code,
      value,
      precision,
      {},
      {
        tableName: 'LGF breakdown (£m)',
        source: { document: 'Growth Deal document', section: 'Part B', quote: null, printed },
      },
    );
  const t1516 = cell('LGF_1516', 1_360_000_000, '13.6');
  const pre1516 = cell('PRE_1516', 740_000_000, '7.4');
  const prov1516 = cell('PROV_1516', 0, '-');

  it('"21." = 13.6 + 7.4 + 0 reconciles (printed to £1m)', () => {
    const total = headline(
      'TOTAL_1516',
      21 * M,
      M,
      { sumOf: ['LGF_1516', 'PRE_1516', 'PROV_1516'] },
      { tableName: 'LGF breakdown (£m)' },
    );
    const line = reconcile({ headlines: [t1516, pre1516, prov1516, total], groups: [], projects: [], outputs: {} })
      .lines[0];
    expect([line.check, line.status, line.computed, line.contributingHeadlines]).toEqual([
      'sumOf',
      'reconciled',
      21 * M,
      ['LGF_1516', 'PRE_1516', 'PROV_1516'],
    ]);
    expect(line.table).toEqual({ name: 'LGF breakdown (£m)', row: null, column: null });
  });

  it('shows the arithmetic when it does not add up', () => {
    const total = cell('TOTAL', 2_120_000_000, '21.2');
    total.rule = { sumOf: ['LGF_1516', 'PRE_1516', 'PROV_1516'] };
    const line = reconcile({ headlines: [t1516, pre1516, prov1516, total], groups: [], projects: [], outputs: {} })
      .lines[0];
    expect([line.status, line.variance, line.unattributed]).toEqual(['unreconciled', -20_000_000, null]);
    expect(line.explanation).toBe(
      '£13.6m + £7.4m + £0.0m = £21.0m, £0.2m less than the £21.2m the table prints ("21.2").',
    );
  });

  it('an unknown headline code makes the line not comparable', () => {
    const total = headline('TOTAL', 21 * M, M, { sumOf: ['LGF_1516', 'NOPE'] });
    const line = reconcile({ headlines: [t1516, total], groups: [], projects: [], outputs: {} }).lines[0];
    expect([line.status, line.computed, line.variance]).toEqual(['not_comparable', null, null]);
    expect(line.explanation).toBe(
      'This figure is the sum of LGF_1516 + NOPE, but "NOPE" is not a headline figure of this programme, so the sum cannot be checked.',
    );
  });
});

describe('count and outputs checks', () => {
  const projects = [
    { code: 'A', themeCode: 'SITES', status: 'active' },
    { code: 'B', themeCode: 'SITES', status: 'active' },
    { code: 'C', themeCode: 'SKILLS', status: 'on_hold' },
    { code: 'D', themeCode: 'SITES', status: 'withdrawn' },
  ];
  it('counts projects that are not withdrawn, optionally by theme', () => {
    const all = headline('PROJECTS', 4, 1, { count: { of: 'projects' } }, { unit: 'projects' });
    const sites = headline(
      'SITES_PROJECTS',
      2,
      1,
      { count: { of: 'projects', themes: ['SITES'] } },
      { unit: 'projects' },
    );
    const r = reconcile({ headlines: [all, sites], projects, groups: [], outputs: {} });
    expect(r.lines.map((l) => [l.headlineCode, l.check, l.computed, l.status, l.tolerance])).toEqual([
      ['PROJECTS', 'count', 3, 'unreconciled', 0.5],
      ['SITES_PROJECTS', 'count', 2, 'reconciled', 0.5],
    ]);
    expect(r.lines[0].explanation).toBe(
      'The programme has 3 projects that are not withdrawn, 1 project fewer than the 4 projects stated.',
    );
  });

  const jobs = () =>
    headline(
      'JOBS',
      5000,
      1000,
      { outputs: { metrics: ['JOBS_CREATED', 'JOBS_SAFEGUARDED'] } },
      { unit: 'jobs', qualifier: 'at_least' },
    );
  it('before any job is delivered the jobs promise is not comparable, saying why', () => {
    const at = (outputsThrough: string | null | undefined) =>
      reconcile({ headlines: [jobs()], projects, groups: [], outputs: { HOMES_COMPLETED: 10 }, outputsThrough })
        .lines[0];
    const line = at(undefined);
    expect([line.status, line.computed, line.variance]).toEqual(['not_comparable', null, null]);
    expect(line.explanation).toBe(
      'No jobs have been delivered in a submitted quarter yet (JOBS_CREATED, JOBS_SAFEGUARDED), so the at least 5,000 jobs stated cannot be compared yet.',
    );
    // Jobs may be recorded in the reporting quarter: with no quarter submitted, none is delivered.
    expect(at(null).explanation).toBe(
      'No jobs have been delivered: no quarter has been submitted yet (JOBS_CREATED, JOBS_SAFEGUARDED), so the at least 5,000 jobs stated cannot be compared yet.',
    );
    expect(at('2016-17 Q3').explanation).toBe(
      'No jobs were delivered to the end of 2016-17 Q3, the last submitted quarter (JOBS_CREATED, JOBS_SAFEGUARDED), so the at least 5,000 jobs stated cannot be compared yet.',
    );
  });
  it('sums the recorded metrics and compares with the minimum', () => {
    const short = reconcile({ headlines: [jobs()], projects, groups: [], outputs: { JOBS_CREATED: 1200 } }).lines[0];
    expect([short.status, short.computed, short.variance]).toEqual(['not_met', 1200, -3800]);
    expect(short.explanation).toBe(
      'Outputs delivered total 1,200 jobs (JOBS_CREATED; none delivered for JOBS_SAFEGUARDED), 3,800 jobs short of the at least 5,000 jobs stated.',
    );
    const met = reconcile({
      headlines: [jobs()],
      projects,
      groups: [],
      outputs: { JOBS_CREATED: 4000, JOBS_SAFEGUARDED: 1000 },
    }).lines[0];
    expect([met.status, met.computed]).toEqual(['met', 5000]);
  });
});

describe('conflicts, summary and order', () => {
  it('sets conflicting statements of one measure side by side', () => {
    const deal = headline('DEAL_TOTAL', 8_230_000_000, TENTH, {}, { measure: 'lgf_total' });
    const committee = headline(
      'CTTEE_TOTAL',
      8_220_000_000,
      TENTH,
      {},
      {
        measure: 'lgf_total',
        source: {
          document: 'Committee report',
          section: 'Part A',
          quote: 'secured £82.2m investment',
          printed: '£82.2m',
        },
      },
    );
    const same = headline('SAME', 5, 1, {}, { measure: 'lgf_total_again' });
    const same2 = headline('SAME2', 5, 1, {}, { measure: 'lgf_total_again' });
    const r = reconcile({ headlines: [deal, committee, same, same2], groups: [], projects: [], outputs: {} });
    expect(r.conflicts).toEqual([
      {
        measure: 'lgf_total',
        unit: 'pounds',
        headlines: [
          {
            code: 'CTTEE_TOTAL',
            label: 'Label of CTTEE_TOTAL',
            stated: 8_220_000_000,
            qualifier: 'exact',
            document: 'Committee report',
            section: 'Part A',
            quote: 'secured £82.2m investment',
          },
          {
            code: 'DEAL_TOTAL',
            label: 'Label of DEAL_TOTAL',
            stated: 8_230_000_000,
            qualifier: 'exact',
            document: 'Growth Deal document',
            section: 'Part B',
            quote: null,
          },
        ],
        spread: 10_000_000,
        explanation:
          'Committee report says £82.2m; Growth Deal document says £82.3m: they differ by £0.1m. Both are kept.',
      },
    ]);
    expect(r.summary.conflicts).toBe(1);
  });

  it('one line per check, sorted by code then check; summary counts every status', () => {
    const multi = headline(
      'A_MULTI',
      2,
      1,
      { outputs: { metrics: ['HOMES_COMPLETED'] }, count: { of: 'projects' } },
      { unit: 'homes' },
    );
    const money = headline('B_MONEY', 3 * M, TENTH, { allocations: {} });
    const r = reconcile({
      headlines: [money, multi],
      groups: [group({ pence: 3 * M + 5_000_000 })],
      projects: [{ code: 'P', themeCode: null, status: 'active' }],
      outputs: {},
    });
    expect(r.lines.map((l) => [l.headlineCode, l.check, l.status])).toEqual([
      ['A_MULTI', 'count', 'unreconciled'],
      ['A_MULTI', 'outputs', 'not_comparable'],
      ['B_MONEY', 'allocations', 'within_rounding'],
    ]);
    expect(r.summary).toEqual({
      lines: 3,
      byStatus: { reconciled: 0, within_rounding: 1, unreconciled: 1, met: 0, not_met: 0, not_comparable: 1 },
      totalUnattributed: -5_000_000,
      conflicts: 0,
    });
    expect(r.lines[2].provenance).toEqual({
      document: 'Growth Deal document',
      section: 'Part B',
      quote: null,
      printed: null,
    });
  });
});

describe('a variance made by approved change requests names them instead of "unattributed"', () => {
  const rule = { allocations: { sourceKinds: ['LGF'] } };
  const change = (number: number, kind: string, lgf: number, other = 0) => ({
    number,
    kind,
    title: `change ${number}`,
    deltaBySource: { LGF: lgf, ...(other ? { LOCAL_MATCH: other } : {}) },
  });
  const run = (changes: ReturnType<typeof change>[], filter: object = rule) =>
    reconcile({
      headlines: [headline('LGF_TOTAL', LGF_TOTAL, TENTH, filter)],
      groups: [group({ pence: LGF_TOTAL - 20_000_000 })],
      projects: [],
      outputs: {},
      changes,
    }).lines[0];

  it('names the newest changes whose net movement on the kinds is exactly the variance', () => {
    // The programme was built by changes (+27.7m), then one moved LGF -0.2m (and local match, not counted).
    const line = run([
      change(1, 'add_project', LGF_TOTAL),
      change(2, 'envelope_change', 0, 5),
      change(3, 'reduce_allocation', -20_000_000, 7),
    ]);
    expect(line.unattributed).toBe(20_000_000);
    expect(line.explanation).toBe(
      'The project-level allocations add up to £27.5m, £0.2m less than the £27.7m stated. The difference is what approved change request 3 (reduce_allocation: “change 3”) moved.',
    );
    const two = run([change(1, 'reallocation', -30_000_000), change(2, 'reduce_allocation', 10_000_000)]);
    expect(two.explanation).toContain(
      'approved change request 1 (reallocation: “change 1”) and change request 2 (reduce_allocation: “change 2”) moved.',
    );
  });

  it('stays "unattributed" when no run of changes makes the variance, or the rule selects more than source kinds', () => {
    expect(run([change(1, 'reallocation', -10_000_000)]).explanation).toContain('£0.2m is shown as unattributed');
    expect(
      run([change(1, 'reduce_allocation', -20_000_000)], { allocations: { sourceKinds: ['LGF'], themes: ['SITES'] } })
        .explanation,
    ).toContain('is shown as unattributed');
  });
});

describe('which comparison each line is (one headline, two verdicts)', () => {
  it('names the allocations check and the table’s own arithmetic apart', () => {
    const table = { tableName: 'LGF breakdown (£m)' };
    const total = headline(
      'T-TOTAL',
      2_770_000_000,
      TENTH,
      { allocations: { sourceKinds: ['LGF'] }, sumOf: ['T-2015-16', 'T-2016-ON'] },
      table,
    );
    const r = reconcile({
      headlines: [
        headline('T-2015-16', 1_360_000_000, TENTH, {}, table),
        headline('T-2016-ON', 1_410_000_000, TENTH, {}, table),
        total,
      ],
      groups: [group({ pence: 3_460_000_000 })],
      projects: [],
      outputs: {},
    });
    // £34.6m of allocations against the £27.7m printed: unreconciled; 13.6 + 14.1 = 27.7: reconciled.
    expect(r.lines.map((l) => [l.headlineCode, l.check, l.comparison, l.status])).toEqual([
      ['T-TOTAL', 'allocations', 'against the allocations', 'unreconciled'],
      ['T-TOTAL', 'sumOf', 'the table’s own arithmetic', 'reconciled'],
    ]);
  });

  it('words the other checks by what they compare with', () => {
    const r = reconcile({
      headlines: [
        headline('PACKAGE', 300, 1, { sumOf: ['A', 'B'] }),
        headline('A', 100, 1, {}),
        headline('B', 200, 1, {}),
        headline('PROJECTS', 1, 1, { count: { of: 'projects' } }, { unit: 'projects' }),
        headline('JOBS', 10, 1, { outputs: { metrics: ['JOBS_CREATED'] } }, { unit: 'jobs' }),
      ],
      groups: [],
      projects: [{ code: 'ETRURIA', themeCode: 'SITES', status: 'approved' }],
      outputs: { JOBS_CREATED: 10 },
    });
    expect(r.lines.map((l) => [l.headlineCode, l.comparison])).toEqual([
      ['JOBS', 'against the outputs delivered'],
      ['PACKAGE', 'against the stated figures it adds up'],
      ['PROJECTS', 'against the number of projects'],
    ]);
  });
});

describe('pooled money against a per-project figure', () => {
  // The deal's £4.8m of private match to the sites pool, shared by three projects.
  const pools = [{ code: 'SITES-PRIVATE', projects: ['MEAFORD', 'LICHFIELD', 'BERICOTE'] }];
  const pool = () =>
    group({ sourceKind: 'PRIVATE_MATCH', pence: 480_000_000, ...pooled('SITES-PRIVATE'), allocationIds: [7] });
  const lichfield = (value: number, extra = {}) =>
    headline(
      'LICHFIELD-PRIVATE',
      value,
      TENTH,
      { allocations: { sourceKinds: ['PRIVATE_MATCH'], projects: ['LICHFIELD'] } },
      extra,
    );

  it('is not comparable, never "no allocation matches"', () => {
    const r = reconcile({ headlines: [lichfield(160_000_000)], groups: [pool()], projects: [], pools, outputs: {} });
    const l = r.lines[0];
    expect([l.status, l.computed, l.variance, l.unattributed, l.contributingAllocationIds]).toEqual([
      'not_comparable',
      null,
      null,
      null,
      [7],
    ]);
    expect(l.explanation).toBe(
      '£4.8m of private sector match funding to the pool SITES-PRIVATE (shared by BERICOTE, LICHFIELD and MEAFORD) is given without a split by project, so a figure for LICHFIELD alone cannot be checked against it; no split is invented.',
    );
  });

  it('names the project’s own money beside the pool’s', () => {
    const own = group({ sourceKind: 'PRIVATE_MATCH', pence: 50_000_000, projectCode: 'LICHFIELD', allocationIds: [8] });
    const l = reconcile({
      headlines: [lichfield(160_000_000)],
      groups: [pool(), own],
      projects: [],
      pools,
      outputs: {},
    }).lines[0];
    expect([l.status, l.contributingAllocationIds]).toEqual(['not_comparable', [7, 8]]);
    expect(l.explanation).toBe(
      "LICHFIELD's own allocations add up to £0.5m, but £4.8m of private sector match funding to the pool SITES-PRIVATE (shared by BERICOTE, LICHFIELD and MEAFORD) is also given without a split by project, so a figure for LICHFIELD alone cannot be checked against it; no split is invented.",
    );
    // A minimum the project's own £0.5m already reaches is met, whatever its share of the pool.
    const met = reconcile({
      headlines: [lichfield(40_000_000, { qualifier: 'at_least' })],
      groups: [pool(), own],
      projects: [],
      pools,
      outputs: {},
    }).lines[0];
    expect([met.status, met.computed, met.variance]).toEqual(['met', 50_000_000, 10_000_000]);
  });

  it('compares as before when the project shares no pool of that money, or the rule names the pool', () => {
    const etruria = headline('ETRURIA-PRIVATE', 160_000_000, TENTH, {
      allocations: { sourceKinds: ['PRIVATE_MATCH'], projects: ['ETRURIA'] },
    });
    const l = reconcile({ headlines: [etruria], groups: [pool()], projects: [], pools, outputs: {} }).lines[0];
    expect([l.status, l.computed, l.variance]).toEqual(['unreconciled', 0, -160_000_000]);
    const withPool = headline('SITES-PRIVATE', 480_000_000, TENTH, {
      allocations: { sourceKinds: ['PRIVATE_MATCH'], projects: ['LICHFIELD'], pools: ['SITES-PRIVATE'] },
    });
    const w = reconcile({ headlines: [withPool], groups: [pool()], projects: [], pools, outputs: {} }).lines[0];
    expect([w.status, w.computed]).toEqual(['reconciled', 480_000_000]);
  });
});

describe('minimums of one measure', () => {
  const jobs = (code: string, value: number, qualifier: 'exact' | 'at_least', precision = 1) =>
    headline(code, value, precision, {}, { measure: 'JOBS', unit: 'jobs', qualifier });
  const conflictsOf = (hs: HeadlineInput[]) =>
    findConflicts(hs).map((c) => [c.measure, c.headlines.map((h) => h.code), c.spread]);

  it('two "at least" figures both hold: no conflict', () => {
    expect(conflictsOf([jobs('AT-LEAST-5000', 5000, 'at_least'), jobs('AT-LEAST-4000', 4000, 'at_least')])).toEqual([]);
  });
  it('a stated figure that reaches the minimum, within its rounding, is no conflict', () => {
    // "4,900" printed to the hundred means 4,850 to 4,950: at least 4,950 can hold, 4,951 cannot.
    expect(conflictsOf([jobs('STATED', 4900, 'exact', 100), jobs('MIN', 4950, 'at_least')])).toEqual([]);
    expect(conflictsOf([jobs('STATED', 4900, 'exact', 100), jobs('MIN', 4951, 'at_least')])).toEqual([
      ['JOBS', ['STATED', 'MIN'], 51],
    ]);
  });
  it('a minimum above a stated figure, or two stated figures that differ, conflict', () => {
    expect(conflictsOf([jobs('STATED', 4900, 'exact', 100), jobs('MIN', 5000, 'at_least')])).toEqual([
      ['JOBS', ['STATED', 'MIN'], 100],
    ]);
    expect(
      conflictsOf([jobs('A', 4900, 'exact', 100), jobs('B', 4800, 'exact', 100), jobs('MIN', 10, 'at_least')]),
    ).toEqual([['JOBS', ['MIN', 'B', 'A'], 4890]]);
  });
});
