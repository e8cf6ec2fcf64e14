import { parse } from 'csv-parse/sync';
import { isDeepStrictEqual } from 'node:util';
import { rawReconciliation } from '../src/bench/baselines';
import { openRawPostgres, openRawSqlite } from '../src/bench/raw-driver';
import { ReconciliationService } from '../src/reconciliation/reconciliation.service';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Illustrative marks where they were still missing (issue 16, "Illustrative changes rewrite the
 * deal"): the programme page's funding-by-project table, and the reconciliation's API, CSV and
 * CLI report (with the benchmark's raw baseline computing the same from its own SQL). The demo's illustrative virement
 * (change request 1) moves £200,000 LGF from Meaford (agreed £4.2m LGF + £0.1m local match) to
 * Lichfield Park (agreed £4.0m LGF). Worked by hand from seeds/growth-deal-2014.json and
 * seeds/demo-changes.json.
 */
const PROG = 'SSLEP-GD-2014';
const PAGE = `/programmes/${PROG}`;
const API = `/api/programmes/${PROG}/reconciliation`;
const CR1 = 'Virement: £200,000 LGF from Meaford to Lichfield Park (illustrative)';
/** What change request 1 did inside any line that counts both employment sites' LGF. */
const CR1_WITHIN = {
  number: 1,
  title: CR1,
  illustrative: true,
  change: '0.00',
  moves: [
    { project: 'LICHFIELD', pool: null, sourceKind: 'LGF', change: '200000.00' },
    { project: 'MEAFORD', pool: null, sourceKind: 'LGF', change: '-200000.00' },
  ],
};
const WITHIN_WORDS =
  'change request 1 (illustrative) moved money within it (LICHFIELD LGF +£0.2m; MEAFORD LGF −£0.2m). These figures include illustrative data, not the real deal.';

/** The rows of one table as cell texts (tags dropped, entities decoded). */
export function tableRows(page: string, id: string): string[][] {
  const start = page.indexOf(`<table class="data" id="${id}">`);
  expect(start).toBeGreaterThan(-1);
  const table = page.slice(start, page.indexOf('</table>', start));
  return table
    .split('<tr')
    .slice(1)
    .map((tr) =>
      [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
        m[1]
          .replace(/<[^>]+>/g, '')
          .replace(/&amp;/g, '&')
          .replace(/&#39;/g, "'")
          .replace(/&quot;/g, '"')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
    );
}

describe.each(databaseKinds())('illustrative marks beside the deal as agreed, with the demo, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it('programme page: the funding-by-project table gives agreed vs now and an Illustrative column', async () => {
    const res = await t.anonymous('GET', PAGE);
    expect(res.status).toBe(200);
    const rows = tableRows(res.text, 'table-funding-by-project');
    const header = rows[0];
    expect(header.slice(-3)).toEqual(['Total', 'Agreed vs now', 'Illustrative']);
    const col = (h: string) => header.indexOf(h);
    const row = (label: string) => rows.find((r) => r[0] === label)!;
    const lichfield = row('Lichfield Park employment site');
    expect(lichfield[col('Local Growth Fund award')]).toBe('£4,200,000.00');
    expect(lichfield.slice(-3)).toEqual([
      '£4,200,000.00',
      'agreed £4.0m · now £4.2m (+£0.2m, change request 1) (illustrative)',
      'yes',
    ]);
    // Meaford's row holds its local match too: agreed £4.3m in all, now £4.1m.
    expect(row('Meaford employment site').slice(-3)).toEqual([
      '£4,100,000.00',
      'agreed £4.3m · now £4.1m (−£0.2m, change request 1) (illustrative)',
      'yes',
    ]);
    expect(row('Bericote Four Ashes employment site').slice(-2)).toEqual(['agreed £1.0m · unchanged', 'no']);
    expect(row('Etruria Valley Enterprise Area').slice(-3)).toEqual([
      '£29,200,000.00',
      'agreed £29.2m · unchanged',
      'no',
    ]);
    // Every row but the two the virement moved is as agreed and not illustrative; the total row has neither.
    const body = rows.slice(1, -1);
    expect(body.filter((r) => r.at(-1) === 'yes').map((r) => r[0])).toEqual([
      'Lichfield Park employment site',
      'Meaford employment site',
    ]);
    expect(body.filter((r) => !r.at(-2)!.endsWith('· unchanged'))).toHaveLength(2);
    expect(rows.at(-1)!.slice(-2)).toEqual(['', '']);
  });

  it('overview JSON: the funding-by-project chart’s rows carry the same agreed figures, in pound strings', async () => {
    const { body } = await t.request('GET', `/api/programmes/${PROG}/overview`);
    const chart = body.charts.find((c: any) => c.id === 'funding-by-project');
    const category = (key: string) => chart.categories.find((c: any) => c.key === key);
    expect(category('LICHFIELD')).toEqual({
      key: 'LICHFIELD',
      label: 'Lichfield Park employment site',
      illustrative: true,
      agreed: {
        amount: '4000000.00',
        change: '200000.00',
        words: 'agreed £4.0m · now £4.2m (+£0.2m, change request 1) (illustrative)',
      },
    });
    expect(category('BERICOTE')).toEqual({
      key: 'BERICOTE',
      label: 'Bericote Four Ashes employment site',
      illustrative: false,
      agreed: { amount: '1000000.00', change: '0.00', words: 'agreed £1.0m · unchanged' },
    });
  });

  it('funding-by-project CSV: the agreed total, the change and the words, before the Illustrative column', async () => {
    const res = await t.anonymous('GET', `${PAGE}/data/funding-by-project.csv`);
    expect(res.status).toBe(200);
    const rows: string[][] = parse(res.text, { relax_column_count: true });
    const header = rows[0];
    expect(header.slice(-4)).toEqual(['Agreed total (£)', 'Change since agreed (£)', 'Agreed vs now', 'Illustrative']);
    const row = (label: string) => rows.find((r) => r[0] === label)!;
    expect(row('Lichfield Park employment site')[header.indexOf('Local Growth Fund award (£)')]).toBe('4200000.00');
    expect(row('Lichfield Park employment site').slice(-4)).toEqual([
      '4000000.00',
      '200000.00',
      'agreed £4.0m · now £4.2m (+£0.2m, change request 1) (illustrative)',
      'yes',
    ]);
    expect(row('Meaford employment site').slice(-4)).toEqual([
      '4300000.00',
      '-200000.00',
      'agreed £4.3m · now £4.1m (−£0.2m, change request 1) (illustrative)',
      'yes',
    ]);
    expect(row('Bericote Four Ashes employment site').slice(-4)).toEqual([
      '1000000.00',
      '0.00',
      'agreed £1.0m · unchanged',
      'no',
    ]);
  });

  it('reconciliation JSON: every money line beside the deal as agreed, Lichfield Park’s £4.0m now £4.2m by change request 1', async () => {
    const { body } = await t.anonymous('GET', API);
    expect(body.illustrative).toBe(true);
    // The money lines: 16 project lines, 2 pools and the growth hub grant, as the seed holds them.
    expect(body.agreed).toHaveLength(19);
    expect(body.agreed.find((l: any) => l.project === 'LICHFIELD')).toEqual({
      project: 'LICHFIELD',
      pool: null,
      sourceKind: 'LGF',
      agreed: '4000000.00',
      now: '4200000.00',
      change: '200000.00',
      changed: true,
      illustrative: true,
      changeRequests: [{ number: 1, title: CR1, change: '200000.00', illustrative: true }],
      words: 'agreed £4.0m · now £4.2m (+£0.2m, change request 1) (illustrative)',
    });
    expect(body.agreed.filter((l: any) => l.illustrative).map((l: any) => `${l.project}|${l.sourceKind}`)).toEqual([
      'LICHFIELD|LGF',
      'MEAFORD|LGF',
    ]);
    const line = (code: string) => body.lines.find((l: any) => l.headlineCode === code && l.check === 'allocations');
    // The employment sites' LGF (£11.6m): the virement moved money within it, the total as agreed.
    const sites = line('SITES-LGF');
    expect([sites.status, sites.computed, sites.illustrative]).toEqual(['reconciled', '11600000.00', true]);
    expect(sites.agreedVsNow).toEqual({
      agreed: '11600000.00',
      now: '11600000.00',
      change: '0.00',
      changeRequests: [CR1_WITHIN],
    });
    expect(sites.explanation).toBe(`The deal as agreed gives £11.6m here, now £11.6m: ${WITHIN_WORDS}`);
    // The deal's LGF total: its own words first, then the same.
    const total = line('B-LGF-TOTAL');
    expect(total.agreedVsNow).toEqual({
      agreed: '78100000.00',
      now: '78100000.00',
      change: '0.00',
      changeRequests: [CR1_WITHIN],
    });
    expect(total.explanation).toBe(
      `The project-level allocations add up to £78.1m, £4.2m less than the £82.3m stated. £4.2m is shown as unattributed; nothing has been moved. The deal as agreed gives £78.1m here, now £78.1m: ${WITHIN_WORDS}`,
    );
    // Untouched: the connectivity LGF and the sites' local match, as agreed and not illustrative.
    for (const [code, amount] of [
      ['CONNECTIVITY-LGF', '16100000.00'],
      ['SITES-LOCAL', '2600000.00'],
    ]) {
      const l = line(code);
      expect([l.illustrative, l.agreedVsNow]).toEqual([
        false,
        { agreed: amount, now: amount, change: '0.00', changeRequests: [] },
      ]);
      expect(l.explanation).not.toContain('illustrative');
    }
    // Lines that do not compare allocations carry no agreed figure.
    expect(body.lines.find((l: any) => l.check === 'count').agreedVsNow).toBeNull();
    // Fourteen allocations lines count the moved LGF: eight with CR1 inside them (the LGF totals,
    // the package, the sites' LGF) and six year lines the unprofiled LGF cannot be split into; the
    // five jobs and homes lines count illustrative demo outputs.
    const marked = body.lines.filter((l: any) => l.illustrative);
    expect(marked.filter((l: any) => l.check === 'allocations')).toHaveLength(14);
    expect(marked.filter((l: any) => l.agreedVsNow?.changeRequests.length)).toHaveLength(8);
    expect(marked).toHaveLength(19);
    for (const l of marked) expect(l.explanation).toMatch(/illustrative/);
  });

  it('reconciliation CSV: the illustrative mark, the agreed figure, the change and the requests, cell by cell', async () => {
    const res = await t.anonymous('GET', `${API}?format=csv`);
    expect(res.status).toBe(200);
    const rows: string[][] = parse(res.text);
    expect(rows[0].slice(-4)).toEqual(['illustrative', 'agreed', 'change_since_agreed', 'change_requests']);
    const row = (code: string, check = 'allocations') => rows.find((r) => r[0] === code && r[1] === check)!;
    expect(row('SITES-LGF').slice(-4)).toEqual(['yes', '11600000.00', '0.00', '1: 0.00 (illustrative)']);
    expect(row('SITES-LGF')[12]).toBe(`The deal as agreed gives £11.6m here, now £11.6m: ${WITHIN_WORDS}`);
    expect(row('CONNECTIVITY-LGF').slice(-4)).toEqual(['no', '16100000.00', '0.00', '']);
    // A year the unprofiled LGF cannot be split into: illustrative money in scope, no figure to set beside it.
    expect(row('B-LGF-2015-16').slice(-4)).toEqual(['yes', '', '', '']);
    expect(row('B-JOBS', 'outputs').slice(-4)).toEqual(['yes', '', '', '']);
    expect(row('B-SITES', 'count').slice(-4)).toEqual(['no', '', '', '']);
    expect(rows.filter((r) => r.at(-4) === 'yes')).toHaveLength(19);
  });

  it('reconcile on the command line: each touched line says what moved it and that it is illustrative', async () => {
    const r = await cli(['reconcile', '--programme', PROG], t.env);
    expect(r.code).toBe(0);
    const out = r.out.split('\n');
    const at = out.findIndex((l) => /^reconciled\s+SITES-LGF\s/.test(l));
    expect(out[at]).toMatch(
      /^reconciled\s+SITES-LGF\s+allocations\s+£11,600,000\.00\s+£11,600,000\.00\s+£0\.00\s+Government invests in the employment sites \(illustrative\)$/,
    );
    expect(out.slice(at + 1, at + 4)).toEqual([
      '    against the allocations: agrees exactly',
      '    agreed vs now: agreed £11,600,000.00, now £11,600,000.00, change £0.00: change request 1 (illustrative) moved LICHFIELD LGF +£200,000.00, MEAFORD LGF -£200,000.00',
      '    illustrative: these figures include illustrative data, not the real deal',
    ]);
    // Untouched lines read as before.
    expect(r.out).toMatch(/^reconciled\s+SITES-LOCAL\s+.*LEP partners invest in the employment sites$/m);
    const moved = out.indexOf('The deal as agreed and now: lines approved change requests moved (2):');
    expect(moved).toBeGreaterThan(at);
    expect(out.slice(moved + 1, moved + 5)).toEqual([
      '  PROJECT/POOL  SOURCE         AGREED            NOW        CHANGE  CHANGE REQUESTS',
      '  ------------  ------  -------------  -------------  ------------  ----------------',
      '  LICHFIELD     LGF     £4,000,000.00  £4,200,000.00  +£200,000.00  1 (illustrative)',
      '  MEAFORD       LGF     £4,200,000.00  £4,000,000.00  -£200,000.00  1 (illustrative)',
    ]);
    expect(r.out.trimEnd().split('\n').pop()).toBe(
      'Summary: 46 lines: 19 reconciled, 15 unreconciled, 1 met, 1 not_met, 10 not_comparable; 2 conflicts. 19 lines include illustrative data.',
    );
    // --format json is the API's document.
    const json = await cli(['reconcile', '--programme', PROG, '--format', 'json'], t.env);
    const doc = JSON.parse(json.out);
    expect(doc.agreed.find((l: any) => l.project === 'LICHFIELD').agreed).toBe('4000000.00');
    expect(doc.lines.find((l: any) => l.headlineCode === 'SITES-LGF').agreedVsNow.changeRequests).toEqual([CR1_WITHIN]);
  });

  it('the benchmark’s raw baseline computes the same report, marks and agreed figures included, from its own SQL', async () => {
    const raw =
      kind === 'postgres'
        ? await openRawPostgres(t.env.DATABASE_URL, t.env.DATABASE_SCHEMA)
        : await openRawSqlite(t.env.DATABASE_PATH);
    try {
      const app = (await t.app.get(ReconciliationService).reconciliation(PROG)).report;
      const mine = await rawReconciliation(raw, PROG);
      expect(mine.agreed).toEqual(app.agreed);
      expect(mine.lines.find((l) => l.headlineCode === 'SITES-LGF')!.agreed).toEqual(
        app.lines.find((l) => l.headlineCode === 'SITES-LGF')!.agreed,
      );
      expect(isDeepStrictEqual(mine, app)).toBe(true);
    } finally {
      await raw.close();
    }
  });
});
