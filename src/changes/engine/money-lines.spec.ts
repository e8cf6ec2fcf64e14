import {
  AllocationFact,
  applyMoneyLines,
  envelopeBreaches,
  MoneyLine,
  negativeLines,
  netPence,
  totalsByKind,
} from './money-lines';

const facts: AllocationFact[] = [
  { id: 1, sourceKind: 'LGF', amountPence: 420_000_000, withdrawn: false }, // Meaford £4.2m
  { id: 2, sourceKind: 'LGF', amountPence: 400_000_000, withdrawn: false }, // Lichfield £4.0m
  { id: 3, sourceKind: 'LGF_PROVISIONAL', amountPence: 600_000_000, withdrawn: false },
  { id: 4, sourceKind: 'LGF', amountPence: 100_000_000, withdrawn: true },
];

describe('reallocation arithmetic', () => {
  it('nets lines exactly, new allocations counting as positive', () => {
    expect(
      netPence([
        { op: 'adjust', allocationId: 1, deltaPence: -100_000_000 },
        { op: 'adjust', allocationId: 2, deltaPence: 100_000_000 },
      ]),
    ).toBe(0);
    expect(
      netPence([
        { op: 'adjust', allocationId: 1, deltaPence: -100_000_000 },
        { op: 'create', sourceKind: 'LGF', amountPence: 90_000_000 },
      ]),
    ).toBe(-10_000_000);
    expect(netPence([])).toBe(0);
  });

  it('finds the line that takes an allocation below zero, judging all its lines together', () => {
    const lines: MoneyLine[] = [
      { op: 'adjust', allocationId: 1, deltaPence: -420_000_000 },
      { op: 'adjust', allocationId: 2, deltaPence: -400_000_001 },
      { op: 'create', sourceKind: 'LGF', amountPence: 820_000_001 },
    ];
    expect(negativeLines(facts, lines)).toEqual([
      { index: 1, allocationId: 2, currentPence: 400_000_000, resultPence: -1 },
    ]);
    expect(
      negativeLines(facts, [
        { op: 'adjust', allocationId: 1, deltaPence: -500_000_000 },
        { op: 'adjust', allocationId: 1, deltaPence: 100_000_000 },
      ]),
    ).toEqual([]);
  });

  it('applies lines, giving new allocations ids in order, and refuses negatives', () => {
    const { facts: next, createdIds } = applyMoneyLines(
      facts,
      [
        { op: 'adjust', allocationId: 1, deltaPence: -100_000_000 },
        { op: 'create', sourceKind: 'LGF_PROVISIONAL', amountPence: 100_000_000 },
      ],
      10,
    );
    expect(createdIds).toEqual([10]);
    expect(next.find((f) => f.id === 1)!.amountPence).toBe(320_000_000);
    expect(next.find((f) => f.id === 10)).toEqual({
      id: 10,
      sourceKind: 'LGF_PROVISIONAL',
      amountPence: 100_000_000,
      withdrawn: false,
    });
    expect(facts[0].amountPence).toBe(420_000_000); // input untouched
    expect(() => applyMoneyLines(facts, [{ op: 'adjust', allocationId: 2, deltaPence: -400_000_001 }], 10)).toThrow(
      'allocation 2 would go negative',
    );
    expect(() => applyMoneyLines(facts, [{ op: 'adjust', allocationId: 99, deltaPence: 1 }], 10)).toThrow(
      'allocation 99 does not exist',
    );
  });

  it('totals per kind leave withdrawn money out', () => {
    expect(totalsByKind(facts)).toEqual({ LGF: 820_000_000, LGF_PROVISIONAL: 600_000_000 });
  });
});

describe('envelope check', () => {
  const base = {
    totalsBefore: { LGF: 3_460_000_000, LGF_PROVISIONAL: 2_710_000_000 },
    envelopesBefore: { LGF: 3_460_000_000, LGF_PROVISIONAL: 2_710_000_000 },
  };

  it('allows a kind to reach its envelope exactly, and refuses one penny over with the numbers', () => {
    expect(
      envelopeBreaches({
        ...base,
        totalsAfter: { LGF: 3_460_000_000, LGF_PROVISIONAL: 2_710_000_000 },
        envelopesAfter: base.envelopesBefore,
      }),
    ).toEqual([]);
    expect(
      envelopeBreaches({
        ...base,
        totalsAfter: { LGF: 3_359_999_999, LGF_PROVISIONAL: 2_710_000_001 },
        envelopesAfter: base.envelopesBefore,
      }),
    ).toEqual([
      { sourceKind: 'LGF_PROVISIONAL', envelopePence: 2_710_000_000, totalPence: 2_710_000_001, excessPence: 1 },
    ]);
  });

  it('a raised envelope admits the rise; a lowered one below the approved total is refused', () => {
    expect(
      envelopeBreaches({
        ...base,
        totalsAfter: { LGF: 3_360_000_000, LGF_PROVISIONAL: 2_810_000_000 },
        envelopesAfter: { LGF: 3_460_000_000, LGF_PROVISIONAL: 2_810_000_000 },
      }),
    ).toEqual([]);
    expect(
      envelopeBreaches({
        ...base,
        totalsAfter: base.totalsBefore,
        envelopesAfter: { LGF: 3_000_000_000, LGF_PROVISIONAL: 2_710_000_000 },
      }),
    ).toEqual([
      { sourceKind: 'LGF', envelopePence: 3_000_000_000, totalPence: 3_460_000_000, excessPence: 460_000_000 },
    ]);
  });

  it('a kind with no envelope is held at its total before the change; a brand-new kind has none', () => {
    expect(
      envelopeBreaches({
        totalsBefore: { LGF: 100 },
        envelopesBefore: {},
        totalsAfter: { LGF: 101 },
        envelopesAfter: {},
      }),
    ).toEqual([{ sourceKind: 'LGF', envelopePence: 100, totalPence: 101, excessPence: 1 }]);
    expect(
      envelopeBreaches({
        totalsBefore: { LGF: 100 },
        envelopesBefore: { LGF: 100 },
        totalsAfter: { LGF: 50, NEW: 50 },
        envelopesAfter: { LGF: 100 },
      }),
    ).toEqual([{ sourceKind: 'NEW', envelopePence: 0, totalPence: 50, excessPence: 50 }]);
  });

  it('a kind already over its envelope does not block a change that leaves it no worse', () => {
    expect(
      envelopeBreaches({
        totalsBefore: { LGF: 200 },
        envelopesBefore: { LGF: 100 },
        totalsAfter: { LGF: 150 },
        envelopesAfter: { LGF: 100 },
      }),
    ).toEqual([]);
  });
});
