/**
 * The return workbook's Reconciliation sheet, read back with exceljs (issue 16, "Reconciliation
 * verdicts need words a reader understands" and "Illustrative changes rewrite the deal"): each
 * line's verdict says which comparison it is, a per-project figure beside pooled match is
 * `not_comparable` and says why in words, allocations lines set the deal as agreed beside now,
 * and every line illustrative data touched is marked. The demo's reporting quarter (2016-17 Q4),
 * with one headline added as a board paper would state it: Lichfield Park's private match, which
 * the deal gives only in the £4.8m pool the three employment sites share. Worked by hand from
 * seeds/growth-deal-2014.json and seeds/demo-changes.json (change request 1, illustrative, moves
 * £200,000 LGF from Meaford to Lichfield Park).
 */
import ExcelJS from 'exceljs';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

/** A money cell as pence (exceljs gives the pounds number). */
function pence(v: ExcelJS.CellValue): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Math.round(v * 100);
  throw new Error(`not a number: ${JSON.stringify(v)}`);
}

type Row = Record<string, ExcelJS.CellValue>;

describe.each(databaseKinds())('the return’s Reconciliation sheet, read back (%s)', (kind) => {
  let t: TestApp;
  let headers: string[];
  let rows: Row[];
  let json: { lines: any[] };
  const row = (headline: string, check = 'allocations') => {
    const found = rows.filter((r) => r.Headline === headline && r.Check === check);
    expect([headline, check, found.length]).toEqual([headline, check, 1]);
    return found[0];
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
    const h = await t.request('POST', `${P}/headlines`, {
      code: 'LICHFIELD-PRIVATE',
      measure: 'LICHFIELD_PRIVATE_MATCH',
      label: 'Private match for Lichfield Park (a board paper)',
      qualifier: 'exact',
      unit: 'pounds',
      amount: '1600000.00',
      precision: '100000.00',
      rule: { allocations: { sourceKinds: ['PRIVATE_MATCH'], projects: ['LICHFIELD'] } },
      source: { document: 'Board paper (test)', quote: '£1.6m' },
    });
    expect([h.status, h.body.message]).toEqual([201, undefined]);
    const res = await t.getBytes(`${P}/returns/2016-17-Q4?format=xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes);
    const ws = wb.getWorksheet('Reconciliation')!;
    headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    rows = [];
    ws.eachRow((r, n) => {
      if (n > 1) rows.push(Object.fromEntries(headers.map((k, i) => [k, r.getCell(i + 1).value ?? null])));
    });
    json = (await t.anonymous('GET', `${P}/reconciliation`)).body;
  });
  afterAll(async () => t?.close());

  it('names its columns: the verdict in words, the deal as agreed beside now, the illustrative mark', () => {
    expect(headers).toEqual([
      'Headline',
      'Check',
      'What the document states',
      'Unit',
      'Status',
      'Verdict',
      'Stated',
      'Computed',
      'Variance',
      'Unattributed',
      'Agreed',
      'Change since agreed',
      'Agreed vs now',
      'Illustrative',
      'Explanation',
      'Source',
    ]);
    // Every line of the reconciliation (47 with the board paper's), then the 2 conflicts.
    expect(json.lines).toHaveLength(47);
    expect(rows).toHaveLength(49);
  });

  it('one label, two lines, opposite verdicts: each says which comparison it is', () => {
    const pick = (r: Row) => [r['What the document states'], r.Status, r.Verdict, pence(r.Stated), pence(r.Computed)];
    expect(pick(row('TABLE-TOTAL'))).toEqual([
      'Total (against the allocations)',
      'unreconciled',
      'Against the allocations: does not agree',
      8_230_000_000,
      7_810_000_000,
    ]);
    expect(pick(row('TABLE-TOTAL', 'sumOf'))).toEqual([
      'Total (the table’s own arithmetic)',
      'reconciled',
      'The table’s own arithmetic: agrees exactly',
      8_230_000_000,
      8_230_000_000,
    ]);
    // Every line's verdict starts with its comparison, as the JSON's `comparison` names it.
    const byComparison: Record<string, number> = {};
    for (const r of rows.slice(0, json.lines.length)) {
      const c = String(r.Verdict).split(':')[0];
      byComparison[c] = (byComparison[c] ?? 0) + 1;
    }
    expect(byComparison).toEqual({
      'Against the allocations': 33,
      'The table’s own arithmetic': 6,
      'Against the stated figures it adds up': 1,
      'Against the outputs delivered': 5,
      'Against the number of projects': 2,
    });
    expect(
      rows.slice(json.lines.length).map((r) => [r.Check, r.Status, r.Verdict, r['What the document states']]),
    ).toEqual([
      ['conflict', 'conflict', 'The documents disagree with each other', 'JOBS'],
      ['conflict', 'conflict', 'The documents disagree with each other', 'LGF_TOTAL'],
    ]);
  });

  it('a per-project figure beside pooled match: not_comparable, and why, never "no allocation matches"', () => {
    const r = row('LICHFIELD-PRIVATE');
    expect([r.Status, r.Verdict, r.Stated, r.Computed, r.Variance, r.Unattributed, r.Agreed]).toEqual([
      'not_comparable',
      'Against the allocations: cannot be compared yet',
      1_600_000,
      null,
      null,
      null,
      null,
    ]);
    expect(r.Explanation).toBe(
      '£4.8m of private sector match funding to the pool SITES-PRIVATE (shared by BERICOTE, LICHFIELD and MEAFORD) is given without a split by project, so a figure for LICHFIELD alone cannot be checked against it; no split is invented.',
    );
    expect([r['Agreed vs now'], r.Illustrative]).toEqual([null, 'no']);
    expect(rows.filter((x) => /no allocation matches/i.test(String(x.Explanation)))).toEqual([]);
  });

  it('allocations lines: agreed and now, the change, the words and the mark, as the JSON gives them', () => {
    const pick = (r: Row) => [
      pence(r.Computed),
      pence(r.Agreed),
      pence(r['Change since agreed']),
      r['Agreed vs now'],
      r.Illustrative,
    ];
    // The employment sites' LGF: change request 1 moved £0.2m between two of its sites.
    expect(pick(row('SITES-LGF'))).toEqual([
      1_160_000_000,
      1_160_000_000,
      0,
      'agreed £11.6m · now £11.6m (no net change: change request 1 moved money within it) (illustrative)',
      'yes',
    ]);
    expect(row('SITES-LGF').Explanation).toBe(
      'The deal as agreed gives £11.6m here, now £11.6m: change request 1 (illustrative) moved money within it (LICHFIELD LGF +£0.2m; MEAFORD LGF −£0.2m). These figures include illustrative data, not the real deal.',
    );
    expect(pick(row('B-LGF-TOTAL'))).toEqual([
      7_810_000_000,
      7_810_000_000,
      0,
      'agreed £78.1m · now £78.1m (no net change: change request 1 moved money within it) (illustrative)',
      'yes',
    ]);
    // Untouched: as agreed, not illustrative.
    expect(pick(row('CONNECTIVITY-LGF'))).toEqual([1_610_000_000, 1_610_000_000, 0, 'agreed £16.1m · unchanged', 'no']);
    // A year the unprofiled LGF cannot be split into: illustrative money in scope, no figure to set beside it.
    expect(pick(row('B-LGF-2015-16'))).toEqual([null, null, null, null, 'yes']);
    // Outputs and counts carry no agreed figure; the demo's outputs are illustrative.
    const counts = (r: Row) => [r.Computed, r.Agreed, r['Change since agreed'], r['Agreed vs now'], r.Illustrative];
    expect(counts(row('B-JOBS', 'outputs'))).toEqual([102, null, null, null, 'yes']);
    expect(counts(row('B-SITES', 'count'))).toEqual([5, null, null, null, 'no']);
    // The marks are the JSON's, line by line: 19 lines illustrative data touched.
    const marked = rows.slice(0, json.lines.length).filter((r) => r.Illustrative === 'yes');
    expect(marked).toHaveLength(19);
    expect(marked.map((r) => `${r.Headline}|${r.Check}`).sort()).toEqual(
      json.lines
        .filter((l) => l.illustrative)
        .map((l) => `${l.headlineCode}|${l.check}`)
        .sort(),
    );
    // Agreed figures: 22 allocations lines with one (8 with change request 1 inside), as the JSON.
    const withAgreed = rows.filter((r) => r.Agreed !== null);
    expect(withAgreed).toHaveLength(22);
    expect(withAgreed.filter((r) => String(r['Agreed vs now']).includes('change request 1'))).toHaveLength(8);
    expect(json.lines.filter((l) => l.agreedVsNow?.agreed)).toHaveLength(22);
  });
});
