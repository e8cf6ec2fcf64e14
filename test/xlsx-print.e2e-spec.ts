/**
 * The return workbook prints (issue 16): every sheet A4 landscape, its columns fitted to one page
 * width, the header row repeated on each page, a footer naming the programme, quarter and page.
 * Read back with exceljs, then printed to PDF by LibreOffice and read with pdfinfo/pdftotext.
 */
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColumnSpec, RowInput, SheetSpec, writeXlsxToBuffer } from '../src/xlsx';
import { libreOfficeAvailable, xlsxToPdf } from './support/libreoffice';

const loIt = libreOfficeAvailable() ? it : it.skip;

// 24 text columns of 14 characters: about 24 x 15 characters wide, three A4 landscape pages
// across at 100 %; fitted to width, one.
const wideCols: ColumnSpec[] = Array.from({ length: 24 }, (_, i) => ({
  key: `c${i}`,
  header: `Column ${String(i + 1).padStart(2, '0')}`,
  type: 'text',
}));
const wideRows: RowInput[] = Array.from({ length: 3 }, (_, r) =>
  Object.fromEntries(wideCols.map((c, i) => [c.key, `r${r}c${i} ABCDEFGHI`])),
);
// 150 rows: more than one page down, so the header row must repeat.
const longCols: ColumnSpec[] = [
  { key: 'n', header: 'Row number', type: 'integer' },
  { key: 'amount', header: 'Amount (£)', type: 'money' },
];
const longRows: RowInput[] = Array.from({ length: 150 }, (_, i) => ({ n: i + 1, amount: (i + 1) * 100 }));
const sheets = (): SheetSpec[] => [
  { name: 'Wide', columns: wideCols, rows: wideRows },
  { name: 'Long', columns: longCols, rows: longRows },
];
const FOOTER = 'Test programme: quarterly return 2016-17 Q4, version 1 (draft) & more';

describe('the workbook prints', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xlsx-print-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every sheet carries A4 landscape, fit to one page wide, repeated header row and the footer (exceljs read-back)', async () => {
    const { bytes } = await writeXlsxToBuffer(sheets(), { footer: FOOTER });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes);
    for (const name of ['Wide', 'Long']) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.pageSetup).toMatchObject({
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '1:1',
      });
      // '&' in the text is doubled (a literal ampersand); &A sheet name, &P page, &N pages.
      expect(ws.headerFooter.oddFooter).toBe(
        '&L&8Test programme: quarterly return 2016-17 Q4, version 1 (draft) && more&R&8&A, page &P of &N',
      );
    }
  });

  loIt(
    'LibreOffice prints each sheet within one A4 landscape page width, headers repeated, footers on every page',
    async () => {
      const printed = join(dir, 'printed.xlsx');
      writeFileSync(printed, (await writeXlsxToBuffer(sheets(), { footer: FOOTER })).bytes);
      const pdf = join(dir, 'printed.pdf');
      writeFileSync(pdf, await xlsxToPdf(printed));
      const info = execFileSync('pdfinfo', ['-l', '100', pdf], { encoding: 'utf8' });
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
      const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [
        Math.round(Number(m[1])),
        Math.round(Number(m[2])),
      ]);
      // A4 landscape is 842 x 595 points.
      expect(sizes).toHaveLength(pages);
      for (const s of sizes) expect(s).toEqual([842, 595]);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, pages);
      // Wide: one page, all 24 columns on it (fitted to width).
      expect(text[0]).toContain('Column 01');
      expect(text[0]).toContain('Column 24');
      expect(text[0]).toContain('r2c23 ABCDEFGHI');
      // Long: every later page starts with the repeated header row.
      const long = text.slice(1);
      // 150 rows at the default row height, about 32 to an A4 landscape page: 5 pages.
      expect(long.length).toBe(5);
      for (const p of long) expect(p).toMatch(/Row number\s+Amount \(£\)/);
      expect(long.at(-1)).toContain('150');
      // Footers: programme, quarter, sheet and page on every page.
      text.forEach((p, i) => {
        expect(p).toContain('Test programme: quarterly return 2016-17 Q4, version 1 (draft) & more');
        // LibreOffice numbers the pages through the whole printed workbook.
        expect(p).toContain(`page ${i + 1} of ${pages}`);
      });
      // The exact count: 1 page for Wide + Long's pages; without the print settings Wide alone
      // needs more than one page across, so the total would be larger.
      expect(pages).toBe(6);
      const plain = join(dir, 'plain.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await writeXlsxToBuffer(sheets(), {})).bytes);
      for (const ws of wb.worksheets)
        ws.pageSetup = { ...ws.pageSetup, fitToPage: false, orientation: 'portrait', scale: 100 };
      await wb.xlsx.writeFile(plain);
      const plainPdf = join(dir, 'plain.pdf');
      writeFileSync(plainPdf, await xlsxToPdf(plain));
      const plainPages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [plainPdf], { encoding: 'utf8' }))![1]);
      expect(plainPages).toBeGreaterThan(pages);
    },
    300_000,
  );
});
