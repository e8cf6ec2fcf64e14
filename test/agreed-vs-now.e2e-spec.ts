import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NationalReturnService } from '../src/national-return/national-return.service';
import { validate360Giving } from '../src/open-data/validate';
import { databaseKinds } from './support/databases';
import { changeRequestSteps } from './support/change-requests';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, WebClient } from './support/web-client';

/**
 * The deal as agreed beside now (issue 16): the demo's illustrative virement (change request 1,
 * £200,000 LGF from Meaford to Lichfield Park) leaves the deal's £4.0m for Lichfield Park as
 * agreed, shows £4.2m now with the change and the request that made it, and marks it
 * illustrative on every surface: programme page, project page, briefing, overview JSON, CSV,
 * the return workbook and 360Giving. Worked by hand from seeds/growth-deal-2014.json ("£4m",
 * "£4.2m") and seeds/demo-changes.json.
 */
const PROG = 'SSLEP-GD-2014';
const PAGE = `/programmes/${PROG}`;
const LICHFIELD = 'agreed £4.0m · now £4.2m (+£0.2m, change request 1) (illustrative)';
const MEAFORD = 'agreed £4.2m · now £4.0m (−£0.2m, change request 1) (illustrative)';

/** The visible text of the first element carrying `attr` (tags dropped, entities decoded). */
function textOf(page: string, attr: string): string {
  const at = page.indexOf(attr);
  expect(at).toBeGreaterThan(-1);
  const start = page.lastIndexOf('<', at);
  const tag = /^<(\w+)/.exec(page.slice(start))![1];
  const end = page.indexOf(`</${tag}>`, at);
  return page
    .slice(page.indexOf('>', at) + 1, end)
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

describe.each(databaseKinds())('the deal as agreed beside now, with the demo, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it('programme page: the changed lines, each linked to its change request, marked illustrative', async () => {
    const res = await t.anonymous('GET', PAGE);
    expect(res.status).toBe(200);
    expect(textOf(res.text, 'data-line="LICHFIELD|LGF"')).toBe(
      `Lichfield Park employment site, Local Growth Fund award: ${LICHFIELD}`,
    );
    expect(textOf(res.text, 'data-line="MEAFORD|LGF"')).toBe(
      `Meaford employment site, Local Growth Fund award: ${MEAFORD}`,
    );
    // Only the two lines the virement moved are listed as changed.
    expect(res.text.match(/data-line="/g)).toHaveLength(2);
    expect(res.text).toContain(`href="${PAGE}/projects/LICHFIELD#change-request-1">change request 1</a>`);
    expect(res.text).toContain(`href="${PAGE}/data/agreed-vs-now.csv"`);
    // The projects table marks both projects illustrative.
    expect(res.text).toMatch(
      />Lichfield Park employment site<\/a> <span class="illustrative">\(illustrative\)<\/span>/,
    );
    expect(res.text).toMatch(/>Meaford employment site<\/a> <span class="illustrative">\(illustrative\)<\/span>/);
    expect(res.text).not.toMatch(/>Bericote Four Ashes employment site<\/a> <span class="illustrative">/);
    // The LGF total is unchanged (the virement nets to zero) but illustrative data moved within it.
    expect(res.text).toContain(
      '<th scope="row">Local Growth Fund award <span class="illustrative">(illustrative)</span></th>',
    );
    expect(res.text).toContain('<th scope="row">Local partners’ match funding</th>');
    expect(res.text).not.toContain('<th scope="row">Local partners’ match funding <span class="illustrative">');
  });

  it('project page: agreed vs now per source, the quote’s amount beside it, and every approved request', async () => {
    const res = await t.anonymous('GET', `${PAGE}/projects/LICHFIELD`);
    expect(res.status).toBe(200);
    expect(textOf(res.text, '<li data-source="LGF"')).toBe(`Local Growth Fund award: ${LICHFIELD}`);
    expect(res.text).toContain('<a href="#change-request-1">change request 1</a>');
    // The change history lists change request 1 with that anchor, marked illustrative.
    const cr = textOf(res.text, 'id="change-request-1"');
    expect(
      cr.startsWith(
        '10 December 2015: change request 1 approved, “Virement: £200,000 LGF from Meaford to Lichfield Park (illustrative)”',
      ),
    ).toBe(true);
    expect(cr.endsWith('(illustrative)')).toBe(true);
    // Beside the deal's quote ("£4m") the agreed words stand under the current amount.
    expect(res.text).toContain(`£4,200,000.00<div class="source"><span class="agreed">agreed`);
    // Every approved change request that touched a project is listed on its page.
    const meaford = await t.anonymous('GET', `${PAGE}/projects/MEAFORD`);
    expect(meaford.text).toContain('id="change-request-1"');
    const lstp = await t.anonymous('GET', `${PAGE}/projects/LSTP`);
    expect(textOf(lstp.text, 'id="change-request-2"')).toContain(
      'change request 2 approved, “Re-baseline the LSTP main contract award (illustrative)”',
    );
    // The API says which requests are illustrative.
    const crs = await t.request('GET', `/api/programmes/${PROG}/change-requests`);
    expect(crs.body.items.map((c: any) => [c.number, c.illustrative])).toEqual([
      [4, true],
      [3, true],
      [2, true],
      [1, true],
    ]);
    const bericote = await t.anonymous('GET', `${PAGE}/projects/BERICOTE`);
    expect(textOf(bericote.text, '<li data-source="LGF"')).toBe('Local Growth Fund award: agreed £1.0m · unchanged');
    expect(bericote.text).toContain('No change request touching this project has been approved or rejected.');
  });

  it('briefing: the same lines', async () => {
    const res = await t.anonymous('GET', `${PAGE}/briefing`);
    expect(res.status).toBe(200);
    expect(textOf(res.text, 'data-line="LICHFIELD|LGF"')).toBe(
      `Lichfield Park employment site, Local Growth Fund award: ${LICHFIELD}`,
    );
  });

  it('overview JSON and CSV: every line, agreed, now, change, the request and the mark', async () => {
    const { body } = await t.request('GET', `/api/programmes/${PROG}/overview`);
    const lichfield = body.agreed.find((l: any) => l.project === 'LICHFIELD' && l.sourceKind === 'LGF');
    expect(lichfield).toEqual({
      project: 'LICHFIELD',
      pool: null,
      sourceKind: 'LGF',
      agreed: '4000000.00',
      now: '4200000.00',
      change: '200000.00',
      changed: true,
      illustrative: true,
      changeRequests: [
        {
          number: 1,
          title: 'Virement: £200,000 LGF from Meaford to Lichfield Park (illustrative)',
          change: '200000.00',
          illustrative: true,
        },
      ],
      words: LICHFIELD,
    });
    // 16 project lines, 2 pools, the growth hub grant: 19, as the seed holds them.
    expect(body.agreed).toHaveLength(19);
    expect(body.agreed.filter((l: any) => l.changed).map((l: any) => `${l.project}|${l.sourceKind}`)).toEqual([
      'LICHFIELD|LGF',
      'MEAFORD|LGF',
    ]);
    const sum = (k: string) => body.agreed.reduce((s: Decimal, l: any) => s.plus(l[k]), new Decimal(0)).toFixed(2);
    expect([sum('agreed'), sum('now'), sum('change')]).toEqual(['97450000.00', '97450000.00', '0.00']);

    const csv = await t.anonymous('GET', `${PAGE}/data/agreed-vs-now.csv`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'Project,Shared pool,Source,Agreed (£),Now (£),Change (£),Change requests,Illustrative,In words',
    );
    // The words hold a comma, so the cell is quoted.
    expect(lines).toContain(`LICHFIELD,,LGF,4000000.00,4200000.00,200000.00,1: 200000.00,yes,"${LICHFIELD}"`);
    expect(lines).toContain(`MEAFORD,,LGF,4200000.00,4000000.00,-200000.00,1: -200000.00,yes,"${MEAFORD}"`);
    expect(lines).toContain('BERICOTE,,LGF,1000000.00,1000000.00,0.00,,no,agreed £1.0m · unchanged');
    expect(lines).toHaveLength(20);
    // The chart CSV of funding by project carries the illustrative note.
    const chart = await t.anonymous('GET', `${PAGE}/data/funding-by-project.csv`);
    expect(chart.text.trim().split(/\r?\n/).pop()).toBe('Illustrative data: not from the source documents.');
    const project = await t.anonymous('GET', `${PAGE}/projects/LICHFIELD/data/agreed-vs-now.csv`);
    expect(project.text.trim().split(/\r?\n/)).toContain(
      `LICHFIELD,,LGF,4000000.00,4200000.00,200000.00,1: 200000.00,yes,"${LICHFIELD}"`,
    );
  });

  it('staff return page: the Finance sheet’s table carries the same illustrative column', async () => {
    await makeUser(t.app, 'finance', 'marks-finance@test.invalid');
    const finance = new WebClient(t.app, '10.9.0.1');
    expect((await finance.signIn('marks-finance@test.invalid')).status).toBe(303);
    const page = await finance.get('/manage/returns/2016-17-Q4');
    expect(page.status).toBe(200);
    const start = page.body.indexOf('data-sheet="finance"');
    expect(start).toBeGreaterThan(-1);
    const sheet = page.body.slice(start, page.body.indexOf('</table>', start));
    const cells = (tr: string) =>
      [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
    const rows = sheet.split('<tr').slice(1).map(cells);
    expect(rows[0].at(-1)).toBe('Illustrative');
    const row = (project: string, source: string, quarter: string) =>
      rows.find((r) => r[0] === project && r[1] === source && r[2] === quarter)!;
    expect(row('LICHFIELD', 'LGF', '2016-17 Q4').at(-1)).toBe('allocation moved by change request 1; spend figures');
    expect(row('BERICOTE', 'LGF', '2015-16 Q1').at(-1)).toBe('spend figures');
  });

  it('reconciliation page and funding-by-project CSV: each row illustrative data moved is marked, others not', async () => {
    const res = await t.anonymous('GET', `${PAGE}/reconciliation`);
    expect(res.status).toBe(200);
    // A row's heading: its label, then the mark where illustrative data moved its money (the
    // comparison is in the row's verdict, no longer under the label).
    const row = (label: string) => {
      const at = res.text.indexOf(`<th scope="row">${label}`);
      expect(at).toBeGreaterThan(-1);
      return res.text.slice(at, res.text.indexOf('</th>', at));
    };
    const MARK = '<span class="illustrative">(illustrative)</span>';
    // The employment sites' LGF adds up Lichfield Park and Meaford, which the illustrative virement moved.
    expect(row('Government invests in the employment sites')).toBe(
      `<th scope="row">Government invests in the employment sites ${MARK}`,
    );
    expect(row('Local Growth Fund secured (deal document)')).toBe(
      `<th scope="row">Local Growth Fund secured (deal document) ${MARK}`,
    );
    // Local match for the sites and the connectivity LGF: nothing illustrative touched them.
    expect(row('LEP partners invest in the employment sites')).toBe(
      '<th scope="row">LEP partners invest in the employment sites',
    );
    expect(row('Government invests in connectivity')).toBe('<th scope="row">Government invests in connectivity');

    const csv = await t.anonymous('GET', `${PAGE}/data/funding-by-project.csv`);
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0].split(',').at(-1)).toBe('Illustrative');
    const rowOf = (label: string) => lines.find((l) => l.startsWith(`${label},`))!;
    expect(rowOf('Lichfield Park employment site').split(',').at(-1)).toBe('yes');
    expect(rowOf('Meaford employment site').split(',').at(-1)).toBe('yes');
    expect(rowOf('Bericote Four Ashes employment site').split(',').at(-1)).toBe('no');
    expect(lines.filter((l) => l.endsWith(',yes'))).toHaveLength(2);
  });

  it('return workbook: the Summary’s LGF row has the agreed total, the change and the lines in words', async () => {
    const res = await t.getBytes(`/api/programmes/${PROG}/returns/2016-17-Q4?format=xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Summary')!;
    const headers = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
    const col = (h: string) => headers.indexOf(h) + 1;
    expect(col('Agreed in the deal (£)')).toBeGreaterThan(0);
    let lgf: ExcelJS.Row | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === 'LGF') lgf = r;
    });
    expect(lgf!.getCell(col('Approved allocation (£)')).value).toBe(34600000);
    expect(lgf!.getCell(col('Agreed in the deal (£)')).value).toBe(34600000);
    expect(lgf!.getCell(col('Change since agreed (£)')).value).toBe(0);
    expect(lgf!.getCell(col('Agreed vs now, by project (approved change requests)')).value).toBe(
      `Lichfield Park employment site: ${LICHFIELD}; Meaford employment site: ${MEAFORD}`,
    );
  });

  it('return workbook: each Finance row says what on it is illustrative, from agreed vs now', async () => {
    const res = await t.getBytes(`/api/programmes/${PROG}/returns/2016-17-Q4?format=xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Finance')!;
    const headers = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
    // The last column, after the Note (earlier columns keep their places).
    expect(headers.slice(-2)).toEqual(['Note', 'Illustrative']);
    const col = headers.indexOf('Illustrative') + 1;
    const mark = (project: string, source: string, quarter: string) => {
      let v: ExcelJS.CellValue | undefined;
      ws.eachRow((r) => {
        if (r.getCell(1).value === project && r.getCell(2).value === source && r.getCell(3).value === quarter)
          v = r.getCell(col).value;
      });
      expect(v).not.toBeUndefined();
      return v;
    };
    // The illustrative virement (change request 1) moved Lichfield Park's and Meaford's LGF; all
    // the demo's spend profiles are illustrative demo data.
    expect(mark('LICHFIELD', 'LGF', '2016-17 Q4')).toBe('allocation moved by change request 1; spend figures');
    expect(mark('MEAFORD', 'LGF', '2016-17 Q4')).toBe('allocation moved by change request 1; spend figures');
    // Untouched by the virement: the spend figures only.
    expect(mark('MEAFORD', 'LOCAL_MATCH', '2015-16 Q2')).toBe('spend figures');
    expect(mark('BERICOTE', 'LGF', '2015-16 Q1')).toBe('spend figures');
  });

  it('360Giving: the changed awards say so, with the agreed amount and the illustrative request', async () => {
    const { body } = await t.anonymous('GET', `/api/open-data/360giving.json?programme=${PROG}`);
    expect(validate360Giving(body).errors).toEqual([]);
    const grant = (id: string) => body.grants.find((g: any) => g.id === `360G-SSLEP-${PROG}-${id}`);
    expect(body.grants).toHaveLength(8);
    expect(grant('LICHFIELD-LGF').amountAwarded).toBe(4200000);
    expect(grant('LICHFIELD-LGF').additional_data).toMatchObject({
      changed: true,
      illustrative: true,
      agreedAmountPounds: '4000000.00',
      changeRequests: [
        {
          number: 1,
          title: 'Virement: £200,000 LGF from Meaford to Lichfield Park (illustrative)',
          deltaPounds: '200000.00',
          illustrative: true,
        },
      ],
    });
    expect(grant('MEAFORD-LGF').amountAwarded).toBe(4000000);
    expect(grant('MEAFORD-LGF').additional_data).toMatchObject({
      changed: true,
      illustrative: true,
      agreedAmountPounds: '4200000.00',
    });
    expect(grant('ETRURIA-LGF').additional_data).toMatchObject({ changed: false, illustrative: false });
    const total = body.grants.reduce((s: Decimal, g: any) => s.plus(g.additional_data.amountPounds), new Decimal(0));
    expect(total.toFixed(2)).toBe('51000000.00');
  });

  it('national return: each row and programme illustrative data touched is marked as the programme return marks it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-national-marks-'));
    try {
      const out = join(dir, 'national.xlsx');
      await t.app
        .get(NationalReturnService)
        .exportToFile(out, '2016-17 Q4', { generatedAt: '2026-12-02T10:30:00.000Z' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      const rowsOf = (name: string) => {
        const rows: ExcelJS.CellValue[][] = [];
        wb.getWorksheet(name)!.eachRow((r) => void rows.push((r.values as ExcelJS.CellValue[]).slice(1)));
        return rows;
      };
      const fin = rowsOf('Finance');
      expect(fin[0].at(-1)).toBe('Illustrative');
      const mark = (project: string, source: string) =>
        fin.find((r) => r[0] === PROG && r[1] === project && r[2] === source)?.at(9) ?? null;
      // The illustrative virement (change request 1) moved both LGF lines; the demo's spend is illustrative.
      expect(mark('LICHFIELD', 'LGF')).toBe('allocation moved by change request 1; spend figures');
      expect(mark('MEAFORD', 'LGF')).toBe('allocation moved by change request 1; spend figures');
      expect(mark('MEAFORD', 'LOCAL_MATCH')).toBe('spend figures');
      expect(mark('BERICOTE', 'LGF')).toBe('spend figures');
      // The same words as the programme return's Finance sheet, row for row: every line of the
      // deal has demo spend, and only the two LGF lines carry the change request.
      const deal = fin.filter((r) => r[0] === PROG);
      expect(deal.filter((r) => r[9] === 'allocation moved by change request 1; spend figures')).toHaveLength(2);
      expect(deal.filter((r) => r[9] === 'spend figures')).toHaveLength(deal.length - 2);
      const progs = rowsOf('Programmes');
      expect(progs.find((r) => r[0] === PROG)!.at(9)).toBe('allocation moved by change request 1; spend figures');
      const cover = wb.getWorksheet('Cover')!;
      const field = (name: string) => {
        let found: ExcelJS.Cell | undefined;
        cover.eachRow((r) => {
          if (r.getCell(1).value === name) found = r.getCell(2);
        });
        return found!;
      };
      expect(field('Real programmes with illustrative data').value).toBe(PROG);
      expect(field('Programmes').value).toBe(1);
      // "Generated at" is a real date-time cell with a date format, as the programme return's "Prepared at".
      const at = field('Generated at (UTC)');
      expect(at.value).toEqual(new Date('2026-12-02T10:30:00.000Z'));
      expect(at.numFmt).toBe('dd mmm yyyy hh:mm:ss');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a real change approved through the API: agreed vs now moves, without the illustrative mark', async () => {
    const { approved } = changeRequestSteps(() => t);
    const ids = await t.ds.query(
      `SELECT a.id, p.code FROM allocation a JOIN project p ON p.id = a.project_id
        WHERE p.code IN ('MEAFORD', 'ETRURIA') AND a.source_kind = 'LGF' AND a.approval_state = 'approved'`,
    );
    const id = (code: string) => Number(ids.find((r: any) => r.code === code).id);
    const cr = await approved('reallocation', {
      lines: [
        { allocationId: id('MEAFORD'), delta: '-20000.00' },
        { allocationId: id('ETRURIA'), delta: '20000.00' },
      ],
    });
    // The demo holds four requests: this is the fifth.
    expect(cr.number).toBe(5);
    const overview = await t.anonymous('GET', PAGE);
    // Etruria: only the real request, so no illustrative mark; £20,000 shows in exact pounds.
    expect(textOf(overview.text, 'data-line="ETRURIA|LGF"')).toBe(
      'Etruria Valley Enterprise Area, Local Growth Fund award: agreed £2.40m · now £2.42m (+£20,000.00, change request 5)',
    );
    // Meaford: both requests, each linked; still illustrative (request 1 is).
    expect(textOf(overview.text, 'data-line="MEAFORD|LGF"')).toBe(
      'Meaford employment site, Local Growth Fund award: agreed £4.2m · now £4.0m (−£220,000.00, change requests 1 and 5) (illustrative)',
    );
    expect(overview.text).toContain(`<a href="${PAGE}/projects/MEAFORD#change-request-5">5</a>`);
    const page = await t.anonymous('GET', `${PAGE}/projects/ETRURIA`);
    expect(textOf(page.text, 'id="change-request-5"')).not.toContain('(illustrative)');
    // Lichfield is untouched by it and keeps its illustrative change.
    expect(textOf(overview.text, 'data-line="LICHFIELD|LGF"')).toBe(
      `Lichfield Park employment site, Local Growth Fund award: ${LICHFIELD}`,
    );
    const { body } = await t.anonymous('GET', `/api/open-data/360giving.json?programme=${PROG}`);
    const grant = (p: string) => body.grants.find((g: any) => g.id === `360G-SSLEP-${PROG}-${p}-LGF`);
    expect(grant('ETRURIA').amountAwarded).toBe(2420000);
    expect(grant('ETRURIA').additional_data).toMatchObject({
      changed: true,
      illustrative: false,
      agreedAmountPounds: '2400000.00',
      changeRequests: [{ number: 5, deltaPounds: '20000.00', illustrative: false }],
    });
    expect(grant('MEAFORD').amountAwarded).toBe(3980000);
    expect(grant('MEAFORD').additional_data.changeRequests.map((c: any) => [c.number, c.deltaPounds])).toEqual([
      [1, '-200000.00'],
      [5, '-20000.00'],
    ]);
  });
});
