import fc from 'fast-check';
import {
  applyMoves,
  Baselines,
  BaselineMove,
  inverseMoves,
  netOf,
  reprofileProblems,
  totalOf,
  yearTotals,
} from './reprofile';

const QUARTERS = ['2015-16', '2016-17', '2017-18', '2018-19'].flatMap((y) => [1, 2, 3, 4].map((q) => `${y} Q${q}`));

/** A project × source profile: up to £5m a quarter, in pence, some quarters absent. */
const profileArb = fc.dictionary(fc.constantFrom(...QUARTERS), fc.integer({ min: 0, max: 500_000_000 }), {
  minKeys: 1,
  maxKeys: QUARTERS.length,
});

/**
 * A balanced re-profile over `profile`: each step takes a share of one quarter's current
 * baseline (never below zero) and puts it in another quarter (possibly a new one).
 */
function balancedMovesArb(profile: Baselines) {
  return fc
    .array(
      fc.record({
        from: fc.constantFrom(...QUARTERS),
        to: fc.constantFrom(...QUARTERS),
        share: fc.integer({ min: 1, max: 1000 }),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((steps) => {
      const running = { ...profile };
      const delta = new Map<string, number>();
      for (const s of steps) {
        if (s.from === s.to) continue;
        const amount = Math.floor(((running[s.from] ?? 0) * s.share) / 1000);
        if (!amount) continue;
        running[s.from] = (running[s.from] ?? 0) - amount;
        running[s.to] = (running[s.to] ?? 0) + amount;
        delta.set(s.from, (delta.get(s.from) ?? 0) - amount);
        delta.set(s.to, (delta.get(s.to) ?? 0) + amount);
      }
      // One line per quarter, as the payload requires; zero lines are left out.
      return [...delta]
        .filter(([, d]) => d !== 0)
        .map(([quarter, deltaPence]) => ({ quarter, deltaPence }) as BaselineMove);
    });
}

describe('property: a balanced re-profile and its inverse', () => {
  it('applying then reverting restores every quarter’s baseline and every total exactly', () => {
    fc.assert(
      fc.property(
        profileArb.chain((p) => fc.tuple(fc.constant(p), balancedMovesArb(p))),
        ([profile, moves]) => {
          expect(netOf(moves)).toBe(0);
          expect(reprofileProblems(profile, moves, new Set())).toEqual([]);
          const applied = applyMoves(profile, moves);
          expect(totalOf(applied)).toBe(totalOf(profile));
          for (const v of Object.values(applied)) expect(v).toBeGreaterThanOrEqual(0);
          const inverse = inverseMoves(moves);
          expect(reprofileProblems(applied, inverse, new Set())).toEqual([]);
          const reverted = applyMoves(applied, inverse);
          for (const q of QUARTERS) expect(reverted[q] ?? 0).toBe(profile[q] ?? 0);
          expect(totalOf(reverted)).toBe(totalOf(profile));
          const years = yearTotals(profile);
          const back = yearTotals(reverted);
          for (const y of Object.keys({ ...years, ...back })) expect(back[y] ?? 0).toBe(years[y] ?? 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an unbalanced set is refused naming the net, whatever else is right', () => {
    fc.assert(
      fc.property(
        profileArb.chain((p) =>
          fc.tuple(
            fc.constant(p),
            balancedMovesArb(p),
            fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((n) => n !== 0),
          ),
        ),
        ([profile, moves, extra]) => {
          const q = QUARTERS[QUARTERS.length - 1];
          const unbalanced = [
            ...moves.filter((m) => m.quarter !== q),
            { quarter: q, deltaPence: (moves.find((m) => m.quarter === q)?.deltaPence ?? 0) + Math.abs(extra) },
          ];
          const net = netOf(unbalanced);
          expect(net).not.toBe(0);
          const p = reprofileProblems(profile, unbalanced, new Set()).find((x) => x.code === 'UNBALANCED');
          expect(p?.netPence).toBe(net);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('reprofileProblems, by hand', () => {
  const profile = { '2016-17 Q3': 30_000_000, '2016-17 Q4': 10_000_000 };

  it('names the net of an unbalanced set', () => {
    const p = reprofileProblems(
      profile,
      [
        { quarter: '2016-17 Q4', deltaPence: -10_000_000 },
        { quarter: '2017-18 Q1', deltaPence: 9_000_000 },
      ],
      new Set(),
    );
    expect(p).toEqual([
      {
        index: null,
        code: 'UNBALANCED',
        netPence: -1_000_000,
        problem:
          'the lines do not balance: 2016-17 Q4 -100000.00, 2017-18 Q1 +90000.00; net -10000.00 (a re-profile keeps the same total: the net must be 0.00)',
      },
    ]);
  });

  it('refuses a locked quarter and a negative baseline, line by line', () => {
    const p = reprofileProblems(
      profile,
      [
        { quarter: '2016-17 Q3', deltaPence: -1 },
        { quarter: '2016-17 Q4', deltaPence: -10_000_001 },
        { quarter: '2017-18 Q1', deltaPence: 10_000_002 },
      ],
      new Set(['2016-17 Q3']),
    );
    expect(p.map((x) => [x.index, x.code])).toEqual([
      [0, 'PERIOD_LOCKED'],
      [1, 'NEGATIVE_BASELINE'],
    ]);
    expect(p[1].problem).toBe(
      'would take the 2016-17 Q4 baseline from 100000.00 to -0.01: a baseline cannot go below 0.00',
    );
  });

  it('applies exactly', () => {
    expect(
      applyMoves(profile, [
        { quarter: '2016-17 Q3', deltaPence: -5_000_000 },
        { quarter: '2017-18 Q2', deltaPence: 5_000_000 },
      ]),
    ).toEqual({ '2016-17 Q3': 25_000_000, '2016-17 Q4': 10_000_000, '2017-18 Q2': 5_000_000 });
  });
});
