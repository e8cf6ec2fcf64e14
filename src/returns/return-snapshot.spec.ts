import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { CellInput, ColumnSpec } from '../xlsx';
import {
  canonicalJson,
  canonicalJsonChunks,
  ReturnDocument,
  snapshotHash,
  snapshotOf,
  snapshotPieces,
  SNAPSHOT_PIECE,
  summaryTotals,
  toJsonDocument,
} from './return-document';

/** A small return with every kind of cell the sections write: money (a bigint past 2^53 too), quantities, dates, nulls, text with markup. */
function doc(): ReturnDocument {
  return {
    cover: {
      programme: 'P',
      programmeName: 'Prog & "Co"',
      quarter: '2015-16 Q1',
      quarterStart: '2015-04-01',
      quarterEnd: '2015-06-30',
      version: 2,
      status: 'submitted',
      preparedBy: 'Fin',
      preparedAt: '2026-12-02T10:00:00.000Z',
      preparedOn: '2015-07-31',
      reason: null,
      lastReturn: null,
      sectionsNotIncluded: [],
      checkCounts: { error: 0, warning: 1, note: 0 },
    },
    sections: [
      {
        key: 'summary',
        title: 'Summary by source',
        sheet: 'Summary',
        columns: [
          { key: 'sourceKind', header: 'Source', type: 'text' },
          { key: 'allocation', header: 'Allocation (£)', type: 'money' },
          { key: 'count', header: 'Projects', type: 'integer' },
        ],
        rows: [
          { sourceKind: 'LGF', allocation: 123456, count: 3 },
          { sourceKind: 'Local', allocation: 9007199254740993n, count: null },
          { sourceKind: 'Other <b>x</b>', allocation: -1, count: 0 },
        ],
        totals: [{ label: 'Total, all sources' }, { label: 'LGF', where: { column: 'sourceKind', equals: 'LGF' } }],
      },
      {
        key: 'outputs',
        title: 'Outputs',
        sheet: 'Outputs',
        columns: [
          { key: 'zeta', header: 'Z', type: 'date' },
          { key: 'alpha', header: 'Length', type: 'quantity' },
          { key: 'pct', header: '%', type: 'percent' },
        ],
        rows: [
          { zeta: '2016-03-31', alpha: { type: 'quantity', value: 2100, places: 3, unit: 'km' }, pct: 1250 },
          { zeta: null, alpha: { type: 'integer', value: 7 }, pct: undefined },
        ],
      },
    ],
    checks: [{ code: 'W', severity: 'warning', section: 'summary', message: 'm', rank: 1, comment: 'c' }],
    data: { finance: { lines: [{ b: 1, a: undefined, c: [2, { y: 1, x: 0 }] }] } },
  };
}

