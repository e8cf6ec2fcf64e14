import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellValue, ColumnSpec, MONEY_FORMAT, DATE_FORMAT, numFmtOfCell, plainText, quantityText } from './columns';
import { MAX_XLSX_BYTES, readXlsx, XlsxRejectedError } from './reader';
import { readTemplate, writeTemplate } from './template';
import { writeXlsxToBuffer, writeXlsxToFile } from './writer';
import { PassThrough } from 'node:stream';

const COLS: ColumnSpec[] = [
  { key: 'name', header: 'Project', type: 'text' },
  { key: 'kind', header: 'Kind', type: 'text' },
  { key: 'amount', header: 'Amount (£)', type: 'money' },
  { key: 'jobs', header: 'Jobs', type: 'integer' },
  { key: 'due', header: 'Due', type: 'date' },
];

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

async function* slowRows(n: number) {
  for (let i = 0; i < n; i++) {
    if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    yield { name: `P${i}`, kind: i % 2 ? 'capital' : 'revenue', amount: i * 101 + 7, jobs: i, due: '2016-03-31' };
  }
}

describe('xlsx writer', () => {
  it('writes typed cells, a frozen header, fitted widths and exact totals with their formulas', async () => {
    const rows = [
      { name: 'Etruria Valley', kind: 'capital', amount: 240000000, jobs: 10, due: '2015-06-30' },
      { name: 'Meaford', kind: 'capital', amount: 10, jobs: 2, due: null },
      { name: 'Growth hub', kind: 'revenue', amount: 20, jobs: null, due: '2016-02-29' },
    ];
    const { bytes, sheets } = await writeXlsxToBuffer([
      {
        name: 'Summary',
        columns: COLS,
        rows,
        totals: [
          { label: 'Capital total', where: { column: 'kind', equals: 'capital' } },
          { label: 'Total', columns: ['amount', 'jobs'] },
        ],
      },
    ]);
    expect(sheets[0].totals).toEqual([
      { label: 'Capital total', values: { amount: 240000010 } },
      { label: 'Total', values: { amount: 240000030, jobs: 12 } },
    ]);
    const wb = await load(bytes);
    const ws = wb.getWorksheet('Summary')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getCell('A1').value).toBe('Project');
    expect(ws.getCell('C2').value).toBe(2400000);
    expect(ws.getCell('C2').numFmt).toBe(MONEY_FORMAT);
    expect(ws.getCell('C3').value).toBe(0.1);
    expect(ws.getCell('E2').value).toEqual(new Date(Date.UTC(2015, 5, 30)));
    expect(ws.getCell('E2').numFmt).toBe(DATE_FORMAT);
    expect(ws.getCell('E4').value).toEqual(new Date(Date.UTC(2016, 1, 29)));
    expect(ws.getCell('A5').value).toBe('Capital total');
    expect(ws.getCell('C5').value).toEqual({ formula: 'SUMIF($B$2:$B$4,"capital",C2:C4)', result: 2400000.1 });
    expect(ws.getCell('C6').value).toEqual({ formula: 'SUM(C2:C4)', result: 2400000.3 });
    expect(ws.getCell('D6').value).toEqual({ formula: 'SUM(D2:D4)', result: 12 });
    // "£2,400,000.00" is 13 characters, plus padding; the header "Project" is shorter than "Etruria Valley".
    expect(ws.getColumn(3).width).toBe(15);
    expect(ws.getColumn(1).width).toBe(16);
  });

  it('streams rows from an async iterable and totals them exactly (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -1e12, max: 1e12 }), { maxLength: 30 }), async (amounts) => {
        const { bytes, sheets } = await writeXlsxToBuffer([
          {
            name: 'S',
            columns: COLS,
            rows: amounts.map((a, i) => ({ name: `r${i}`, kind: 'x', amount: a })),
            totals: [{ label: 'Total' }],
          },
        ]);
        const exact = amounts.reduce((s, a) => s + a, 0);
        expect(sheets[0].totals[0].values.amount).toBe(exact);
        const ws = (await load(bytes)).getWorksheet('S')!;
        const cell = ws.getCell(`C${amounts.length + 2}`).value as { result?: number } | number;
        expect(Math.round((typeof cell === 'number' ? cell : cell.result!) * 100)).toBe(exact);
      }),
      { numRuns: 25 },
    );
  });

  it('writes a large async source to a file with a capped width', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-'));
    try {
      const progress: number[] = [];
      const res = await writeXlsxToFile(
        join(dir, 'big.xlsx'),
        [
          {
            name: 'Big',
            columns: [
              ...COLS.slice(0, 4),
              { key: 'due', header: 'Due', type: 'date' },
              { key: 'long', header: 'Long', type: 'text', maxWidth: 30 },
            ],
            rows: slowRows(1200),
            totals: [{ label: 'Total' }],
          },
        ],
        { onProgress: (_s, n) => progress.push(n) },
      );
      expect(res[0].rows).toBe(1200);
      expect(res[0].totals[0].values.amount).toBe((1199 * 1200 * 101) / 2 + 7 * 1200);
      expect(progress).toEqual([500, 1000, 1200]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(dir, 'big.xlsx'));
      expect(wb.getWorksheet('Big')!.rowCount).toBe(1202);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad sheet names and duplicate sheets', async () => {
    await expect(writeXlsxToBuffer([{ name: 'a/b', columns: COLS, rows: [] }])).rejects.toThrow(
      'not a valid sheet name',
    );
    await expect(
      writeXlsxToBuffer([
        { name: 'A', columns: COLS, rows: [] },
        { name: 'a', columns: COLS, rows: [] },
      ]),
    ).rejects.toThrow('two sheets');
  });
});

