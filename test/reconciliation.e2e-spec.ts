import { parse } from 'csv-parse/sync';
import { DIMENSIONS } from '../src/reconciliation/engine';
import { parsePounds } from '../src/common/money';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { cli as runCli } from './support/cli';
import { APPROVED_BY_SOURCE_2014, ALL_SOURCES_2014 } from './support/deal-2014';
import { EXPECTED } from './reconciliation-2014.expected';

// Every expected line is worked by hand from the source, with its reason: see reconciliation-2014.expected.ts.
const CODE = 'SSLEP-GD-2014';
const P = `/api/programmes/${CODE}`;

describe.each(databaseKinds())('reconciliation of the 2014 deal on %s', (kind) => {
  let t: TestApp;
  let recon: any;
  const id: Record<string, number> = {}; // "LGF:AMSH" -> allocation id
  const ids = (...keys: string[]) => keys.map((k) => id[k]).sort((a, b) => a - b);
  const cli = (...argv: string[]) => runCli(argv, t.env);

  beforeAll(async () => {
    t = await startTestApp(kind);
    const res = await t.request('GET', `${P}/allocations?limit=500`);
    for (const a of res.body.items) id[`${a.sourceKind}:${a.project ?? a.pool ?? 'programme'}`] = a.id;
    recon = (await t.request('GET', `${P}/reconciliation`)).body;
  });
  afterAll(async () => t?.close());

  const line = (code: string, check: string) =>
    recon.lines.find((l: any) => l.headlineCode === code && l.check === check);

  it('gives every expected line, to the penny', () => {
    const got = recon.lines.map((l: any) => [
      l.headlineCode,
      l.check,
      l.status,
      l.stated,
      l.computed,
      l.variance,
      l.unattributed,
    ]);
    expect(got).toEqual(EXPECTED);
    expect(recon.summary).toEqual({
      lines: 46,
      byStatus: { reconciled: 19, within_rounding: 0, unreconciled: 11, met: 1, not_met: 0, not_comparable: 15 },
      conflicts: 2,
    });
  });

  it('says which allocations each line counts (the revenue grant in none)', () => {
    const lgf = ['LGF:ETRURIA', 'LGF:LICHFIELD', 'LGF:MEAFORD', 'LGF:BERICOTE', 'LGF:SWAR', 'LGF:AMSH'];
    const family = [
      ...lgf,
      'LGF_PRECOMMITTED:ETRURIA',
      'LGF_PRECOMMITTED:SWAR',
      'LGF_PROVISIONAL:BRANSTON',
      'LGF_PROVISIONAL:ETRURIA',
      'LGF_PROVISIONAL:LSTP',
    ];
    const match = [
      'LOCAL_MATCH:ETRURIA',
      'LOCAL_MATCH:MEAFORD',
      'LOCAL_MATCH:SWAR',
      'LOCAL_MATCH:LSTP',
      'LOCAL_MATCH:AMSH',
      'PRIVATE_MATCH:SITES-PRIVATE',
      'PRIVATE_MATCH:CONNECTIVITY-PRIVATE',
    ];
    expect(Object.keys(id)).toHaveLength(19);
    expect(line('B-LGF-TOTAL', 'allocations').contributingAllocationIds).toEqual(ids(...family));
    expect(line('B-MATCH', 'allocations').contributingAllocationIds).toEqual(ids(...match));
    expect(line('B-PACKAGE', 'allocations').contributingAllocationIds).toEqual(ids(...family, ...match));
    expect(line('SITES-PRIVATE', 'allocations').contributingAllocationIds).toEqual(ids('PRIVATE_MATCH:SITES-PRIVATE'));
    // A not-comparable year cell still names the unprofiled money that stops the check.
    expect(line('B-LGF-2015-16', 'allocations').contributingAllocationIds).toEqual(ids(...lgf));
    expect(line('TABLE-TOTAL', 'sumOf').contributingHeadlines).toEqual(['TABLE-TOTAL-2015-16', 'TABLE-TOTAL-2016-ON']);
    const hub = id['REVENUE_GRANT:programme'];
    expect(recon.lines.filter((l: any) => l.contributingAllocationIds.includes(hub))).toEqual([]);
  });

  it('traces every line to the words of its document', () => {
    expect(line('B-LGF-TOTAL', 'allocations').provenance).toEqual({
      document: 'Part B. The Growth Deal document (appendix)',
      section: 'STOKE-ON-TRENT AND STAFFORDSHIRE GROWTH DEAL',
      quote: "£82.3m from the Government's Local Growth fund to support economic growth in the area",
      printed: '£82.3m',
    });
    expect(line('TABLE-TOTAL-2015-16', 'sumOf')).toMatchObject({
      provenance: { printed: '21.', quote: '<b>Total</b>\t21.\t61.3\t82.3' },
      table: {
        name: 'Stoke-on-Trent and Staffordshire LEP Local Growth Fund breakdown (£m)',
        row: 'Total',
        column: '2015/6',
      },
      precision: '1000000.00',
      tolerance: '500000.00',
    });
    for (const l of recon.lines) {
      expect(l.provenance.document).toMatch(/^Part [AB]\./);
      expect(l.provenance.quote).toContain(l.provenance.printed);
    }
  });

  it('explains what does not reconcile in plain words, and only suggests the £6.9m', () => {
    expect(line('A-SUMMARY-INVESTMENT', 'allocations').explanation).toContain(
      '£3.9m less than the about £82.0m stated',
    );
    expect(line('TABLE-LGF-TOTAL', 'allocations').explanation).toContain(
      '£6.9m is shown as over-attributed (unattributed −£6.9m)',
    );
    expect(line('TABLE-PRE-2015-16', 'allocations').explanation).toContain('no split is invented');
    // No quarter is submitted, so no job is delivered yet (outputs/delivered.ts): the words say that.
    expect(line('B-JOBS', 'outputs').explanation).toBe(
      'No jobs have been delivered: no quarter has been submitted yet (JOBS_CREATED), so the at least 5,000 jobs stated cannot be compared yet.',
    );
    for (const l of recon.lines.filter((x: any) => x.status !== 'reconciled')) expect(l.explanation).not.toBe('');
    // +£6.9m on the table's LGF award and −£6.9m on both provisional lines cancel and equal
    // exactly one allocation, AMSH's £6.9m LGF: a suggestion in words, figures unchanged.
    const amsh = id['LGF:AMSH'];
    const suggested = recon.lines.filter((l: any) => l.suggestion).map((l: any) => [l.headlineCode, l.suggestion]);
    expect(suggested).toEqual([
      ['B-PROVISIONAL', { allocationId: amsh, withHeadlineCode: 'TABLE-LGF-TOTAL' }],
      ['TABLE-LGF-TOTAL', { allocationId: amsh, withHeadlineCode: 'TABLE-PROV-TOTAL' }],
      ['TABLE-PROV-TOTAL', { allocationId: amsh, withHeadlineCode: 'TABLE-LGF-TOTAL' }],
    ]);
    expect(line('TABLE-LGF-TOTAL', 'allocations').explanation).toContain(
      `project AMSH's £6.9m LGF allocation (id ${amsh}) may belong there. This is a suggestion only; no money has been moved.`,
    );
    expect(line('B-PROVISIONAL', 'allocations').explanation).toContain(
      `project AMSH's £6.9m LGF allocation (id ${amsh}), counted there, may belong here.`,
    );
  });

  it('says which comparison each line is: a table total against the allocations, and as the table’s arithmetic', () => {
    // TABLE-LGF-TOTAL ("27.7"): £34.6m of LGF allocations, unreconciled; 13.6 + 14.1 = 27.7, reconciled.
    const both = recon.lines
      .filter((l: any) => l.headlineCode === 'TABLE-LGF-TOTAL')
      .map((l: any) => [l.check, l.comparison, l.status]);
    expect(both).toEqual([
      ['allocations', 'against the allocations', 'unreconciled'],
      ['sumOf', 'the table’s own arithmetic', 'reconciled'],
    ]);
    // B-PACKAGE (£101.3m) is a sentence, not a table cell: its sum is of the stated figures.
    expect(line('B-PACKAGE', 'sumOf').comparison).toBe('against the stated figures it adds up');
    const words: Record<string, string[]> = {};
    for (const l of recon.lines) words[l.check] = [...new Set([...(words[l.check] ?? []), l.comparison])];
    expect(words).toEqual({
      allocations: ['against the allocations'],
      count: ['against the number of projects'],
      outputs: ['against the outputs delivered'],
      sumOf: ['against the stated figures it adds up', 'the table’s own arithmetic'],
    });
  });

  it('sets conflicting statements of the same quantity side by side', () => {
    const sides = (c: any) => c.headlines.map((h: any) => [h.code, h.stated]);
    expect(recon.conflicts.map((c: any) => [c.measure, c.unit, c.spread])).toEqual([
      ['JOBS', 'jobs', 100], // 4,900 three times in the committee report vs "at least 5,000" in the deal
      ['LGF_TOTAL', 'pounds', '300000.00'], // £82m, £82.2m twice, £82.3m twice: spread £0.3m
    ]); // and no other: 13.6/13.6, 14.1/14.1, 34/34 and 20.6/20.6 agree between the deal's text and its table
    expect(sides(recon.conflicts[0])).toEqual([
      ['A-ANNOUNCED-JOBS', 4900],
      ['A-SECURED-JOBS', 4900],
      ['A-SUMMARY-JOBS', 4900],
      ['B-JOBS', 5000],
    ]);
    expect(sides(recon.conflicts[1])).toEqual([
      ['A-SUMMARY-INVESTMENT', '82000000.00'],
      ['A-ANNOUNCED-INVESTMENT', '82200000.00'],
      ['A-SECURED-INVESTMENT', '82200000.00'],
      ['B-LGF-TOTAL', '82300000.00'],
      ['TABLE-TOTAL', '82300000.00'],
    ]);
  });

  describe('breakdown', () => {
    const totals = async (by: string) => {
      const r = await t.request('GET', `${P}/breakdown?by=${by}`);
      expect(r.status).toBe(200);
      return { body: r.body, totals: Object.fromEntries(r.body.rows.map((x: any) => [x.labels[0], x.total])) };
    };

    it('by source kind, with the revenue grant visible and the total exact', async () => {
      const { body, totals: byKind } = await totals('sourceKind');
      expect(body.rows.map((r: any) => r.labels[0])).toEqual([
        'LGF',
        'LGF_PRECOMMITTED',
        'LGF_PROVISIONAL',
        'LOCAL_MATCH',
        'PRIVATE_MATCH',
        'REVENUE_GRANT',
      ]);
      expect(byKind).toEqual(APPROVED_BY_SOURCE_2014);
      expect(body.grandTotal).toBe(ALL_SOURCES_2014); // 97.2m capital + £250,000 revenue
      expect(body.unit).toBe('pounds');
      expect(body.rows.find((r: any) => r.labels[0] === 'PRIVATE_MATCH').allocationIds).toEqual(
        ids('PRIVATE_MATCH:SITES-PRIVATE', 'PRIVATE_MATCH:CONNECTIVITY-PRIVATE'),
      );
    });

    it('by project, with pooled and unattributed buckets', async () => {
      const { body, totals: byProject } = await totals('project');
      expect(byProject).toEqual({
        ETRURIA: '29200000.00', // 2.4 LGF + 8.2 precommitted + 16.1 provisional + 2.5 local
        SWAR: '26300000.00', // 16.1 + 8.2 + 2
        AMSH: '8800000.00', // 6.9 + 1.9
        LSTP: '7000000.00', // 5 + 2
        BRANSTON: '6000000.00',
        MEAFORD: '4300000.00', // 4.2 + 0.1
        LICHFIELD: '4000000.00',
        BERICOTE: '1000000.00',
        'pooled:SITES-PRIVATE': '4800000.00',
        'pooled:CONNECTIVITY-PRIVATE': '5800000.00',
        unattributed: '250000.00', // the growth hub grant belongs to the programme, not a project
      });
      expect(body.rows.slice(-3).map((r: any) => r.labels[0])).toEqual([
        'pooled:CONNECTIVITY-PRIVATE',
        'pooled:SITES-PRIVATE',
        'unattributed',
      ]);
      expect(body.grandTotal).toBe('97450000.00');
    });

    it('by theme and by commitment status', async () => {
      expect((await totals('theme')).totals).toEqual({
        SITES: '49300000.00', // 11.6 + 22.1 + 8.2 + 2.6 + 4.8
        CONNECTIVITY: '39100000.00', // 16.1 + 5 + 8.2 + 4 + 5.8
        SKILLS: '8800000.00',
        unattributed: '250000.00',
      });
      expect((await totals('status')).totals).toEqual({
        confirmed: '59500000.00', // LGF 34.6 + precommitted 16.4 + local 8.5
        indicative: '10600000.00', // the two private pools
        provisional: '27350000.00', // provisional 27.1 + the hub's £250,000
      });
    });

    it('source kind × year: everything unprofiled but the hub grant, totals adding up', async () => {
      const r = await t.request('GET', `${P}/breakdown?by=sourceKind,year`);
      const b = r.body;
      expect([b.rowDimensions, b.columnDimension, b.columns]).toEqual([
        ['sourceKind'],
        'year',
        ['2015-16', 'unprofiled'],
      ]);
      const cells = Object.fromEntries(b.rows.map((x: any) => [x.labels[0], x.cells]));
      expect(cells).toEqual({
        LGF: { '2015-16': '0.00', unprofiled: '34600000.00' },
        LGF_PRECOMMITTED: { '2015-16': '0.00', unprofiled: '16400000.00' },
        LGF_PROVISIONAL: { '2015-16': '0.00', unprofiled: '27100000.00' },
        LOCAL_MATCH: { '2015-16': '0.00', unprofiled: '8500000.00' },
        PRIVATE_MATCH: { '2015-16': '0.00', unprofiled: '10600000.00' },
        REVENUE_GRANT: { '2015-16': '250000.00', unprofiled: '0.00' },
      });
      expect(b.columnTotals).toEqual({ '2015-16': '250000.00', unprofiled: '97200000.00' });
      expect(b.grandTotal).toBe('97450000.00');
      const sum = (xs: string[]) => xs.reduce((s, x) => s + parsePounds(x), 0);
      for (const row of b.rows) expect(sum(Object.values(row.cells) as string[])).toBe(parsePounds(row.total));
      for (const c of b.columns) expect(sum(b.rows.map((x: any) => x.cells[c]))).toBe(parsePounds(b.columnTotals[c]));
      expect(sum(b.rows.map((x: any) => x.total))).toBe(parsePounds(b.grandTotal));
    });

    it('400 for a dimension that does not exist, listing the valid ones', async () => {
      const r = await t.request('GET', `${P}/breakdown?by=sourceKind,colour`);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('UNKNOWN_DIMENSION');
      expect(r.body.message).toBe(
        'by: "colour" is not a dimension; use one or more of sourceKind, status, year, theme, project',
      );
      expect(r.body.details).toEqual({ field: 'by', given: 'colour', valid: [...DIMENSIONS] });
      expect((await t.request('GET', `${P}/breakdown?by=year,year`)).status).toBe(400);
    });

    it('refuses draft figures to an anonymous caller (only approved ones are public)', async () => {
      const r = await t.anonymous('GET', `${P}/breakdown?by=sourceKind&approval=draft`);
      expect(r.status).toBe(403);
      expect(r.body.message).toContain('approval');
      // A signed-in user may see drafts (there are none in the seed: an empty breakdown).
      const signedIn = await t.request('GET', `${P}/breakdown?by=sourceKind&approval=draft`);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.grandTotal).toBe('0.00');
    });
  });

  it('404 naming the programme for an unknown code', async () => {
    for (const path of ['reconciliation', 'breakdown?by=year']) {
      const r = await t.request('GET', `/api/programmes/NO-SUCH-DEAL/${path}`);
      expect(r.status).toBe(404);
      expect(r.body.message).toBe('programme "NO-SUCH-DEAL" was not found');
    }
  });

  it('the 2014 deal alone: no illustrative mark, every money line as agreed, the agreed figure beside each allocations line', () => {
    expect(recon.illustrative).toBe(false);
    expect(recon.lines.filter((l: any) => l.illustrative)).toEqual([]);
    expect(recon.lines.filter((l: any) => /illustrative/.test(l.explanation))).toEqual([]);
    const allocations = recon.lines.filter((l: any) => l.check === 'allocations');
    expect(allocations).toHaveLength(32);
    for (const l of allocations)
      expect(l.agreedVsNow).toEqual({ agreed: l.computed, now: l.computed, change: '0.00', changeRequests: [] });
    expect(recon.lines.filter((l: any) => l.check !== 'allocations' && l.agreedVsNow !== null)).toEqual([]);
    // The money lines: 16 project lines, 2 pools and the growth hub grant, none changed or illustrative.
    expect(recon.agreed).toHaveLength(19);
    expect(recon.agreed.filter((l: any) => l.changed || l.illustrative)).toEqual([]);
    expect(recon.agreed.find((l: any) => l.project === 'LICHFIELD')).toMatchObject({
      agreed: '4000000.00',
      now: '4000000.00',
      words: 'agreed £4.0m · unchanged',
    });
  });

  describe('CSV', () => {
    it('reconciliation as CSV, by ?format=csv, with a filename', async () => {
      const r = await t.request('GET', `${P}/reconciliation?format=csv`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(r.headers['content-disposition']).toBe('attachment; filename="SSLEP-GD-2014-reconciliation.csv"');
      const rows: string[][] = parse(r.text);
      expect(rows[0]).toEqual([
        'headline_code',
        'check',
        'comparison',
        'label',
        'status',
        'unit',
        'qualifier',
        'stated',
        'computed',
        'variance',
        'precision',
        'unattributed',
        'explanation',
        'document',
        'section',
        'quote',
        'printed',
        'table',
        'table_row',
        'table_column',
        'allocation_ids',
        'contributing_headlines',
        'suggested_allocation_id',
        'suggested_with',
        'illustrative',
        'agreed',
        'change_since_agreed',
        'change_requests',
      ]);
      expect(rows).toHaveLength(47);
      // The 2014 deal alone: nothing illustrative, every allocations line as agreed, no request moved anything.
      expect(rows.slice(1).filter((x) => x[24] !== 'no')).toEqual([]);
      expect(rows.slice(1).filter((x) => x[27] !== '')).toEqual([]);
      const lgf = rows.find((x) => x[0] === 'B-LGF-TOTAL' && x[1] === 'allocations')!;
      expect(lgf.slice(-4)).toEqual(['no', '78100000.00', '0.00', '']);
      const year = rows.find((x) => x[0] === 'B-LGF-2015-16')!;
      expect(year.slice(-4)).toEqual(['no', '', '', '']);
      const row = (code: string, check: string) => rows.find((x) => x[0] === code && x[1] === check)!;
      expect(row('B-SITES', 'count')).toEqual([
        'B-SITES',
        'count',
        'against the number of projects',
        'Key employment sites the deal will open up (deal document)',
        'reconciled',
        'sites',
        'exact',
        '5',
        '5',
        '0',
        '1',
        '',
        '',
        'Part B. The Growth Deal document (appendix)',
        'STOKE-ON-TRENT AND STAFFORDSHIRE GROWTH DEAL',
        'will open up five key employment sites identified in the Stoke-on-Trent and Staffordshire City Deal',
        'five',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        'no',
        '',
        '',
        '',
      ]);
      expect(row('TABLE-TOTAL-2015-16', 'sumOf')).toEqual([
        'TABLE-TOTAL-2015-16',
        'sumOf',
        'the table’s own arithmetic',
        'Total, 2015/6',
        'reconciled',
        'pounds',
        'exact',
        '21000000.00',
        '21000000.00',
        '0.00',
        '1000000.00',
        '',
        '',
        'Part B. The Growth Deal document (appendix)',
        'Summary of Stoke-on-Trent and Staffordshire Growth Deal projects and funding',
        '<b>Total</b>\t21.\t61.3\t82.3',
        '21.',
        'Stoke-on-Trent and Staffordshire LEP Local Growth Fund breakdown (£m)',
        'Total',
        '2015/6',
        '',
        'TABLE-LGF-2015-16 TABLE-PRE-2015-16 TABLE-PROV-2015-16',
        '',
        '',
        'no',
        '',
        '',
        '',
      ]);
      const lgfTotal = row('TABLE-LGF-TOTAL', 'allocations');
      expect(lgfTotal.slice(2, 12)).toEqual([
        'against the allocations',
        'Local Growth Fund award, total',
        'unreconciled',
        'pounds',
        'exact',
        '27700000.00',
        '34600000.00',
        '6900000.00',
        '100000.00',
        '-6900000.00',
      ]);
      expect(lgfTotal.slice(22)).toEqual([String(id['LGF:AMSH']), 'TABLE-PROV-TOTAL', 'no', '34600000.00', '0.00', '']);
    });

    it('breakdown as CSV by Accept: text/csv, exact, with a total row', async () => {
      const r = await t.request('GET', `${P}/breakdown?by=sourceKind,year`, undefined, { accept: 'text/csv' });
      expect(r.status).toBe(200);
      expect(r.headers['content-disposition']).toBe(
        'attachment; filename="SSLEP-GD-2014-breakdown-by-sourceKind-year.csv"',
      );
      const j = (...keys: string[]) => ids(...keys).join(' ');
      expect(r.text).toBe(
        [
          'sourceKind,2015-16,unprofiled,total,allocation_ids',
          `LGF,0.00,34600000.00,34600000.00,${j('LGF:ETRURIA', 'LGF:LICHFIELD', 'LGF:MEAFORD', 'LGF:BERICOTE', 'LGF:SWAR', 'LGF:AMSH')}`,
          `LGF_PRECOMMITTED,0.00,16400000.00,16400000.00,${j('LGF_PRECOMMITTED:ETRURIA', 'LGF_PRECOMMITTED:SWAR')}`,
          `LGF_PROVISIONAL,0.00,27100000.00,27100000.00,${j('LGF_PROVISIONAL:BRANSTON', 'LGF_PROVISIONAL:ETRURIA', 'LGF_PROVISIONAL:LSTP')}`,
          `LOCAL_MATCH,0.00,8500000.00,8500000.00,${j('LOCAL_MATCH:ETRURIA', 'LOCAL_MATCH:MEAFORD', 'LOCAL_MATCH:SWAR', 'LOCAL_MATCH:LSTP', 'LOCAL_MATCH:AMSH')}`,
          `PRIVATE_MATCH,0.00,10600000.00,10600000.00,${j('PRIVATE_MATCH:SITES-PRIVATE', 'PRIVATE_MATCH:CONNECTIVITY-PRIVATE')}`,
          `REVENUE_GRANT,250000.00,0.00,250000.00,${id['REVENUE_GRANT:programme']}`,
          'Total,250000.00,97200000.00,97450000.00,',
          '',
        ].join('\n'),
      );
    });
  });

  it('documents both routes in OpenAPI', async () => {
    const r = await t.request('GET', '/api/docs-json');
    const paths = r.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/api/programmes/{code}/breakdown', '/api/programmes/{code}/reconciliation']),
    );
    expect(Object.keys(paths['/api/programmes/{code}/reconciliation'].get.responses['200'].content)).toEqual([
      'application/json',
      'text/csv',
    ]);
    expect(paths['/api/programmes/{code}/breakdown'].get.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['code', 'by', 'approval', 'format']),
    );
  });

  describe('command line', () => {
    it('reconcile prints a readable table and exits 0 whatever the statuses', async () => {
      const r = await cli('reconcile', '--programme', CODE);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^STATUS\s+HEADLINE\s+CHECK\s+STATED\s+COMPUTED\s+VARIANCE\s+LABEL$/m);
      expect(r.out).toMatch(
        /^unreconciled\s+B-LGF-TOTAL\s+allocations\s+£82,300,000\.00\s+£78,100,000\.00\s+-£4,200,000\.00\s+Local Growth Fund secured \(deal document\)$/m,
      );
      expect(r.out).toMatch(
        /^reconciled\s+TABLE-TOTAL-2015-16\s+sumOf\s+£21,000,000\.00\s+£21,000,000\.00\s+£0\.00\s+Total, 2015\/6$/m,
      );
      expect(r.out).toContain(
        '    against the allocations: The project-level allocations add up to £78.1m, £4.2m less than the £82.3m stated.',
      );
      expect(r.out).toContain(
        `    source: Part B. The Growth Deal document (appendix) > STOKE-ON-TRENT AND STAFFORDSHIRE GROWTH DEAL: "£82.3m from the Government's Local Growth fund to support economic growth in the area"`,
      );
      expect(r.out).toContain('    unattributed: -£6,900,000.00 (over-attributed)');
      expect(r.out).toContain(
        `    suggestion: The £6.9m surplus here matches the £6.9m shortfall on Provisional allocation, total (TABLE-PROV-TOTAL) and on Provisional award for projects starting in 2016 and beyond (deal document) (B-PROVISIONAL): project AMSH's £6.9m LGF allocation (id ${id['LGF:AMSH']}) may belong there. This is a suggestion only; no money has been moved.`,
      );
      expect(r.out).toContain(
        '    source: Part B. The Growth Deal document (appendix) > Summary of Stoke-on-Trent and Staffordshire Growth Deal projects and funding: "<b>Total</b> | 21. | 61.3 | 82.3"',
      );
      expect(r.out).toContain('    the table’s own arithmetic: adds up: TABLE-TOTAL-2015-16 + TABLE-TOTAL-2016-ON');
      expect(r.out).toContain('Conflicting statements of the same quantity (2):');
      // The 2014 deal alone: no approved change request, nothing illustrative.
      expect(r.out).toContain(
        '\nThe deal as agreed and now: lines approved change requests moved (0):\n  none: every money line is as agreed\n',
      );
      expect(r.out).not.toMatch(/illustrative|agreed vs now:/);
      expect(r.out.trimEnd().split('\n').pop()).toBe(
        'Summary: 46 lines: 19 reconciled, 11 unreconciled, 1 met, 15 not_comparable; 2 conflicts.',
      );
    });

    it('reconcile --format json prints one document with pound strings', async () => {
      const r = await cli('reconcile', '--programme', CODE, '--format', 'json');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out);
      expect(
        doc.lines.map((l: any) => [
          l.headlineCode,
          l.check,
          l.status,
          l.stated,
          l.computed,
          l.variance,
          l.unattributed,
        ]),
      ).toEqual(EXPECTED);
      const money = /^-?\d+\.\d{2}$/;
      for (const l of doc.lines.filter((x: any) => x.unit === 'pounds')) {
        for (const k of ['stated', 'computed', 'variance', 'precision', 'tolerance', 'unattributed'])
          if (l[k] !== null) expect(l[k]).toMatch(money);
      }
      expect(doc.conflicts[1].spread).toBe('300000.00');
    });

    it('reconcile --format csv prints the same CSV as HTTP', async () => {
      const r = await cli('reconcile', '--programme', CODE, '--format', 'csv');
      expect(r.code).toBe(0);
      expect(r.out).toBe((await t.request('GET', `${P}/reconciliation?format=csv`)).text);
    });

    it('--strict exits 3 when anything is unreconciled or not met', async () => {
      const r = await cli('reconcile', '--programme', CODE, '--strict', '--format', 'json');
      expect(r.code).toBe(3);
      expect(JSON.parse(r.out).summary.byStatus.unreconciled).toBe(11);
    });

    it('an unknown programme exits 2 naming the code', async () => {
      for (const argv of [
        ['reconcile', '--programme', 'NO-SUCH-DEAL'],
        ['breakdown', '--programme', 'NO-SUCH-DEAL'],
      ]) {
        const r = await cli(...argv);
        expect(r.code).toBe(2);
        expect(r.err).toBe('error: programme "NO-SUCH-DEAL" was not found\n');
        expect(r.out).toBe('');
      }
    });

    it('breakdown prints a table with exact totals; a bad --by exits 2 listing the valid ones', async () => {
      const r = await cli('breakdown', '--programme', CODE, '--by', 'theme,year');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^SITES\s+£0\.00\s+£49,300,000\.00\s+£49,300,000\.00$/m);
      expect(r.out).toMatch(/^unattributed\s+£250,000\.00\s+£0\.00\s+£250,000\.00$/m);
      expect(r.out).toMatch(/^Total\s+£250,000\.00\s+£97,200,000\.00\s+£97,450,000\.00$/m);
      const bad = await cli('breakdown', '--programme', CODE, '--by', 'sourceKind,colour');
      expect(bad.code).toBe(2);
      expect(bad.err).toBe(
        'error: by: "colour" is not a dimension; use one or more of sourceKind, status, year, theme, project\n',
      );
    });

    it('breakdown of drafts and withdrawn money only when asked; reconciliation never counts them', async () => {
      // A draft through the API (direct writes are drafts), withdrawn as well: public figures unchanged.
      const draft = await t.request('POST', `${P}/allocations`, {
        sourceKind: 'LGF',
        project: 'AMSH',
        period: '2015-16',
        amount: '1234.56',
        commitmentStatus: 'withdrawn',
      });
      expect(draft.status).toBe(201);
      const json = async (...argv: string[]) =>
        JSON.parse((await cli('breakdown', '--programme', CODE, '--format', 'json', ...argv)).out);
      expect((await json('--by', 'sourceKind')).grandTotal).toBe('97450000.00');
      expect((await json('--by', 'sourceKind', '--approval', 'draft')).grandTotal).toBe('0.00'); // withdrawn left out
      const drafts = await json('--by', 'status', '--approval', 'draft', '--include-withdrawn');
      expect(drafts.rows.map((x: any) => [x.labels[0], x.total, x.allocationIds])).toEqual([
        ['withdrawn', '1234.56', [draft.body.id]],
      ]);
      expect((await json('--by', 'sourceKind', '--approval', 'all', '--include-withdrawn')).grandTotal).toBe(
        '97451234.56',
      );
      const again = (await t.request('GET', `${P}/reconciliation`)).body;
      expect(
        again.lines.map((l: any) => [
          l.headlineCode,
          l.check,
          l.status,
          l.stated,
          l.computed,
          l.variance,
          l.unattributed,
        ]),
      ).toEqual(EXPECTED);
    });
  });

  it('jobs recorded in the reporting quarter, none submitted: not delivered yet, and the line says so', async () => {
    const claim = await t.request('POST', `${P}/projects/ETRURIA/outputs/JOBS_CREATED/actuals`, {
      quarter: '2015-16 Q1',
      value: 12,
      claimKey: 'EMPLOYER:TEST POTTERY',
    });
    expect(claim.status).toBe(201);
    const jobs = (await t.request('GET', `${P}/reconciliation`)).body.lines.find(
      (l: any) => l.headlineCode === 'B-JOBS' && l.check === 'outputs',
    );
    // Before, this read "No jobs have been recorded yet" although 12 were.
    expect([jobs.status, jobs.computed, jobs.explanation]).toEqual([
      'not_comparable',
      null,
      'No jobs have been delivered: no quarter has been submitted yet (JOBS_CREATED), so the at least 5,000 jobs stated cannot be compared yet.',
    ]);
  });

  it('a per-project figure beside pooled match is not comparable, never "no allocation matches"', async () => {
    // Lichfield has no match of its own: its private match is in the £4.8m SITES-PRIVATE pool it shares.
    const h = await t.request('POST', `${P}/headlines`, {
      code: 'LICHFIELD-PRIVATE',
      measure: 'LICHFIELD_PRIVATE_MATCH',
      label: 'Private match for Lichfield (a board paper)',
      qualifier: 'exact',
      unit: 'pounds',
      amount: '1600000.00',
      precision: '100000.00',
      rule: { allocations: { sourceKinds: ['PRIVATE_MATCH'], projects: ['LICHFIELD'] } },
      source: { document: 'Board paper (test)', quote: '£1.6m' },
    });
    expect(h.status).toBe(201);
    const l = (await t.request('GET', `${P}/reconciliation`)).body.lines.find(
      (x: any) => x.headlineCode === 'LICHFIELD-PRIVATE',
    );
    expect([l.status, l.computed, l.variance, l.unattributed, l.contributingAllocationIds]).toEqual([
      'not_comparable',
      null,
      null,
      null,
      [id['PRIVATE_MATCH:SITES-PRIVATE']],
    ]);
    expect(l.explanation).toBe(
      '£4.8m of private sector match funding to the pool SITES-PRIVATE (shared by BERICOTE, LICHFIELD and MEAFORD) is given without a split by project, so a figure for LICHFIELD alone cannot be checked against it; no split is invented.',
    );
  });
});
