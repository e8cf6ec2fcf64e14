/**
 * Issue 16, "Two clocks" (DESIGN.md, Clarifications 2026-12), the words: wherever a page, a
 * message or the return's cover dates a return, it gives the programme date (programme time);
 * the wall-clock instant is kept as "recorded at". The public header's reporting quarter says
 * when its return is overdue on the programme's as-of date.
 *
 * Every date is fixed by the test through the API (PATCH asOfDate). Worked by hand:
 * - 2015-16 Q1 ends 30 June 2015, its return is due 31 July 2015 (one month after).
 * - As of 15 January 2016, not submitted: 168 days overdue (31 Jul -> 15 Jan: 31+30+31+30+31+15).
 * - As of 31 July 2015 (its due date): due, not overdue; 1 August 2015: 1 day overdue.
 * - Submitted with the as-of date 10 August 2015: the programme date of version 1, whatever
 *   the wall clock says (10 days late).
 */
import ExcelJS from 'exceljs';
import { longDate } from '../src/common/fiscal';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

const CODE = 'SSLEP-GD-2014';
const P = `/api/programmes/${CODE}`;
const R = `${P}/returns`;
const PAGE = `/programmes/${CODE}`;

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

/** The public programme page's header line (the "Runs … to …" paragraph), as read. */
async function headerLine(t: TestApp): Promise<string> {
  const page = await t.anonymous('GET', PAGE);
  expect(page.status).toBe(200);
  const m = /<p>Runs [\s\S]*?<\/p>/.exec(page.text);
  return text(m![0]);
}

async function setAsOf(t: TestApp, asOfDate: string) {
  const { version } = (await t.request('GET', P)).body;
  const res = await t.request('PATCH', P, { asOfDate, version });
  expect([res.status, res.body.asOfDate]).toEqual([200, asOfDate]);
}

async function commentsFor(t: TestApp, quarter: string): Promise<Record<string, string>> {
  const draft = await t.request('GET', `${R}/${quarter}`);
  const warnings = (draft.body.return.checks as { code: string; severity: string }[]).filter(
    (c) => c.severity === 'warning',
  );
  return Object.fromEntries(warnings.map((w) => [w.code, 'Explained to the accountable body (test)']));
}

describe.each(databaseKinds())('two clocks, the words: programme dates, not the wall clock (%s)', (kind) => {
  let t: TestApp;
  let finance: WebClient;
  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    await makeUser(t.app, 'finance', 'finance@test.invalid');
    finance = new WebClient(t.app, '10.2.16.1');
    expect((await finance.signIn('finance@test.invalid')).status).toBe(303);
  }, 120_000);
  afterAll(async () => t?.close());

  it('the public header says the reporting quarter is overdue once the as-of date is past its due date', async () => {
    await setAsOf(t, '2016-01-15');
    expect(await headerLine(t)).toContain(
      'Reporting quarter: 2015-16 Q1 (not yet submitted, and overdue: its return was due 31 July 2015, 168 days ago).',
    );
    await setAsOf(t, '2015-08-01');
    expect(await headerLine(t)).toContain(
      'Reporting quarter: 2015-16 Q1 (not yet submitted, and overdue: its return was due 31 July 2015, 1 day ago).',
    );
    // On its due date it is due, not overdue.
    await setAsOf(t, '2015-07-31');
    const due = await headerLine(t);
    expect(due).toContain('Reporting quarter: 2015-16 Q1 (not yet submitted).');
    expect(due).not.toContain('overdue');
  });

  it('the cover dates a draft and a submission by the programme date; the wall-clock instant stays recorded', async () => {
    await setAsOf(t, '2015-08-10');
    const draft = await t.request('GET', `${R}/2015-16-Q1`);
    expect(draft.body.return.cover).toMatchObject({ status: 'draft', preparedOn: '2015-08-10' });

    const sub = await t.request('POST', `${R}/2015-16-Q1/submit`, { comments: await commentsFor(t, '2015-16-Q1') });
    expect(sub.status).toBe(201);
    expect(sub.body.submittedOn).toBe('2015-08-10');
    const v1 = await t.request('GET', `${R}/2015-16-Q1/versions/1`);
    expect(v1.body.cover.preparedOn).toBe('2015-08-10');
    expect(v1.body.cover.preparedAt).toBe(sub.body.submittedAt);

    const xlsx = await t.getBytes(`${R}/2015-16-Q1/versions/1?format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const cover = new Map<string, unknown>();
    wb.getWorksheet('Cover')!.eachRow((row, n) => {
      if (n > 1) cover.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(cover.get('Submitted on (programme date)')).toEqual(new Date(Date.UTC(2015, 7, 10)));
    expect(cover.get('Submitted at (UTC)')).toEqual(new Date(sub.body.submittedAt));
  });

  it('a resubmission without a reason names the programme date of the version before (API and staff page)', async () => {
    // The wall clock has moved on (today); so has the programme: neither dates version 1.
    await setAsOf(t, '2015-09-01');
    const v1 = (await t.request('GET', R)).body.items[0];
    expect([v1.quarter, v1.version, v1.submittedOn]).toEqual(['2015-16 Q1', 1, '2015-08-10']);
    const noReason = await t.request('POST', `${R}/2015-16-Q1/submit`, {});
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('REASON_REQUIRED');
    expect(noReason.body.message).toContain(
      `2015-16 Q1 was submitted as version 1 on 10 August 2015 (programme date; recorded at ${v1.submittedAt}): a resubmission needs a written reason`,
    );

    const page = pageText((await finance.get(`/manage/returns/2015-16-Q1?programme=${CODE}`)).body);
    expect(page).toContain('Status Submitted late version 1, submitted on 10 August 2015 (programme date; recorded ');
    expect(page).toContain(
      'Version 1 was submitted on 10 August 2015 (programme date). A resubmission needs a written reason.',
    );
    // The versions table: the programme date first, the wall-clock instant recorded beside it.
    const html = (await finance.get(`/manage/returns/2015-16-Q1?programme=${CODE}`)).body;
    const table = html.slice(html.indexOf('data-versions'), html.indexOf('</table>', html.indexOf('data-versions')));
    const recorded = `${v1.submittedAt.slice(11, 16)}`;
    expect(pageText(table)).toContain(
      `Version Submitted on (programme date) Recorded at (UTC) By Reason Spreadsheet 1 10 August 2015 ${longDate(v1.submittedAt, '')} at ${recorded}`,
    );
  });

  it('the next return’s Changes check names the quarters after the last submitted one', async () => {
    const draft = await t.request('GET', `${R}/2015-16-Q2`);
    const note = (draft.body.return.checks as { code: string; message: string }[]).find(
      (c) => c.code === 'CHANGES_DECIDED',
    );
    expect(note?.message).toBe(
      'no change request was decided in the quarters after the 2015-16 Q1 return, up to 2015-16 Q2',
    );
  });
});