describe('the frozen JSON of a return, written piece by piece', () => {
  it('joins to exactly the canonical JSON of the whole document (same bytes, same hash)', () => {
    const whole = canonicalJson(toJsonDocument(doc()));
    const pieces = [...canonicalJsonChunks(doc())];
    expect(pieces.length).toBeGreaterThan(8); // keys and sections are separate pieces
    expect(pieces.join('')).toBe(whole);
    const sha = createHash('sha256').update(Buffer.from(whole, 'utf8')).digest('hex');
    expect(snapshotOf(doc())).toEqual({ bytes: whole, sha256: sha });
    expect(snapshotHash(doc())).toBe(sha);
    // Keys sorted at every level; undefined left out; a bigint total exact (9,007,199,254,740,993 + 123,456 - 1 pence).
    expect(whole.startsWith('{"checks":[{"code":"W"')).toBe(true);
    expect(whole).toContain('"finance":{"lines":[{"b":1,"c":[2,{"x":0,"y":1}]}]}');
    expect(whole).toContain('"values":{"allocation":"90071992548644.48"}');
    expect(whole).toContain('{"alpha":"2.100","pct":"12.50","zeta":"2016-03-31"}');
  });

  it("gives the Summary's all-sources totals as a parsed snapshot holds them", () => {
    const parsed = JSON.parse(snapshotOf(doc()).bytes) as {
      sections: { key: string; totals: { label: string; values: unknown }[] }[];
    };
    const fromSnapshot = parsed.sections.find((s) => s.key === 'summary')!.totals[0].values;
    expect(summaryTotals(doc())).toEqual(fromSnapshot);
    expect(JSON.stringify(summaryTotals(doc()))).toBe('{"allocation":"90071992548644.48"}');
  });

  it('in pieces for storing: joined, the same text, each piece whole characters, past Latin-1 and past one piece', () => {
    const big = doc();
    // 12,000 rows of text past Latin-1 (’ and an emoji, a surrogate pair): about 600 KB of JSON.
    big.sections[0].rows = Array.from({ length: 12000 }, (_, i) => ({
      sourceKind: `Local partners’ match funding 🏗 ${i}`,
      allocation: i * 101,
      count: i,
    }));
    const whole = canonicalJson(toJsonDocument(big));
    const pieces = [...snapshotPieces(big)];
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    for (const p of pieces.slice(0, -1)) expect(p.length).toBeGreaterThanOrEqual(SNAPSHOT_PIECE);
    // Stored as text one by one: no piece may begin or end inside a surrogate pair.
    for (const p of pieces) expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
    expect(pieces.join('')).toBe(whole);
    expect(snapshotHash(big)).toBe(createHash('sha256').update(whole, 'utf8').digest('hex'));
  });

  it('gives the canonical JSON of any document, cell by cell (property)', () => {
    const types: ColumnSpec['type'][] = ['text', 'money', 'percent', 'integer', 'date', 'quantity'];
    const cell: fc.Arbitrary<CellInput> = fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.constant(''),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('Local partners’ match funding', 'a "quoted" <b>\\ line\nbreak', '🏗'),
      fc.integer({ min: -9_007_199_254_740_991, max: 9_007_199_254_740_991 }),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.record({
        type: fc.constant('quantity' as const),
        value: fc.integer({ min: -1e9, max: 1e9 }),
        places: fc.integer({ min: 0, max: 3 }),
        unit: fc.constant('km'),
      }),
      fc.record({
        type: fc.constantFrom('integer' as const, 'money' as const),
        value: fc.integer({ min: -1e12, max: 1e12 }),
      }),
    );
    const section = fc
      // Keys may repeat (the last column of a key wins, as in toJsonDocument's Object.fromEntries).
      .array(fc.record({ key: fc.constantFrom('a', 'b', 'zeta', 'B', 'é'), type: fc.constantFrom(...types) }), {
        minLength: 1,
        maxLength: 6,
      })
      .chain((cols) =>
        fc.record({
          cols: fc.constant(cols.map((c) => ({ ...c, header: c.key.toUpperCase() }) as ColumnSpec)),
          rows: fc.array(fc.dictionary(fc.constantFrom(...cols.map((c) => c.key)), cell), { maxLength: 40 }),
        }),
      );
    fc.assert(
      fc.property(section, ({ cols, rows }) => {
        const d = doc();
        d.sections = [{ key: 'outputs', title: 'T', sheet: 'T', columns: cols, rows }];
        let whole: string;
        try {
          whole = canonicalJson(toJsonDocument(d));
        } catch (e) {
          // toJsonDocument also reads a repeated key's shadowed columns (whose cells the JSON never
          // holds) and may refuse a value there; the pieces only read the column that is written.
          fc.pre(new Set(cols.map((c) => c.key)).size === cols.length);
          // A value the general path refuses (money that is not whole pence) is refused the same way.
          expect(() => [...canonicalJsonChunks(d)]).toThrow((e as Error).message);
          return;
        }
        expect([...canonicalJsonChunks(d)].join('')).toBe(whole);
        expect(snapshotHash(d)).toBe(createHash('sha256').update(Buffer.from(whole, 'utf8')).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
