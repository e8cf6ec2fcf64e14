import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { neutraliseCell, spreadsheetCsv } from '../src/common/csv';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Text a programme manager or admin types (milestone titles, headline labels) reaches public CSV
 * downloads. Cells that a spreadsheet would run as formulas are neutralised in the one CSV writer;
 * numbers stay numbers; the xlsx writer keeps such text as plain strings.
 */
const P = '/api/programmes/SSLEP-GD-2014';
const HOSTILE = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];

describe('the spreadsheet CSV writer', () => {
  it('prefixes formula-like text with a quote and quotes the field; numbers and ordinary text are untouched', () => {
    expect(HOSTILE.map(neutraliseCell)).toEqual(HOSTILE.map((h) => `'${h}`));
    expect(['-1250.00', '-3', '12', 'Etruria Valley', '2015-16 Q1', -5, 7.5, null].map(neutraliseCell)).toEqual([
      '-1250.00',
      '-3',
      '12',
      'Etruria Valley',
      '2015-16 Q1',
      -5,
      7.5,
      null,
    ]);
    expect(spreadsheetCsv([['@SUM(A1)', '-1250.00', -5, 'plain']])).toBe(`"'@SUM(A1)",-1250.00,-5,plain\n`);
  });
});

describe.each(databaseKinds())('CSV and xlsx downloads on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const [i, title] of HOSTILE.entries()) {
      const res = await t.request('POST', `${P}/projects/ETRURIA/milestones`, {
        kind: 'start_on_site',
        title,
        baselineDate: `2016-0${i + 1}-01`,
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  it('the public milestone CSV neutralises every formula-like title', async () => {
    const res = await t.anonymous('GET', '/programmes/SSLEP-GD-2014/projects/ETRURIA/data/milestones.csv');
    expect(res.status).toBe(200);
    const rows: string[][] = parse(res.text, { relax_column_count: true });
    const titles = rows.map((r) => r[0]).filter((c) => c.startsWith("'"));
    expect(titles.sort()).toEqual(HOSTILE.map((h) => `'${h}`).sort());
    // No cell of the raw text starts a formula.
    for (const r of rows) for (const c of r) if (!/^-?\d+(\.\d+)?$/.test(c)) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('the reconciliation CSV neutralises a formula-like headline label and keeps negative variances numeric', async () => {
    const list = await t.request('GET', `${P}/headlines`);
    const h = (list.body.items ?? list.body)[0];
    const patched = await t.request('PATCH', `${P}/headlines/${h.code}`, { version: h.version, label: '=1+2' });
    expect(patched.status).toBe(200);
    const res = await t.request('GET', `${P}/reconciliation?format=csv`);
    expect(res.status).toBe(200);
    const rows: string[][] = parse(res.text);
    const header = rows[0];
    const line = rows.find((r) => r[header.indexOf('headline_code')] === h.code)!;
    expect(line[header.indexOf('label')]).toBe("'=1+2");
    expect(res.text).toContain(`"'=1+2"`);
    const variances = rows.slice(1).map((r) => r[header.indexOf('variance')]);
    const negative = variances.filter((v) => v.startsWith('-'));
    expect(negative.length).toBeGreaterThan(0);
    for (const v of negative) expect(v).toMatch(/^-\d+(\.\d+)?$/);
  });

  it('the return xlsx writes formula-like titles as plain strings, never formulas', async () => {
    const x = await t.getBytes(`${P}/returns/2015-16-Q1?format=xlsx`);
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.bytes as unknown as ArrayBuffer);
    const found: { value: unknown; type: ExcelJS.ValueType }[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value === 'string' && HOSTILE.includes(cell.value))
            found.push({ value: cell.value, type: cell.type });
          if (cell.type === ExcelJS.ValueType.Formula)
            expect(HOSTILE.map((h) => h.slice(1))).not.toContain(String(cell.formula));
        }),
      ),
    );
    // Tab and carriage return lead a cell that the xlsx round trip reads back with its whitespace normalised.
    expect(found.map((f) => f.value)).toEqual(expect.arrayContaining(HOSTILE.slice(0, 4)));
    for (const f of found) expect(f.type).toBe(ExcelJS.ValueType.String);
  });
});
