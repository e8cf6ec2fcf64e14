import { EnvelopeChangeKind } from './envelope-change.kind';
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

describe('payload validation (class-validator), in the words a payload has always been answered in', () => {
  const problems = (payload: unknown) => parseReallocation(payload).problems.map((p) => `${p.field}: ${p.problem}`);
  const adjust = { allocationId: 2, delta: '-1.00' };
  const create = (n: Record<string, unknown>, amount = '1.00') => ({
    new: { sourceKind: 'LGF', project: 'ETRURIA', period: '2016-17', commitmentStatus: 'confirmed', ...n },
    amount,
  });

  it('names an unknown field and the fields there are, and refuses a payload that is not an object', () => {
    expect(problems({ lines: [{ ...adjust, colour: 'red' }, adjust], why: 1 })).toEqual([
      'payload.why: is not a field of this change (expected lines)',
      'payload.lines[0].colour: is not a field of this change (expected allocationId, delta, new, amount, headroom)',
    ]);
    expect(problems(['lines'])).toEqual(['payload: must be an object']);
    expect(problems({ lines: 'all' })).toEqual(['payload.lines: must be a list']);
    expect(problems({ lines: [] })).toEqual(['payload.lines: must have 1 to 500 entries']);
  });

  it('collects every malformed field at once, one problem per field, entries named by index', () => {
    expect(
      problems({
        lines: [
          'x',
          [adjust],
          { allocationId: 1.5, delta: '1' },
          { headroom: 'lgf', delta: '0.00' },
          create({ period: '2017-18..2016-17', source: null, zz: 1 }, '-1.00'),
        ],
      }),
    ).toEqual([
      'payload.lines[0]: must be an object',
      'payload.lines[1]: must be an object',
      'payload.lines[2].allocationId: must be a whole number id',
      'payload.lines[2].delta: must be pounds with exactly two decimal places, e.g. "2400000.00"',
      'payload.lines[3].delta: must not be 0.00 (leave the line out)',
      'payload.lines[3].headroom: must be a code of upper-case letters, digits, dot, dash or underscore, e.g. "ETRURIA"',
      'payload.lines[4].new.zz: is not a field of this change (expected project, pool, sourceKind, period, commitmentStatus, description, baseline, source)',
      'payload.lines[4].new.period: must be "unprofiled", a financial year like "2015-16", or a range like "2016-17..2020-21" (the range ends (2016-17) before it starts (2017-18))',
      'payload.lines[4].new.source: must be an object',
      'payload.lines[4].amount: must be more than 0.00',
    ]);
  });

  it('checks the rules between fields once every field is well formed', () => {
    const baseline = [
      { quarter: '2016-17 Q1', amount: '1.00' },
      { quarter: ' 2016-17 Q1', amount: '2.00' },
    ];
    const { problems: found } = parseReallocation({ lines: [adjust, create({ baseline })] });
    expect(found).toEqual([
      {
        field: 'payload.lines[1].new.baseline[1].quarter',
        problem: '2016-17 Q1 appears twice: combine the lines',
        code: 'INVALID',
      },
      {
        field: 'payload.lines[1].new.baseline',
        problem: 'adds up to 2.00 but the new allocation is 1.00: the baseline equals the allocation',
        code: 'BASELINE_NOT_ALLOCATION',
      },
    ]);
  });

  it('answers other kinds the same way (an envelope change above the maximum)', async () => {
    const kind = new EnvelopeChangeKind();
    expect(await kind.validate(null as never, null as never, { sourceKind: 'LGF', delta: '-1000000000.01' })).toEqual([
      { field: 'payload.delta', problem: 'must be at most 1000000000.00 (either sign)', code: 'INVALID' },
    ]);
    expect(await kind.validate(null as never, null as never, { delta: null })).toEqual([
      { field: 'payload.sourceKind', problem: 'is required', code: 'INVALID' },
      {
        field: 'payload.delta',
        problem: 'must be a string of pounds with two decimal places, e.g. "2400000.00"',
        code: 'INVALID',
      },
    ]);
  });
});
