import fc from 'fast-check';
import { assertSubmittable, rankChecks } from './checks';
import { canonicalJson, ReturnCheck } from './return-document';
import { lastReturnMoney, parseSnapshot, varianceToLast } from './variance';

const checks: ReturnCheck[] = [
  { code: 'FIRST_RETURN', severity: 'note', section: 'summary', message: 'n' },
  { code: 'DRAFT_ALLOCATIONS', severity: 'warning', section: 'summary', message: 'w' },
  { code: 'SECTIONS_NOT_INCLUDED', severity: 'note', section: 'cover', message: 'n' },
  { code: 'NEGATIVE_ALLOCATION', severity: 'error', section: 'summary', message: 'e' },
];

describe('return checks', () => {
  it('ranks errors, then warnings, then notes (section order, then code) and attaches comments to warnings only', () => {
    const ranked = rankChecks(checks, { DRAFT_ALLOCATIONS: ' awaiting board ', FIRST_RETURN: 'ignored' });
    expect(ranked.map((c) => [c.rank, c.code, c.comment])).toEqual([
      [1, 'NEGATIVE_ALLOCATION', null],
      [2, 'DRAFT_ALLOCATIONS', 'awaiting board'],
      [3, 'SECTIONS_NOT_INCLUDED', null],
      [4, 'FIRST_RETURN', null],
    ]);
  });

  it('errors block; every warning needs a comment; comments must name a warning', () => {
    expect(() => assertSubmittable(checks, {})).toThrow(
      'the return cannot be submitted while it has errors: NEGATIVE_ALLOCATION (e)',
    );
    const noErrors = checks.filter((c) => c.severity !== 'error');
    expect(() => assertSubmittable(noErrors, {})).toThrow('missing for: DRAFT_ALLOCATIONS');
    expect(() => assertSubmittable(noErrors, { DRAFT_ALLOCATIONS: '   ' })).toThrow('missing for: DRAFT_ALLOCATIONS');
    expect(() => assertSubmittable(noErrors, { DRAFT_ALLOCATIONS: 'ok', FIRST_RETURN: 'x' })).toThrow(
      'comments name checks that are not warnings in this return: FIRST_RETURN',
    );
    expect(() => assertSubmittable(noErrors, { DRAFT_ALLOCATIONS: 'ok' })).not.toThrow();
  });
});

describe('snapshots and variance', () => {
  it('canonical JSON does not depend on key insertion order', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ maxLength: 5 }).filter((k) => !/^\d+$/.test(k)),
          fc.oneof(fc.integer(), fc.string()),
        ),
        (o) => {
          const reversed = Object.fromEntries(Object.entries(o).reverse());
          expect(canonicalJson({ b: reversed, a: [o] })).toBe(canonicalJson({ a: [reversed], b: o }));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('compares live figures with the last return line by line, in pence', () => {
    const last = parseSnapshot(
      '2015-16 Q1',
      1,
      'h',
      JSON.stringify({
        sections: [
          {
            key: 'summary',
            columns: [{ key: 'allocation', type: 'money' }],
            rows: [
              { sourceKind: 'LGF', allocation: '10.00' },
              { sourceKind: 'OLD', allocation: '2.50' },
            ],
          },
        ],
      }),
    );
    const prev = lastReturnMoney(last, 'summary', 'sourceKind', 'allocation');
    expect(prev).toEqual(
      new Map([
        ['LGF', 1000],
        ['OLD', 250],
      ]),
    );
    const v = varianceToLast(
      new Map([
        ['LGF', 1005],
        ['NEW', 1],
      ]),
      prev,
    );
    expect([...v.values()]).toEqual([
      { key: 'LGF', live: 1005, last: 1000, variance: 5 },
      { key: 'NEW', live: 1, last: 0, variance: 1 },
      { key: 'OLD', live: 0, last: 250, variance: -250 },
    ]);
    expect(varianceToLast(new Map([['LGF', 1]]), null).get('LGF')).toEqual({
      key: 'LGF',
      live: 1,
      last: null,
      variance: null,
    });
  });
});
