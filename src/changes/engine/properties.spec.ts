import fc from 'fast-check';
import {
  AllocationFact,
  applyMoneyLines,
  inverseLines,
  MoneyLine,
  negativeLines,
  netPence,
  totalsByKind,
} from './money-lines';

const KINDS = ['LGF', 'LGF_PROVISIONAL', 'LOCAL_MATCH', 'PRIVATE_MATCH'];

/** Allocations up to £100m each, in pence, some withdrawn. */
const allocationsArb = fc
  .array(
    fc.record({
      sourceKind: fc.constantFrom(...KINDS),
      amountPence: fc.integer({ min: 0, max: 10_000_000_000 }),
      withdrawn: fc.boolean(),
    }),
    { minLength: 2, maxLength: 12 },
  )
  .map((xs) => xs.map((x, i) => ({ ...x, id: i + 1 }) as AllocationFact));

/**
 * A balanced reallocation over the given allocations: moves from some (never below zero), to
 * others or to new allocations, and the last line takes whatever makes the net exactly zero.
 */
function balancedLinesArb(facts: AllocationFact[]) {
  const live = facts.filter((f) => !f.withdrawn);
  return fc
    .array(
      fc.record({
        from: fc.integer({ min: 0, max: facts.length - 1 }),
        share: fc.integer({ min: 1, max: 1000 }),
        to: fc.oneof(
          fc.integer({ min: 0, max: facts.length - 1 }).map((i) => ({ existing: i })),
          fc.constantFrom(...KINDS).map((k) => ({ kind: k })),
        ),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((moves) => {
      const remaining = new Map(live.map((f) => [f.id, f.amountPence]));
      const lines: MoneyLine[] = [];
      for (const mv of moves) {
        const src = facts[mv.from];
        if (src.withdrawn) continue;
        const avail = remaining.get(src.id)!;
        const amount = Math.floor((avail * mv.share) / 1000);
        if (amount === 0) continue;
        remaining.set(src.id, avail - amount);
        lines.push({ op: 'adjust', allocationId: src.id, deltaPence: -amount });
        if ('existing' in mv.to && !facts[mv.to.existing].withdrawn) {
          const dst = facts[mv.to.existing];
          remaining.set(dst.id, remaining.get(dst.id)! + amount);
          lines.push({ op: 'adjust', allocationId: dst.id, deltaPence: amount });
        } else {
          lines.push({ op: 'create', sourceKind: 'kind' in mv.to ? mv.to.kind : src.sourceKind, amountPence: amount });
        }
      }
      return lines;
    });
}

describe('property: a balanced reallocation and its inverse', () => {
  it('applying then reverting restores every allocation and every per-kind total exactly', () => {
    fc.assert(
      fc.property(
        allocationsArb.chain((facts) => fc.tuple(fc.constant(facts), balancedLinesArb(facts))),
        ([facts, lines]) => {
          expect(netPence(lines)).toBe(0);
          expect(negativeLines(facts, lines)).toEqual([]);
          const nextId = facts.length + 1;
          const applied = applyMoneyLines(facts, lines, nextId);
          // The grand total never moves; per-kind totals may (that is what envelopes police).
          const sum = (t: Record<string, number>) => Object.values(t).reduce((a, b) => a + b, 0);
          expect(sum(totalsByKind(applied.facts))).toBe(sum(totalsByKind(facts)));
          const inverse = inverseLines(lines, applied.createdIds);
          expect(netPence(inverse)).toBe(0);
          const reverted = applyMoneyLines(applied.facts, inverse, nextId + applied.createdIds.length);
          for (const f of facts) expect(reverted.facts.find((r) => r.id === f.id)).toEqual(f);
          for (const id of applied.createdIds) expect(reverted.facts.find((r) => r.id === id)!.amountPence).toBe(0);
          expect(reverted.createdIds).toEqual([]);
          const before = totalsByKind(facts);
          const after = totalsByKind(reverted.facts);
          for (const k of KINDS) expect(after[k] ?? 0).toBe(before[k] ?? 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
