import { markAgreed, type MovedState } from './moved';
import { reconcile } from './reconcile';
import { group, headline, inYear, TENTH as T } from './spec-fixtures';

/**
 * Agreed vs now line by line, worked by hand. The deal as agreed: Lichfield LGF £4.0m and
 * Meaford LGF £4.2m (both SITES, unprofiled), Etruria LGF £1.0m in 2016-17 (CONNECTIVITY).
 * CR1 (illustrative) moves £0.2m Meaford -> Lichfield. CR2 (real) re-profiles £0.3m of
 * Etruria's 2016-17 money into 2017-18 (a new allocation), and CR3 (real) withdraws nothing
 * anyone counts (a rejected one would never reach here).
 */
const st = (p: Partial<MovedState> & { projectCode: string; amountPence: number }): MovedState => ({
  poolCode: null,
  themeCode: p.projectCode === 'ETRURIA' ? 'CONNECTIVITY' : 'SITES',
  sourceKind: 'LGF',
  commitmentStatus: 'confirmed',
  periodKind: 'unprofiled',
  yearFrom: null,
  yearTo: null,
  ...p,
});

const groups = [
  group({ projectCode: 'LICHFIELD', pence: 42 * T, allocationIds: [1] }),
  group({ projectCode: 'MEAFORD', pence: 40 * T, allocationIds: [2] }),
  group({ projectCode: 'ETRURIA', themeCode: 'CONNECTIVITY', pence: 7 * T, ...inYear(2016), allocationIds: [3] }),
  group({ projectCode: 'ETRURIA', themeCode: 'CONNECTIVITY', pence: 3 * T, ...inYear(2017), allocationIds: [4] }),
  group({ projectCode: 'AMSH', sourceKind: 'LOCAL_MATCH', themeCode: 'SITES', pence: 19 * T, allocationIds: [5] }),
];
const headlines = [
  headline('SITES-LGF', 82 * T, 1 * T, { allocations: { sourceKinds: ['LGF'], themes: ['SITES'] } }),
  headline('LICHFIELD-LGF', 40 * T, 1 * T, { allocations: { projects: ['LICHFIELD'] } }),
  headline('LGF-2016-17', 10 * T, 1 * T, {
    allocations: { sourceKinds: ['LGF'], projects: ['ETRURIA'], years: ['2016-17'] },
  }),
  headline('MATCH', 19 * T, 1 * T, { allocations: { sourceKinds: ['LOCAL_MATCH'] } }),
  headline('PROJECTS', 4, 1, { count: { of: 'projects' } }, { unit: 'projects' }),
];
const writes = [
  {
    changeRequest: 1,
    before: st({ projectCode: 'MEAFORD', amountPence: 42 * T }),
    after: st({ projectCode: 'MEAFORD', amountPence: 40 * T }),
  },
  {
    changeRequest: 1,
    before: st({ projectCode: 'LICHFIELD', amountPence: 40 * T }),
    after: st({ projectCode: 'LICHFIELD', amountPence: 42 * T }),
  },
  {
    changeRequest: 2,
    before: st({ projectCode: 'ETRURIA', amountPence: 10 * T, periodKind: 'year', yearFrom: 2016, yearTo: 2016 }),
    after: st({ projectCode: 'ETRURIA', amountPence: 7 * T, periodKind: 'year', yearFrom: 2016, yearTo: 2016 }),
  },
  {
    changeRequest: 2,
    before: null,
    after: st({ projectCode: 'ETRURIA', amountPence: 3 * T, periodKind: 'year', yearFrom: 2017, yearTo: 2017 }),
  },
  // A request that is not approved: its writes never count.
  {
    changeRequest: 9,
    before: st({ projectCode: 'LICHFIELD', amountPence: 42 * T }),
    after: st({ projectCode: 'LICHFIELD', amountPence: 90 * T }),
  },
];
const changes = [
  { number: 1, title: 'Virement', illustrative: true },
  { number: 2, title: 'Re-profile Etruria', illustrative: false },
];
const projects = ['LICHFIELD', 'MEAFORD', 'ETRURIA', 'AMSH'].map((code) => ({
  code,
  themeCode: null,
  status: 'approved',
}));
const report = markAgreed(reconcile({ headlines, groups, projects, outputs: {} }), headlines, groups, {
  writes,
  changes,
  // Lichfield's and Meaford's LGF lines: moved by the illustrative CR1.
  illustrativeHolders: [
    { projectCode: 'LICHFIELD', poolCode: null, sourceKind: 'LGF' },
    { projectCode: 'MEAFORD', poolCode: null, sourceKind: 'LGF' },
  ],
});
const line = (code: string) => report.lines.find((l) => l.headlineCode === code)!;
/** The engine's own line, before agreed vs now. */
const plain = (code: string) =>
  reconcile({ headlines, groups, projects, outputs: {} }).lines.find((l) => l.headlineCode === code)!;