describe('xlsx reader', () => {
  const READ: ColumnSpec[] = [
    { key: 'name', header: 'Project', type: 'text', required: true },
    { key: 'amount', header: 'Amount (£)', type: 'money', required: true },
    { key: 'jobs', header: 'Jobs', type: 'integer' },
    { key: 'due', header: 'Due', type: 'date' },
  ];

  async function workbookWith(rows: unknown[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Update');
    ws.addRow(['Jobs', 'Project', 'Due', 'Amount (£)']);
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('reads cells by header name in the system’s units', async () => {
    const bytes = await workbookWith([
      [3, 'Etruria', new Date(Date.UTC(2015, 5, 30)), 2400000.1],
      [null, 'Meaford', '2016-02-29', '1,000.50'],
    ]);
    const res = await readXlsx(bytes, [{ name: 'Update', columns: READ }]);
    expect(res.Update).toEqual([
      { row: 2, values: { name: 'Etruria', amount: 240000010, jobs: 3, due: '2015-06-30' } },
      { row: 3, values: { name: 'Meaford', amount: 100050, jobs: null, due: '2016-02-29' } },
    ]);
  });

  it('lists every bad cell as Sheet!Cell: problem and rejects the whole file', async () => {
    const bytes = await workbookWith([
      ['two', 'Etruria', '2015-02-30', '12.345'],
      [1.5, null, 'soon', 'abc'],
    ]);
    const err = await readXlsx(bytes, [
      { name: 'Update', columns: READ },
      { name: 'Missing', columns: READ },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxRejectedError);
    expect((err as XlsxRejectedError).status).toBe(422);
    expect((err as XlsxRejectedError).problems).toEqual([
      'Update!A2: Jobs must be a whole number (found "two")',
      'Update!C2: Due must be a date like 2015-06-30 (found "2015-02-30")',
      'Update!D2: Amount (£) must be a number of pounds with at most two decimal places (found "12.345")',
      'Update!A3: Jobs must be a whole number (found "1.5")',
      'Update!B3: Project is required',
      'Update!C3: Due must be a date like 2015-06-30 (found "soon")',
      'Update!D3: Amount (£) must be a number of pounds with at most two decimal places (found "abc")',
      'Missing: the sheet is missing (sheets found: Update)',
    ]);
  });

  it('names a missing column', async () => {
    const err = (await readXlsx(await workbookWith([]), [
      { name: 'Update', columns: [...READ, { key: 'x', header: 'Outputs', type: 'integer' }] },
    ]).catch((e: unknown) => e)) as XlsxRejectedError;
    expect(err.problems).toEqual(['Update!E1: column "Outputs" is missing from the header row']);
  });

  it('refuses non-xlsx, damaged and oversized files before parsing', async () => {
    await expect(readXlsx(Buffer.from('name,amount\nA,1\n'), [])).rejects.toThrow('is not an xlsx workbook');
    const good = await workbookWith([]);
    await expect(readXlsx(good.subarray(0, Math.floor(good.length / 2)), [])).rejects.toThrow(
      'is damaged: the zip archive is incomplete',
    );
    const corrupt = Buffer.from(good);
    corrupt.fill(0x41, 40, corrupt.length - 200);
    await expect(readXlsx(corrupt, [])).rejects.toThrow(/is damaged or is not an xlsx workbook/);
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-'));
    try {
      const big = join(dir, 'big.xlsx');
      writeFileSync(big, good);
      truncateSync(big, MAX_XLSX_BYTES + 1);
      await expect(readXlsx(big, [])).rejects.toThrow('is 50.0 MB: the limit is 50 MB');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('templates', () => {
  const COLS2: ColumnSpec[] = [
    { key: 'quarter', header: 'Quarter', type: 'text', required: true },
    { key: 'forecast', header: 'Forecast (£)', type: 'money', required: true, note: 'latest forecast for the quarter' },
  ];
  const identity = { Programme: 'SSLEP-GD-2014', Project: 'ETRURIA', Quarter: '2015-16 Q1' };

  async function template(): Promise<Buffer> {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeTemplate(out, {
      kind: 'partner-update/1',
      identity,
      sheets: [{ name: 'Spend', columns: COLS2, rows: [{ quarter: '2015-16 Q1', forecast: null }] }],
    });
    return Buffer.concat(chunks);
  }

  it('round-trips a filled template and refuses one for another project', async () => {
    const wb = await load(await template());
    wb.getWorksheet('Spend')!.getCell('B2').value = 125000.5;
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const spec = { kind: 'partner-update/1', identity, sheets: [{ name: 'Spend', columns: COLS2 }] };
    expect(await readTemplate(filled, spec)).toEqual({
      Spend: [{ row: 2, values: { quarter: '2015-16 Q1', forecast: 12500050 } }],
    });
    const err = (await readTemplate(filled, { ...spec, identity: { ...identity, Project: 'MEAFORD' } }).catch(
      (e: unknown) => e,
    )) as XlsxRejectedError;
    expect(err.problems).toEqual(['About!B4: this file is for project "ETRURIA", not "MEAFORD"']);
    const empty = (await readTemplate(await template(), spec).catch((e: unknown) => e)) as XlsxRejectedError;
    expect(empty.problems).toEqual(['Spend!B2: Forecast (£) is required']);
  });
});

describe('plainText and quantities in cells', () => {
  it('drops markup and tabs, keeps text that only looks like brackets', () => {
    expect(plainText('<b>Total</b>\t21.\t61.3\t82.3')).toBe('Total | 21. | 61.3 | 82.3');
    expect(plainText('Test admin 1 <admin-1@test.invalid>')).toBe('Test admin 1 <admin-1@test.invalid>');
    expect(plainText('a < 85 % and b > 2')).toBe('a < 85 % and b > 2');
    expect(plainText('line one<br/>\nline two')).toBe('line one\nline two');
  });

  it('a quantity is the number of its unit, its format carries the places and the unit', () => {
    expect(
      cellValue({ key: 'q', header: 'Q', type: 'integer' }, { type: 'quantity', value: 2100, places: 3, unit: 'km' }),
    ).toBe(2.1);
    expect(quantityText(850, 2)).toBe('8.50');
    expect(quantityText(-5, 3)).toBe('-0.005');
    expect(numFmtOfCell({ type: 'quantity', value: 1, places: 2, unit: 'ha' })).toBe('#,##0.00 "ha"');
    expect(numFmtOfCell({ type: 'quantity', value: 1, places: 0, unit: 'm²' })).toBe('#,##0 "m²"');
  });
});
