/**
 * Issue 16, "the return workbook does not print and hides changes in JSON", on the demo's
 * reporting quarter (2016-17 Q4): read back with exceljs cell by cell, then printed to PDF by
 * LibreOffice. Before exporting, the test moves £1,000,000 of SWAR's LGF forecast from 2017-18 Q4
 * to 2018-19 Q1 (the programme total does not change) and approves a virement, as a finance
 * officer would between two returns.
 */
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NationalReturnService } from '../src/national-return/national-return.service';
import { changeRequestSteps } from './support/change-requests';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { libreOfficeAvailable, xlsxToPdf } from './support/libreoffice';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

/** A cell's number as pence (a formula's cached result; exceljs drops a cached 0). */
function pence(v: ExcelJS.CellValue): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Math.round(v * 100);
  if (typeof v === 'object' && 'formula' in v) return Math.round(Number((v as { result?: number }).result ?? 0) * 100);
  throw new Error(`not a number: ${JSON.stringify(v)}`);
}

/** Rows of a sheet as objects keyed by header. */
function table(ws: ExcelJS.Worksheet): Record<string, ExcelJS.Cell>[] {
  const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, ExcelJS.Cell>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    out.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1)])));
  });
  return out;
}

describe.each(databaseKinds())('the return workbook reads and prints (%s)', (kind) => {
  let t: TestApp;
  let dir: string;
  let wb: ExcelJS.Workbook;
  let bytes: Buffer;
  let amounts: Record<string, string>;
  const { approved } = changeRequestSteps(() => t);

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
    dir = mkdtempSync(join(tmpdir(), 'return-workbook-'));
    // £1m of SWAR's LGF forecast moves a year later: 2017-18 Q4 £1,238,461 -> £238,461,
    // 2018-19 Q1 £1,238,461 -> £2,238,461.
    const lines = (await t.request('GET', `${P}/projects/SWAR/spend`)).body.profile as {
      sourceKind: string;
      quarter: string;
      version: number;
    }[];
    for (const [quarter, forecast] of [
      ['2017-18 Q4', '238461.00'],
      ['2018-19 Q1', '2238461.00'],
    ]) {
      const line = lines.find((l) => l.sourceKind === 'LGF' && l.quarter === quarter)!;
      const res = await t.request('PUT', `${P}/projects/SWAR/spend/forecast`, {
        sourceKind: 'LGF',
        quarter,
        forecast,
        version: line.version,
      });
      expect([res.status, res.body.message]).toEqual([200, undefined]);
    }
    const items = (await t.request('GET', `${P}/allocations?limit=500`)).body.items as {
      id: number;
      sourceKind: string;
      project: string | null;
      amount: string;
    }[];
    const lgf = (project: string) => items.find((a) => a.sourceKind === 'LGF' && a.project === project)!;
    const id = (project: string) => lgf(project).id;
    amounts = { MEAFORD: lgf('MEAFORD').amount, ETRURIA: lgf('ETRURIA').amount };
    await approved('reallocation', {
      lines: [
        { allocationId: id('MEAFORD'), delta: '-100000.00' },
        { allocationId: id('ETRURIA'), delta: '100000.00' },
      ],
    });
    const res = await t.getBytes(`${P}/returns/2016-17-Q4?format=xlsx`);
    expect(res.status).toBe(200);
    bytes = res.bytes;
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('no cell holds markup or a tab; the quoted table row reads as text', () => {
    for (const ws of wb.worksheets)
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value === 'string') {
            expect(cell.value).not.toMatch(/<\/?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?\/?>|\t/);
          }
        }),
      );
    const rec = table(wb.getWorksheet('Reconciliation')!).find((r) => r.Headline.value === 'TABLE-TOTAL-2016-ON')!;
    // The source's row is "<b>Total</b>\t21.\t61.3\t82.3".
    expect(rec.Source.value).toBe(
      'Part B. The Growth Deal document (appendix) · Summary of Stoke-on-Trent and Staffordshire Growth Deal projects and funding · "Total | 21. | 61.3 | 82.3"',
    );
  });

  it('"Prepared at" is a date-time cell; quantities in km, ha and m² are numbers with a format', () => {
    const cover = wb.getWorksheet('Cover')!;
    const prepared = cover.getCell('B10');
    expect(cover.getCell('A10').value).toBe('Prepared at (UTC)');
    expect(prepared.value).toBeInstanceOf(Date);
    expect(prepared.numFmt).toBe('dd mmm yyyy hh:mm:ss');
    expect(Math.abs(Date.now() - (prepared.value as Date).getTime())).toBeLessThan(10 * 60_000);

    const outputs = table(wb.getWorksheet('Outputs')!);
    const row = (project: string, metric: string) =>
      outputs.find((r) => r.Project.value === project && r.Metric.value === metric)!;
    const cells = (project: string, metric: string) =>
      ['Target', 'Forecast final total', 'In quarter', 'Cumulative'].map((h) => [
        row(project, metric)[h].value,
        row(project, metric)[h].numFmt,
      ]);
    // seeds/demo-delivery.json: SWAR's new road 2.1 km, 350 m of it in 2016-17 Q4.
    expect(cells('SWAR', 'ROAD_NEW')).toEqual([
      [2.1, '#,##0.000 "km"'],
      [2.1, '#,##0.000 "km"'],
      [0.35, '#,##0.000 "km"'],
      [0.35, '#,##0.000 "km"'],
    ]);
    // ETRURIA's employment land: 30 ha, 8.5 ha unlocked so far.
    expect(cells('ETRURIA', 'SITE_AREA')).toEqual([
      [30, '#,##0.00 "ha"'],
      [30, '#,##0.00 "ha"'],
      [0, '#,##0.00 "ha"'],
      [8.5, '#,##0.00 "ha"'],
    ]);
    expect(cells('BRANSTON', 'FLOORSPACE')).toEqual([
      [180000, '#,##0 "m²"'],
      [175000, '#,##0 "m²"'],
      [0, '#,##0 "m²"'],
      [0, '#,##0 "m²"'],
    ]);
  });

  it('a £1m move between years shows per source and year; the programme forecast is unchanged by it', () => {
    const years = table(wb.getWorksheet('Forecast by year')!);
    const lgf = (year: string) => years.find((r) => r.Source.value === 'LGF' && r['Financial year'].value === year)!;
    const v = (r: Record<string, ExcelJS.Cell>) =>
      ['Forecast outturn for the year (£)', 'Forecast at last return (£)', 'Variance to last return (£)'].map((h) =>
        pence(r[h].value),
      );
    // The last return (2016-17 Q3) forecast LGF 2017-18 at £X and 2018-19 at £Y; the live figures
    // differ by exactly the £1,000,000 moved (the virement moves allocation, not forecast).
    const y17 = v(lgf('2017-18'));
    const y18 = v(lgf('2018-19'));
    expect(y17[2]).toBe(-100_000_000);
    expect(y18[2]).toBe(100_000_000);
    expect(y17[0]! - y17[1]!).toBe(-100_000_000);
    const total = years.find((r) => r.Source.value === 'Total, LGF')!;
    const summary = table(wb.getWorksheet('Summary')!);
    const sLgf = summary.find((r) => r.Source.value === 'LGF')!;
    // The year moves cancel: LGF's total variance is the programme forecast's variance on the Summary.
    expect(pence(total['Variance to last return (£)'].value)).toBe(
      pence(sLgf['Forecast variance to last return (£)'].value),
    );
    expect(pence(total['Forecast outturn for the year (£)'].value)).toBe(
      pence(sLgf['Latest forecast for the programme (£)'].value),
    );
    // The reporting year (2016-17) on the Summary: its forecast now and at the last return.
    const y16 = v(lgf('2016-17'));
    expect([
      pence(sLgf['Latest forecast for the year (£)'].value),
      pence(sLgf['Year forecast at last return (£)'].value),
      pence(sLgf['Year forecast variance to last return (£)'].value),
    ]).toEqual(y16);
  });

  it('Summary and Finance agree on the programme forecast, and the Cover says which column it is', () => {
    const summary = table(wb.getWorksheet('Summary')!);
    const finance = table(wb.getWorksheet('Finance')!);
    const all = summary.find((r) => r.Source.value === 'Total, all sources')!;
    const fin = finance.find((r) => r.Project.value === 'Total, all quarters')!;
    expect(pence(fin['Forecast outturn (£)'].value)).toBe(pence(all['Latest forecast for the programme (£)'].value));
    // Every profile row's outturn: the actual before 2016-17 Q4, the latest forecast from it on.
    for (const r of finance.filter((x) => x.Line.value === 'profile')) {
      const closed = String(r.Quarter.value) < '2016-17 Q4';
      expect(pence(r['Forecast outturn (£)'].value)).toBe(
        closed ? (pence(r['Actual (£)'].value) ?? 0) : pence(r['Latest forecast (£)'].value),
      );
    }
    const cover = table(wb.getWorksheet('Cover')!);
    expect(cover.find((r) => r.Field.value === 'Programme forecast')!.Value.value).toBe(
      'Summary\'s "Latest forecast for the programme" is the total of Finance\'s "Forecast outturn" column: the actual for each quarter before 2016-17 Q4, the latest forecast from 2016-17 Q4 on, plus prior-period adjustments. Finance\'s "Latest forecast" column keeps each closed quarter\'s last forecast beside its actual, so its total differs.',
    );
  });

  it("change requests' before and after are readable rows, not JSON", () => {
    const rows = table(wb.getWorksheet('Change requests')!).map((r) =>
      ['Number', 'Decision', 'What changed', 'Field', 'Before', 'After'].map((h) => r[h].value),
    );
    const last = rows.filter((r) => r[0] === rows.at(-1)![0]);
    // seeds/growth-deal-2014.json: MEAFORD's LGF £4.2m, less the demo's own £200,000 virement to
    // LICHFIELD (seeds/demo-changes.json), gives £100,000 to ETRURIA's £2.4m. The baselines follow the
    // money in the open quarters (2016-17 Q4 on): MEAFORD -£90,000 in 2016-17 Q4 and -£10,000 in
    // 2017-18 Q1 (all it had there), ETRURIA +£100,000 in 2016-17 Q4.
    expect(amounts).toEqual({ MEAFORD: '4000000.00', ETRURIA: '2400000.00' });
    expect(last.map((r) => r.slice(2))).toEqual([
      [
        expect.stringMatching(/^allocation \d+ \(MEAFORD, LGF, unprofiled\)$/),
        'amount',
        '£4,000,000.00',
        '£3,900,000.00',
      ],
      [
        expect.stringMatching(/^allocation \d+ \(ETRURIA, LGF, unprofiled\)$/),
        'amount',
        '£2,400,000.00',
        '£2,500,000.00',
      ],
      ['baseline followed MEAFORD LGF 2016-17 Q4', 'baseline', '£420,000.00', '£330,000.00'],
      ['baseline followed MEAFORD LGF 2017-18 Q1', 'baseline', '£10,000.00', '£0.00'],
      ['baseline followed ETRURIA LGF 2016-17 Q4', 'baseline', '£120,000.00', '£220,000.00'],
    ]);
    expect(last[0][1]).toBe('approved');
    for (const r of rows) for (const c of r) if (typeof c === 'string') expect(c).not.toMatch(/^[[{]/);
  });

  it('the return command lists the same change requests as the API, described by their kinds', async () => {
    // The command's context loads the change requests' module only for a return that lists
    // decided requests (returns-core.module.ts): its kinds must then describe them as the server's do.
    const file = join(dir, 'cli-q4.xlsx');
    const res = await cli(
      ['return', 'export', '--programme', 'SSLEP-GD-2014', '--quarter', '2016-17 Q4', '--out', file],
      t.env,
    );
    expect([res.code, res.err]).toEqual([0, '']);
    const mine = new ExcelJS.Workbook();
    await mine.xlsx.readFile(file);
    const values = (b: ExcelJS.Workbook) =>
      table(b.getWorksheet('Change requests')!).map((r) => Object.values(r).map((c) => c.value));
    const rows = values(mine);
    expect(rows).toEqual(values(wb));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.map((r) => r[3]).filter((d) => d !== null && /no handler/.test(String(d)))).toEqual([]);
  });

  it('every sheet prints A4 landscape with the page setup, also read back', () => {
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup).toMatchObject({
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '1:1',
      });
      expect(ws.headerFooter.oddFooter).toBe(
        '&L&8Stoke-on-Trent and Staffordshire Growth Deal (2014)&C&8Quarterly return 2016-17 Q4, version 1 (draft)&R&8&A, page &P of &N',
      );
    }
  });

  (libreOfficeAvailable() ? it : it.skip)(
    'LibreOffice prints every sheet within one A4 landscape page width: the pages counted per sheet',
    async () => {
      const file = join(dir, 'return.xlsx');
      writeFileSync(file, bytes);
      const pdf = join(dir, 'return.pdf');
      writeFileSync(pdf, await xlsxToPdf(file));
      const info = execFileSync('pdfinfo', ['-l', '100', pdf], { encoding: 'utf8' });
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
      const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [
        Math.round(Number(m[1])),
        Math.round(Number(m[2])),
      ]);
      expect(sizes).toHaveLength(pages);
      for (const s of sizes) expect(s).toEqual([842, 595]);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, pages);
      // Which sheet each page prints (the footer's centre), in order.
      const names = wb.worksheets.map((w) => w.name);
      // Which sheet each page prints: the footer's right part, "<sheet>, page n of m".
      const sheetOf = text.map((p, i) => {
        expect(p).toContain('Stoke-on-Trent and Staffordshire Growth Deal (2014)');
        expect(p).toContain('Quarterly return 2016-17 Q4, version 1 (draft)');
        const m = new RegExp(`\\s{2,}(\\S+(?: \\S+)*), page ${i + 1} of ${pages}\\s*$`, 'm').exec(p);
        return m ? m[1] : `? page ${i + 1}`;
      });
      const perSheet = Object.fromEntries(names.map((n) => [n, sheetOf.filter((s) => s === n).length]));
      // One page across for every sheet: each of its pages repeats the header row up to the last column.
      for (const ws of wb.worksheets) {
        const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
        text.forEach((p, i) => {
          if (sheetOf[i] !== ws.name) return;
          const flat = p.replace(/\s+/g, ' ');
          expect([ws.name, flat.includes(headers[0]), flat.includes(headers.at(-1)!.split(' ')[0])]).toEqual([
            ws.name,
            true,
            true,
          ]);
        });
      }
      expect(perSheet).toEqual({
        Cover: 1,
        Summary: 1,
        Finance: 3,
        'Forecast by year': 1,
        Milestones: 1,
        Outputs: 1,
        'Change requests': 1,
        Reconciliation: 1,
        Checks: 1,
      });
      expect(pages).toBe(11);
    },
    300_000,
  );

  it('the national return shares the writer: the same page setup, its own footer', async () => {
    const file = join(dir, 'national.xlsx');
    await t.app.get(NationalReturnService).exportToFile(file, '2016-17 Q4');
    const nat = new ExcelJS.Workbook();
    await nat.xlsx.readFile(file);
    expect(nat.worksheets.map((w) => w.name)).toEqual(['Cover', 'Finance', 'Programmes']);
    for (const ws of nat.worksheets) {
      expect(ws.pageSetup).toMatchObject({
        paperSize: 9,
        orientation: 'landscape',
        fitToWidth: 1,
        printTitlesRow: '1:1',
      });
      expect(ws.headerFooter.oddFooter).toBe(
        '&L&8National return: 1 programme&C&8Quarter 2016-17 Q4&R&8&A, page &P of &N',
      );
    }
    if (!libreOfficeAvailable()) return;
    const pdf = join(dir, 'national.pdf');
    writeFileSync(pdf, await xlsxToPdf(file));
    const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, pages);
    const sheetOf = text.map(
      (p, i) => new RegExp(`\\s{2,}(\\S+(?: \\S+)*), page ${i + 1} of ${pages}\\s*$`, 'm').exec(p)?.[1],
    );
    // The demo's one programme: each sheet on one page, every column of it on that page.
    expect(sheetOf).toEqual(['Cover', 'Finance', 'Programmes']);
    for (const ws of nat.worksheets) {
      const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
      const page = text[sheetOf.indexOf(ws.name)].replace(/\s+/g, ' ');
      expect([ws.name, page.includes(headers[0]), page.includes(headers.at(-1)!.split(' ')[0])]).toEqual([
        ws.name,
        true,
        true,
      ]);
    }
  }, 300_000);
});