describe('agreed vs now on each reconciliation line (worked by hand)', () => {
  it('money moved within a line: the total as agreed, the request and each holder’s move, illustrative', () => {
    const l = line('SITES-LGF');
    expect(l.agreed).toEqual({
      agreed: 82 * T,
      now: 82 * T,
      change: 0,
      changeRequests: [
        {
          number: 1,
          title: 'Virement',
          illustrative: true,
          change: 0,
          moves: [
            { project: 'LICHFIELD', pool: null, sourceKind: 'LGF', change: 2 * T },
            { project: 'MEAFORD', pool: null, sourceKind: 'LGF', change: -2 * T },
          ],
        },
      ],
    });
    expect(l.illustrative).toBe(true);
    expect(l.explanation).toBe(
      'The deal as agreed gives £8.2m here, now £8.2m: change request 1 (illustrative) moved money within it (LICHFIELD LGF +£0.2m; MEAFORD LGF −£0.2m). These figures include illustrative data, not the real deal.',
    );
  });

  it('money moved into a line: agreed £4.0m, now £4.2m, the difference explained by the request', () => {
    const l = line('LICHFIELD-LGF');
    expect([l.agreed!.agreed, l.agreed!.now, l.agreed!.change]).toEqual([40 * T, 42 * T, 2 * T]);
    expect(l.agreed!.changeRequests.map((c) => [c.number, c.change])).toEqual([[1, 2 * T]]);
    expect(l.explanation).toContain(
      'The deal as agreed gives £4.0m here, now £4.2m: change request 1 (illustrative) +£0.2m (LICHFIELD LGF +£0.2m).',
    );
  });

  it('a year line: only the money a re-profile moved out of that year counts; a real request is not illustrative', () => {
    const l = line('LGF-2016-17');
    // 2016-17 held Etruria's £1.0m as agreed; CR2 moved £0.3m of it to 2017-18.
    expect([l.computed, l.agreed!.agreed, l.agreed!.change]).toEqual([7 * T, 10 * T, -3 * T]);
    expect(l.agreed!.changeRequests).toEqual([
      {
        number: 2,
        title: 'Re-profile Etruria',
        illustrative: false,
        change: -3 * T,
        moves: [{ project: 'ETRURIA', pool: null, sourceKind: 'LGF', change: -3 * T }],
      },
    ]);
    expect(l.illustrative).toBeUndefined();
    // Only real requests moved it: its explanation is the engine's own, the agreed figure in the data.
    expect(l.explanation).toBe(plain('LGF-2016-17').explanation);
    expect(l.explanation).not.toContain('illustrative');
  });

  it('an untouched line is as agreed, with no words added; other checks carry no agreed figure', () => {
    const l = line('MATCH');
    expect(l.agreed).toEqual({ agreed: 19 * T, now: 19 * T, change: 0, changeRequests: [] });
    expect(l.illustrative).toBeUndefined();
    expect(l.explanation).toBe(plain('MATCH').explanation);
    expect(line('PROJECTS').agreed).toBeUndefined();
  });
});
