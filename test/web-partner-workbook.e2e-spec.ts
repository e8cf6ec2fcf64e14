import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { QuarterlyUpdate } from '../src/quarterly-updates/quarterly-update.entity';
import { MAX_XLSX_BYTES } from '../src/xlsx';
import { DENIAL_HEADER } from '../src/web/web-exception.filter';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PAGE = '/manage/partner-workbook/ETRURIA';

interface Part {
  name: string;
  filename?: string;
  type?: string;
  data: Buffer | string;
}

/** A multipart/form-data body as a browser sends it. */
function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----gdtTest${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.filename !== undefined ? `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The upload form's action (with its ?_csrf= token), read from the page as a browser would. */
function uploadAction(html: string): string {
  const action = /<form method="post" action="([^"]*partner-workbook[^"]*)" enctype="multipart\/form-data"/.exec(html);
  expect(action).not.toBeNull();
  return action![1].replace(/&amp;/g, '&');
}

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** The named inputs of a page's form with that action, as a browser would post them. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  const out: Record<string, string> = {};
  for (const tag of html.slice(start, html.indexOf('</form>', start)).match(/<input[^>]*>/g) ?? []) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (name) out[name] = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
  }
  return out;
}

/** The value of the spend form's actual box for a source kind, as the browser shows it. */
function actualBox(html: string, sourceKind: string): string | undefined {
  const tag = html.match(/<input[^>]*>/g)?.find((x) => x.includes(`name="actual-${sourceKind}"`));
  return tag === undefined ? undefined : (/value="([^"]*)"/.exec(tag)?.[1] ?? '');
}

const rowWhere = (ws: ExcelJS.Worksheet, test: (r: ExcelJS.Row) => boolean) =>
  ws.getRows(2, ws.rowCount - 1)!.find(test)!;

/**
 * The partner spreadsheet in the staff pages (demo history, reporting quarter 2016-17 Q4): a
 * delivery partner downloads the template of their project, uploads it back unchanged and
 * changed, and a file with three mistakes is refused whole with every problem named by its
 * cell; size, type, CSRF and project scope are refused before anything is written. The upload
 * feeds the update's draft, never the figures: an uploaded actual counts once the update is
 * accepted and finance confirms it.
 */
describe.each(databaseKinds())('the partner spreadsheet over HTTP on %s', (kind) => {
  let t: TestApp;
  let partner: WebClient;
  let lichfield: WebClient;
  let pm: WebClient;
  let finance: WebClient;

  const upload = async (
    client: WebClient,
    url: string,
    parts: Part[],
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string; headers: Record<string, unknown> }> => {
    const { payload, contentType } = multipart(parts);
    const res = await t.app.inject({
      method: 'POST',
      url,
      remoteAddress: client.ip,
      payload,
      headers: { 'content-type': contentType, cookie: client.cookie ?? '', ...headers },
    });
    return { status: res.statusCode, body: res.body, headers: res.headers as Record<string, unknown> };
  };
  const download = async (client: WebClient, url = `${PAGE}/template`) => {
    const res = await t.app.inject({
      method: 'GET',
      url,
      remoteAddress: client.ip,
      headers: { cookie: client.cookie! },
    });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
  };
  const xlsxPart = (bytes: Buffer, filename = 'etruria.xlsx'): Part => ({
    name: 'workbook',
    filename,
    type: XLSX_TYPE,
    data: bytes,
  });
  const q = (sql: string) => t.ds.query(sql.replace(/\$P/g, "(SELECT id FROM project WHERE code = 'ETRURIA')"));
  const spendPence = async (column: 'actual_pence' | 'forecast_pence', source: string, quarter: string) =>
    (
      await q(
        `SELECT ${column} AS v FROM spend_profile WHERE project_id = $P AND source_kind = '${source}' AND quarter = '${quarter}'`,
      )
    ).map((r: { v: unknown }) => (r.v === null ? null : Number(r.v)));
  const imports = async () =>
    Number((await t.ds.query("SELECT COUNT(*) AS n FROM audit_entry WHERE entity = 'partner_update'"))[0].n);
  const drafts = async () =>
    Number(
      (
        await t.ds.query(
          "SELECT COUNT(*) AS n FROM audit_entry WHERE entity = 'quarterly_update' AND action = 'import_workbook'",
        )
      )[0].n,
    );

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
    await makeUser(t.app, 'delivery_partner', 'wb-partner@test.invalid', ['ETRURIA']);
    await makeUser(t.app, 'delivery_partner', 'wb-lichfield@test.invalid', ['LICHFIELD']);
    await makeUser(t.app, 'programme_manager', 'wb-pm@test.invalid', ['ETRURIA']);
    partner = new WebClient(t.app, '10.2.0.1');
    expect((await partner.signIn('wb-partner@test.invalid')).status).toBe(303);
    lichfield = new WebClient(t.app, '10.2.0.2');
    expect((await lichfield.signIn('wb-lichfield@test.invalid')).status).toBe(303);
    pm = new WebClient(t.app, '10.2.0.3');
    expect((await pm.signIn('wb-pm@test.invalid')).status).toBe(303);
    await makeUser(t.app, 'finance', 'wb-finance@test.invalid');
    finance = new WebClient(t.app, '10.2.0.4');
    expect((await finance.signIn('wb-finance@test.invalid')).status).toBe(303);
  }, 120_000);
  afterAll(async () => t?.close());

  it('links the spreadsheet from the project page and downloads the template with the project’s figures', async () => {
    const project = await partner.get('/manage/quarter/ETRURIA');
    expect(project.body).toContain('href="/manage/partner-workbook/ETRURIA"');
    expect(pageText(project.body)).toContain('Download or upload the update as a spreadsheet');
    const page = await partner.get(PAGE);
    expect(page.status).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain('Update Etruria Valley Enterprise Area with a spreadsheet');
    expect(text).toContain('Download the spreadsheet for ETRURIA, 2016-17 Q4 (xlsx)');
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('class="govuk-file-upload"');
    expect(uploadAction(page.body)).toMatch(/^\/manage\/partner-workbook\/ETRURIA\?_csrf=[^&]+$/);

    const res = await download(partner);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="SSLEP-GD-2014-ETRURIA-update-2016-17-Q4.xlsx"',
    );
    const wb = await load(res.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Spend', 'Milestones', 'Outputs']);
    const about = wb.getWorksheet('About')!;
    expect([2, 3, 4, 5].map((r) => [about.getCell(`A${r}`).value, about.getCell(`B${r}`).value])).toEqual([
      ['Template', 'partner-update/1'],
      ['Programme', 'SSLEP-GD-2014'],
      ['Project', 'ETRURIA'],
      ['Quarter', '2016-17 Q4'],
    ]);
    const spend = wb.getWorksheet('Spend')!;
    expect(['A1', 'B1', 'C1', 'D1', 'E1', 'F1'].map((c) => spend.getCell(c).value)).toEqual([
      'Source',
      'Quarter',
      'Baseline forecast (£)',
      'Latest forecast (£)',
      'Actual (£)',
      'Version',
    ]);
    const lgf = rowWhere(spend, (r) => r.getCell(1).value === 'LGF' && r.getCell(2).value === '2016-17 Q4');
    const [forecast] = await spendPence('forecast_pence', 'LGF', '2016-17 Q4');
    expect(forecast).toBe(12_000_000);
    expect(lgf.getCell(4).value).toBe(120000);
    // Only the reporting quarter and later: locked quarters are not offered.
    expect(spend.getRows(2, spend.rowCount - 1)!.every((r) => String(r.getCell(2).value) >= '2016-17 Q4')).toBe(true);
    const lines = await q("SELECT COUNT(*) AS n FROM spend_profile WHERE project_id = $P AND quarter >= '2016-17 Q4'");
    expect(spend.rowCount - 1).toBe(Number(lines[0].n));

    // Protected (no password): on the rows written only the figures are open; rows below are
    // open for new lines; codes come from dropdowns.
    const ms = wb.getWorksheet('Milestones')!;
    const outs = wb.getWorksheet('Outputs')!;
    // exceljs reads the protection into the sheet; its types omit it.
    const protection = (ws: ExcelJS.Worksheet) =>
      (ws as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
    for (const ws of [about, spend, ms, outs]) expect(protection(ws)).toMatchObject({ sheet: true });
    expect(protection(about).hashValue).toBeUndefined();
    const locked = (ws: ExcelJS.Worksheet, ref: string) => ws.getCell(ref).protection?.locked !== false;
    const n = lgf.number;
    expect(['A', 'B', 'C', 'D', 'E', 'F'].map((c) => locked(spend, `${c}${n}`))).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(['A', 'B', 'C', 'D', 'E', 'F'].map((c) => locked(ms, `${c}2`))).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(locked(spend, 'A1')).toBe(true);
    expect(locked(about, 'B4')).toBe(true);
    const below = spend.rowCount + 1;
    expect(['A', 'B', 'D', 'E'].map((c) => locked(spend, `${c}${below}`))).toEqual([false, false, false, false]);
    const kinds = (await t.ds.query('SELECT code FROM source_kind ORDER BY code')).map((r: { code: string }) => r.code);
    expect(spend.getCell(`A${below}`).dataValidation).toMatchObject({
      type: 'list',
      allowBlank: true,
      formulae: [`"${kinds.join(',')}"`],
    });
    expect(outs.getCell('B2').dataValidation).toMatchObject({
      type: 'list',
      formulae: [
        '"APPRENTICES,FLOORSPACE,HOMES_COMPLETED,HOMES_STARTED,JOBS_CREATED,JOBS_SAFEGUARDED,LEARNERS,LEARNING_FLOORSPACE,PRIVATE_INVESTMENT,ROAD_IMPROVED,ROAD_NEW,SITE_AREA"',
      ],
    });
    expect(outs.getCell('C2').dataValidation).toMatchObject({ type: 'list', formulae: ['"2016-17 Q4"'] });

    // Its programme manager may download it too.
    expect((await download(pm)).status).toBe(200);
  });

  it('puts the template, unchanged then changed, into the update’s draft with exact counts; the figures stay', async () => {
    const page = await partner.get(PAGE);
    const template = (await download(partner)).bytes;
    const wb = await load(template);
    const rows = wb.worksheets.slice(1).reduce((s, ws) => s + ws.rowCount - 1, 0);
    const before = await drafts();

    const same = await upload(partner, uploadAction(page.body), [xlsxPart(template)]);
    expect(same.status).toBe(303);
    expect(same.headers.location).toBe('/manage/quarter/ETRURIA');
    expect(pageText((await partner.get('/manage/quarter/ETRURIA')).body)).toContain(
      `Imported etruria.xlsx into the 2016-17 Q4 update: 0 changes held in the draft, ${rows} rows unchanged. Check the update and submit it for review`,
    );
    expect(await drafts()).toBe(before + 1);

    const spend = wb.getWorksheet('Spend')!;
    rowWhere(spend, (r) => r.getCell(1).value === 'LGF' && r.getCell(2).value === '2016-17 Q4').getCell(5).value =
      119999.99;
    rowWhere(spend, (r) => r.getCell(1).value === 'LGF' && r.getCell(2).value === '2017-18 Q1').getCell(4).value =
      '90,000.50';
    const changed = Buffer.from(await wb.xlsx.writeBuffer());
    const page2 = await partner.get(PAGE);
    const res = await upload(partner, uploadAction(page2.body), [xlsxPart(changed, 'etruria-filled.xlsx')]);
    expect(res.status).toBe(303);
    expect(pageText((await partner.get('/manage/quarter/ETRURIA')).body)).toContain(
      `Imported etruria-filled.xlsx into the 2016-17 Q4 update: 2 changes held in the draft, ${rows - 2} rows unchanged. Check the update and submit it for review`,
    );
    // A partner's upload never writes the figures: the demo's actual and forecast stay to the penny.
    expect(await spendPence('actual_pence', 'LGF', '2016-17 Q4')).toEqual([12_000_000]);
    expect(await spendPence('forecast_pence', 'LGF', '2017-18 Q1')).toEqual([8_760_000]);
    expect(await imports()).toBe(0);
    // The draft holds them, as the spend form shows them, and the next download carries them.
    const draft = (
      await t.ds.getRepository(QuarterlyUpdate).findOneByOrFail({
        projectId: (await q("SELECT id FROM project WHERE code = 'ETRURIA'"))[0].id,
        quarter: '2016-17 Q4',
      })
    ).draft;
    expect([draft.actuals?.LGF, draft.forecasts?.['LGF|2017-18 Q1']]).toEqual([11_999_999, 9_000_050]);
    expect(actualBox((await partner.get('/manage/quarter/ETRURIA/spend')).body, 'LGF')).toBe('119,999.99');
    const again = await load((await download(partner)).bytes);
    expect(
      rowWhere(
        again.getWorksheet('Spend')!,
        (r) => r.getCell(1).value === 'LGF' && r.getCell(2).value === '2016-17 Q4',
      ).getCell(5).value,
    ).toBe(119999.99);
    expect(await drafts()).toBe(before + 2);
    const audit = await t.ds.query(
      "SELECT actor, meta FROM audit_entry WHERE entity = 'quarterly_update' AND action = 'import_workbook' ORDER BY id DESC",
    );
    expect(audit[0].actor).toMatch(/<wb-partner@test\.invalid>/);
    expect(JSON.parse(audit[0].meta)).toMatchObject({ file: 'etruria-filled.xlsx', rows: 2, quarter: '2016-17 Q4' });
  });

  it('refuses a file with three mistakes in one list of Sheet!Cell problems, writing nothing', async () => {
    const wb = await load((await download(partner)).bytes);
    const spend = wb.getWorksheet('Spend')!;
    const future = rowWhere(spend, (r) => r.getCell(1).value === 'LGF' && r.getCell(2).value === '2017-18 Q1');
    future.getCell(5).value = 5000;
    const ms = wb.getWorksheet('Milestones')!;
    const first = ms.getRow(2);
    const baseline = first.getCell(3).value;
    first.getCell(3).value = new Date(Date.UTC(2030, 0, 1));
    const outs = wb.getWorksheet('Outputs')!;
    outs.addRow([null, 'JOBS_INVENTED', '2016-17 Q4', 'employer: Test Kiln Ltd', 3, null, null]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const counts = await tableCounts(t.ds);
    const actualBefore = await spendPence('actual_pence', 'LGF', '2017-18 Q1');

    const res = await upload(partner, uploadAction((await partner.get(PAGE)).body), [xlsxPart(bytes)]);
    expect(res.status).toBe(422);
    const text = pageText(res.body);
    expect(text).toContain('There is a problem');
    const start = res.body.indexOf('govuk-error-summary__list');
    const summary = res.body.slice(start, res.body.indexOf('</ul>', start));
    const items = [...summary.matchAll(/<a href="#workbook">([^<]*)<\/a>/g)].map((m) => m[1]);
    expect(items).toHaveLength(3);
    expect(future.number).toBe(3);
    expect(items[0]).toBe('Spend!E3: actual spend is reported for 2016-17 Q4 only');
    expect(items[1]).toBe(
      'Milestones!C2: the baseline date changes only through an approved re-baseline change request (it is 2015-05-29)',
    );
    expect(items[2]).toBe(
      'Outputs!B2: &quot;JOBS_INVENTED&quot; is not a metric of the dictionary (JOBS_CREATED, JOBS_SAFEGUARDED, HOMES_COMPLETED, HOMES_STARTED, FLOORSPACE, SITE_AREA, ROAD_NEW, ROAD_IMPROVED, LEARNERS, APPRENTICES, LEARNING_FLOORSPACE, PRIVATE_INVESTMENT)',
    );
    expect(text).toContain('etruria.xlsx was not imported: 3 problems, nothing was changed');
    expect(baseline).toEqual(new Date(Date.UTC(2015, 4, 29)));
    expect(await tableCounts(t.ds)).toEqual(counts);
    expect(await spendPence('actual_pence', 'LGF', '2017-18 Q1')).toEqual(actualBefore);
  });

  it('refuses an oversize file, a file that is not xlsx, a missing file and a missing CSRF token, naming the field', async () => {
    const counts = await tableCounts(t.ds);
    const action = uploadAction((await partner.get(PAGE)).body);

    const big = await upload(partner, action, [xlsxPart(Buffer.alloc(MAX_XLSX_BYTES + 1, 0x50), 'huge.xlsx')]);
    expect(big.status).toBe(413);
    expect(big.body).toContain('<a href="#workbook">The selected file must be smaller than 50 MB</a>');
    expect(big.body).toContain('id="workbook-error"');

    const csv = await upload(partner, action, [
      {
        name: 'workbook',
        filename: 'figures.csv',
        type: 'text/csv',
        data: 'Source,Quarter,Actual\nLGF,2016-17 Q4,1\n',
      },
    ]);
    expect(csv.status).toBe(422);
    expect(pageText(csv.body)).toContain(
      'figures.csv is not an xlsx workbook (an .xlsx file is a zip archive; this one does not start like one). Save it from your spreadsheet program as "Excel Workbook (.xlsx)"',
    );
    expect(csv.body).toContain('href="#workbook"');

    const none = await upload(partner, action, [{ name: 'workbook', filename: '', data: '' }]);
    expect(none.status).toBe(400);
    expect(none.body).toContain('<a href="#workbook">Select the filled-in spreadsheet (an .xlsx file)</a>');

    const template = (await download(partner)).bytes;
    const noToken = await upload(partner, PAGE, [xlsxPart(template)]);
    expect(noToken.status).toBe(403);
    expect(pageText(noToken.body)).toContain('This form has expired');
    // The header carries the token as well as the query string does.
    const token = new URL(action, 'http://x').searchParams.get('_csrf')!;
    const wrong = await upload(partner, PAGE, [xlsxPart(template)], { 'x-csrf-token': `${token}x` });
    expect(wrong.status).toBe(403);
    expect(await tableCounts(t.ds)).toEqual(counts);
    const viaHeader = await upload(partner, PAGE, [xlsxPart(template)], { 'x-csrf-token': token });
    expect(viaHeader.status).toBe(303);
  }, 60_000);

  it('refuses a partner on another’s project, reading and writing', async () => {
    const counts = await tableCounts(t.ds);
    for (const url of [PAGE, `${PAGE}/template`]) {
      const res = await lichfield.get(url);
      expect([res.status, res.headers[DENIAL_HEADER]]).toEqual([403, 'PROJECT_NOT_ASSIGNED']);
    }
    const own = await lichfield.get('/manage/partner-workbook/LICHFIELD');
    expect(own.status).toBe(200);
    const template = (await download(partner)).bytes;
    // To ETRURIA's address: refused by scope. To their own: the file is ETRURIA's, so refused by its cell.
    const res = await upload(lichfield, `${PAGE}?_csrf=${encodeURIComponent(lichfield.lastToken!)}`, [
      xlsxPart(template),
    ]);
    expect([res.status, res.headers[DENIAL_HEADER]]).toEqual([403, 'PROJECT_NOT_ASSIGNED']);
    const theirs = await upload(lichfield, uploadAction(own.body), [xlsxPart(template)]);
    expect(theirs.status).toBe(422);
    expect(pageText(theirs.body)).toContain('About!B4: this file is for project "ETRURIA", not "LICHFIELD"');
    expect(await tableCounts(t.ds)).toEqual(counts);
  });

  it('an uploaded actual reaches the figures only when finance confirms it; a submitted update refuses an upload in words', async () => {
    const P = '/manage/quarter/ETRURIA';
    const apiActual = async () =>
      (
        (await t.request('GET', '/api/programmes/SSLEP-GD-2014/projects/ETRURIA/spend')).body.profile as {
          sourceKind: string;
          quarter: string;
          actual: string | null;
        }[]
      ).find((l) => l.sourceKind === 'LGF' && l.quarter === '2016-17 Q4')!.actual;
    expect(await apiActual()).toBe('120000.00');

    // The partner uploads a changed actual: the draft holds it, the figures do not.
    const wb = await load((await download(partner)).bytes);
    rowWhere(
      wb.getWorksheet('Spend')!,
      (r) => r.getCell(1).value === 'LGF' && r.getCell(2).value === '2016-17 Q4',
    ).getCell(5).value = 118765.43;
    const up = await upload(partner, uploadAction((await partner.get(PAGE)).body), [
      xlsxPart(Buffer.from(await wb.xlsx.writeBuffer()), 'etruria-q4.xlsx'),
    ]);
    expect([up.status, up.headers.location]).toEqual([303, P]);
    expect(await apiActual()).toBe('120000.00');
    expect(await spendPence('actual_pence', 'LGF', '2016-17 Q4')).toEqual([12_000_000]);
    expect(actualBox((await partner.get(`${P}/spend`)).body, 'LGF')).toBe('118,765.43');

    // The partner finishes the update and submits it.
    const outputs = await partner.get(`${P}/outputs`);
    expect(
      (await partner.post(`${P}/outputs`, { ...formFields(outputs.body, `${P}/outputs`), complete: 'yes' })).status,
    ).toBe(303);
    await partner.get(`${P}/risks`);
    expect((await partner.post(`${P}/risk-review`, { reviewed: 'yes' })).status).toBe(303);
    await partner.get(P);
    expect((await partner.post(`${P}/submit`)).status).toBe(303);

    // Submitted: another upload is refused in words, nothing written.
    const template = (await download(partner)).bytes;
    const counts = await tableCounts(t.ds);
    const res = await upload(partner, uploadAction((await partner.get(PAGE)).body), [xlsxPart(template)]);
    expect(res.status).toBe(422);
    expect(pageText(res.body)).toContain(
      'There is a problem The 2016-17 Q4 update has been submitted and is waiting for review: it cannot be changed unless it is returned',
    );
    expect(await tableCounts(t.ds)).toEqual(counts);

    // The programme manager accepts: the actual still waits for finance.
    await pm.get(P);
    expect((await pm.post(`${P}/accept`)).status).toBe(303);
    expect(await apiActual()).toBe('120000.00');
    expect(await spendPence('actual_pence', 'LGF', '2016-17 Q4')).toEqual([12_000_000]);

    // Finance confirms: the actual is the uploaded figure to the penny.
    const list = await finance.get('/manage/confirm-spend');
    expect(pageText(list.body)).toContain('LGF £120,000.00 £118,765.43');
    const done = await finance.post(
      '/manage/confirm-spend/ETRURIA',
      formFields(list.body, '/manage/confirm-spend/ETRURIA'),
    );
    expect([done.status, done.location]).toEqual([303, '/manage/confirm-spend']);
    expect(await apiActual()).toBe('118765.43');
    expect(await spendPence('actual_pence', 'LGF', '2016-17 Q4')).toEqual([11_876_543]);
  }, 60_000);
});
