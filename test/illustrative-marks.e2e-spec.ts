import { parse } from 'csv-parse/sync';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Illustrative marks where they were still missing (issue 16, "Illustrative changes rewrite the
 * deal"): the programme page's funding-by-project table. The demo's illustrative virement
 * (change request 1) moves £200,000 LGF from Meaford (agreed £4.2m LGF + £0.1m local match) to
 * Lichfield Park (agreed £4.0m LGF). Worked by hand from seeds/growth-deal-2014.json and
 * seeds/demo-changes.json.
 */
const PROG = 'SSLEP-GD-2014';
const PAGE = `/programmes/${PROG}`;

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
});
