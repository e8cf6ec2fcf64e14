import { parseReallocation } from './reallocation.kind';

describe('reallocation payload shape', () => {
  it('parses adjust and create lines into pence', () => {
    const { lines, problems } = parseReallocation({
      lines: [
        { allocationId: 3, delta: '-1000000.00' },
        {
          new: {
            sourceKind: 'LGF_PROVISIONAL',
            project: 'ETRURIA',
            period: '2016-17',
            commitmentStatus: 'provisional',
          },
          amount: '1000000.00',
        },
      ],
    });
    expect(problems).toEqual([]);
    expect(
      lines.map((l) =>
        l.op === 'adjust'
          ? [l.op, l.allocationId, l.deltaPence]
          : l.op === 'create'
            ? [l.op, l.spec.sourceKind, l.amountPence, l.period]
            : [l.op],
      ),
    ).toEqual([
      ['adjust', 3, -100_000_000],
      ['create', 'LGF_PROVISIONAL', 100_000_000, { periodKind: 'year', yearFrom: 2016, yearTo: 2016 }],
    ]);
  });

  it.each([
    ['no lines', {}, 'payload.lines'],
    [
      'a headroom line with an allocation',
      { lines: [{ headroom: 'LGF', allocationId: 1, delta: '1.00' }] },
      'payload.lines[0]',
    ],
    [
      'loose pounds',
      {
        lines: [
          { allocationId: 1, delta: '1' },
          { allocationId: 2, delta: '-1.00' },
        ],
      },
      'payload.lines[0].delta',
    ],
    [
      'a zero delta',
      {
        lines: [
          { allocationId: 1, delta: '0.00' },
          { allocationId: 2, delta: '0.00' },
        ],
      },
      'payload.lines[0].delta',
    ],
    [
      'a negative new amount',
      {
        lines: [
          { allocationId: 1, delta: '1.00' },
          { new: { sourceKind: 'LGF', period: 'unprofiled', commitmentStatus: 'confirmed' }, amount: '-1.00' },
        ],
      },
      'payload.lines[1].amount',
    ],
    [
      'both kinds of line at once',
      {
        lines: [
          { allocationId: 1, delta: '1.00', new: {} },
          { allocationId: 2, delta: '-1.00' },
        ],
      },
      'payload.lines[0]',
    ],
    [
      'a bad period',
      {
        lines: [
          { allocationId: 1, delta: '-1.00' },
          { new: { sourceKind: 'LGF', period: '2016/17', commitmentStatus: 'confirmed' }, amount: '1.00' },
        ],
      },
      'payload.lines[1].new.period',
    ],
    [
      'a withdrawn new allocation',
      {
        lines: [
          { allocationId: 1, delta: '-1.00' },
          { new: { sourceKind: 'LGF', period: 'unprofiled', commitmentStatus: 'withdrawn' }, amount: '1.00' },
        ],
      },
      'payload.lines[1].new.commitmentStatus',
    ],
    [
      'an unknown field',
      {
        lines: [
          { allocationId: 1, delta: '-1.00', colour: 'red' },
          { allocationId: 2, delta: '1.00' },
        ],
      },
      'payload.lines[0].colour',
    ],
  ])('refuses %s, naming the field', (_, payload, field) => {
    const { problems } = parseReallocation(payload);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.every((p) => p.code === 'INVALID')).toBe(true);
  });
});
