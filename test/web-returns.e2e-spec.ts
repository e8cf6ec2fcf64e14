import ExcelJS from 'exceljs';
import { DENIAL_HEADER } from '../src/web/web-exception.filter';
import { Programme } from '../src/programmes/programme.entity';
import { longDate } from '../src/common/fiscal';
import { databaseKinds } from './support/databases';
import { queryCounter } from './support/queries';
import { startTestApp, tableCounts, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

const P = '/api/programmes/SSLEP-GD-2014';
const R = `${P}/returns`;
const PAGE = '/manage/returns/2015-16-Q1';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADLINE_COMMENT = 'Published headlines differ from the project figures as the Reconciliation sheet explains';
const DRAFT_COMMENT = 'Meaford top-up awaits the board in June';
/** The programme's as-of date unless it sets one: the wall clock's (issue 16, two clocks). */
const TODAY = longDate(new Date().toISOString().slice(0, 10), '');

/** The check codes of one severity as the page lists them (warnings: one card each). */
function codes(html: string, severity: 'error' | 'warning' | 'note'): string[] {
  if (severity === 'warning') return [...html.matchAll(/data-warning="([A-Z_]+)"/g)].map((m) => m[1]);
  const start = html.indexOf(`data-checks="${severity}"`);
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/data-code="([A-Z_]+)"/g)].map((m) => m[1]);
}

/** The error summary's items, as a person reads them. */
function summary(html: string): string[] {
  const start = html.indexOf('govuk-error-summary__list');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map(
    (m) => `${m[1]} ${pageText(m[2]).replace(/&lt;/g, '<').replace(/&gt;/g, '>')}`,
  );
}

/**
 * Closing the quarter in the staff pages (finance), on a fresh deal (reporting quarter
 * 2015-16 Q1): the returns due, the checks with a comment form per warning, refusals exactly
 * as the API's (errors, uncommented warnings, a missing reason, a stale version), submission
 * and resubmission, the frozen xlsx downloaded and opened, and who may do what.
 */
describe.each(databaseKinds())('closing the quarter in the staff pages on %s', (kind) => {
  let t: TestApp;
  let finance: WebClient;
  let pm: WebClient;
  let viewer: WebClient;
  let financeName: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    await makeUser(t.app, 'finance', 'finance@test.invalid');
    await makeUser(t.app, 'programme_manager', 'pm@test.invalid', ['ETRURIA']);
    await makeUser(t.app, 'viewer', 'viewer@test.invalid');
    financeName = 'Web finance finance';
    finance = new WebClient(t.app, '10.2.0.1');
    expect((await finance.signIn('finance@test.invalid')).status).toBe(303);
    pm = new WebClient(t.app, '10.2.0.2');
    expect((await pm.signIn('pm@test.invalid')).status).toBe(303);
    viewer = new WebClient(t.app, '10.2.0.3');
    expect((await viewer.signIn('viewer@test.invalid')).status).toBe(303);
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows the return due, and tells finance in its notices (overdue: the bare deal, as of today, has submitted nothing)', async () => {
    const page = await finance.get('/manage/returns');
    expect(page.status).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain(
      `Stoke-on-Trent and Staffordshire Growth Deal (2014) SSLEP-GD-2014 2015-16 Q1 31 July 2015 Overdue 24 returns overdue, the oldest for 2015-16 Q1 ${TODAY}`,
    );
    const notices = await finance.get('/manage/notices');
    // Issue 16, two clocks: due 31 July 2015, one month after the quarter; every one of the 24 is overdue today.
    expect(pageText(notices.body)).toContain(
      'The 2015-16 Q1 return for Stoke-on-Trent and Staffordshire Growth Deal (2014) is overdue: it was due 31 July 2015 (24 quarterly returns are overdue)',
    );
    expect(notices.body).toContain('href="/manage/returns/2015-16-Q1?programme=SSLEP-GD-2014"');
    expect(pageText(notices.body)).toMatch(/Notices\s*1/);
    // Other roles are not told (finance closes the quarter).
    expect(pageText((await pm.get('/manage/notices')).body)).not.toContain('return for');
  });

  it('runs the checks: the exact warnings, each with its own comment form, and the sheets as tables', async () => {
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      project: 'MEAFORD',
      period: '2016-17',
      amount: '150000.00',
      commitmentStatus: 'indicative',
    });
    expect(draft.status).toBe(201);
    const page = await finance.get(PAGE);
    expect(page.status).toBe(200);
    expect(codes(page.body, 'error')).toEqual([]);
    expect(codes(page.body, 'warning')).toEqual(['DRAFT_ALLOCATIONS', 'HEADLINE_UNRECONCILED']);
    // The API's live draft ranks the same checks.
    const api = await t.request('GET', `${R}/2015-16-Q1?live=true`);
    expect(
      api.body.return.checks
        .filter((c: { severity: string }) => c.severity === 'warning')
        .map((c: { code: string }) => c.code),
    ).toEqual(['DRAFT_ALLOCATIONS', 'HEADLINE_UNRECONCILED']);
    expect(codes(page.body, 'note')).toEqual(
      api.body.return.checks
        .filter((c: { severity: string }) => c.severity === 'note')
        .map((c: { code: string }) => c.code),
    );
    const text = pageText(page.body);
    expect(text).toContain('Checks 0 errors, 2 warnings, 6 notes');
    expect(text).toContain(
      'DRAFT_ALLOCATIONS Needs a comment 1 draft allocation totalling £150,000.00 await approval and are not in this return',
    );
    // One form per warning, each posting its check code.
    const forms = [...page.body.matchAll(/action="\/manage\/returns\/2015-16-Q1\/comments"[\s\S]*?<\/form>/g)].map(
      (m) => m[0],
    );
    expect(forms.map((f) => /name="check" value="([A-Z_]+)"/.exec(f)?.[1])).toEqual([
      'DRAFT_ALLOCATIONS',
      'HEADLINE_UNRECONCILED',
    ]);
    expect(forms.every((f) => f.includes('name="_csrf"'))).toBe(true);
    // Every sheet of the return, each a GOV.UK table in a keyboard-reachable scroll box.
    expect([...page.body.matchAll(/data-sheet="([A-Za-z]+)"/g)].map((m) => m[1])).toEqual([
      'summary',
      'finance',
      'forecastYears',
      'milestones',
      'outputs',
      'changes',
      'reconciliation',
      'checks',
    ]);
    expect(page.body).toMatch(
      /<div class="lep-table-scroll" tabindex="0" role="region" aria-label="Summary by source sheet">\s*<table class="govuk-table/,
    );
    const lgf = api.body.return.sections[0].rows.find((r: { sourceKind: string }) => r.sourceKind === 'LGF');
    expect(lgf.allocation).toBe('34600000.00');
    const summaryTable = page.body.slice(
      page.body.indexOf('data-sheet="summary"'),
      page.body.indexOf('</table>', page.body.indexOf('data-sheet="summary"')),
    );
    expect(pageText(summaryTable)).toContain('LGF');
    expect(pageText(summaryTable)).toContain('£34,600,000.00');
    expect(text).toContain('Next version 1');
    expect(text).toContain('No version of the 2015-16 Q1 return has been submitted yet.');
  });

  it('refuses a return with errors as the API does, naming them in the error summary, and writes nothing', async () => {
    await t.ds.query(
      `UPDATE allocation SET period_kind = 'year', year_from = 2030, year_to = 2030 WHERE source_kind = 'LGF' AND approval_state = 'approved' AND project_id = (SELECT id FROM project WHERE code = 'BERICOTE')`,
    );
    try {
      const before = await tableCounts(t.ds);
      const api = await t.request('POST', `${R}/2015-16-Q1/submit`, {
        comments: { HEADLINE_UNRECONCILED: HEADLINE_COMMENT, DRAFT_ALLOCATIONS: DRAFT_COMMENT },
      });
      expect(api.status).toBe(422);
      expect(api.body.code).toBe('RETURN_HAS_ERRORS');
      await finance.get(PAGE);
      const res = await finance.post(`${PAGE}/submit`, { programme: 'SSLEP-GD-2014', version: '1' });
      expect(res.status).toBe(422);
      const message = api.body.message.charAt(0).toUpperCase() + api.body.message.slice(1);
      expect(summary(res.body)).toEqual([`#errors ${message}`]);
      expect(codes(res.body, 'error')).toEqual(['ALLOCATION_OUTSIDE_PROGRAMME']);
      expect(res.body).toContain('id="errors"');
      expect(await tableCounts(t.ds)).toEqual(before);
    } finally {
      await t.ds.query(
        `UPDATE allocation SET period_kind = 'unprofiled', year_from = NULL, year_to = NULL WHERE source_kind = 'LGF' AND approval_state = 'approved' AND project_id = (SELECT id FROM project WHERE code = 'BERICOTE')`,
      );
    }
    const page = await finance.get(PAGE);
    expect(codes(page.body, 'error')).toEqual([]);
  });

  it('refuses while warnings are unanswered, pointing at each comment box; refuses a bad comment', async () => {
    const api = await t.request('POST', `${R}/2015-16-Q1/submit`, {});
    expect(api.body.code).toBe('WARNINGS_NEED_COMMENTS');
    const res = await finance.post(`${PAGE}/submit`, { programme: 'SSLEP-GD-2014', version: '1' });
    expect(res.status).toBe(422);
    expect(summary(res.body)).toEqual([
      '#comment-DRAFT_ALLOCATIONS Every warning needs a written comment before submission; missing for: DRAFT_ALLOCATIONS, HEADLINE_UNRECONCILED',
      '#comment-DRAFT_ALLOCATIONS Write a comment on DRAFT_ALLOCATIONS before submitting',
      '#comment-HEADLINE_UNRECONCILED Write a comment on HEADLINE_UNRECONCILED before submitting',
    ]);
    expect(res.body).toMatch(/id="comment-HEADLINE_UNRECONCILED-error"/);

    const empty = await finance.post(`${PAGE}/comments`, {
      programme: 'SSLEP-GD-2014',
      check: 'DRAFT_ALLOCATIONS',
      comment: '  ',
    });
    expect(empty.status).toBe(400);
    expect(summary(empty.body)).toEqual(['#comment-DRAFT_ALLOCATIONS Enter a comment on this warning']);
    const unknown = await finance.post(`${PAGE}/comments`, {
      programme: 'SSLEP-GD-2014',
      check: 'FIRST_RETURN',
      comment: 'noted',
    });
    expect(unknown.status).toBe(422);
    expect(summary(unknown.body)).toEqual([
      '#comment-FIRST_RETURN FIRST_RETURN is not a warning in this return (warnings: DRAFT_ALLOCATIONS, HEADLINE_UNRECONCILED)',
    ]);
    const long = await finance.post(`${PAGE}/comments`, {
      programme: 'SSLEP-GD-2014',
      check: 'HEADLINE_UNRECONCILED',
      comment: 'x'.repeat(2001),
    });
    expect(long.status).toBe(400);
    expect(summary(long.body)).toEqual(['#comment-HEADLINE_UNRECONCILED Comment must be 2,000 characters or fewer']);
    expect(await t.ds.query('SELECT COUNT(*) AS n FROM return_comment')).toEqual([
      { n: kind === 'postgres' ? '0' : 0 },
    ]);
  });

  it('saves a comment per warning in place, then submits version 1 with exactly those comments', async () => {
    await finance.get(PAGE);
    const one = await finance.post(`${PAGE}/comments`, {
      programme: 'SSLEP-GD-2014',
      check: 'HEADLINE_UNRECONCILED',
      comment: `  ${HEADLINE_COMMENT} `,
    });
    expect([one.status, one.location]).toEqual([303, `${PAGE}?programme=SSLEP-GD-2014#comment-HEADLINE_UNRECONCILED`]);
    let page = await finance.get(PAGE);
    expect(pageText(page.body)).toContain('Comment on HEADLINE_UNRECONCILED saved');
    expect(pageText(page.body)).toContain('HEADLINE_UNRECONCILED Commented');
    expect(pageText(page.body)).toContain('DRAFT_ALLOCATIONS Needs a comment');
    // Still refused: one warning is unanswered.
    const half = await finance.post(`${PAGE}/submit`, { programme: 'SSLEP-GD-2014', version: '1' });
    expect(half.status).toBe(422);
    expect(summary(half.body)[0]).toBe(
      '#comment-DRAFT_ALLOCATIONS Every warning needs a written comment before submission; missing for: DRAFT_ALLOCATIONS',
    );
    await finance.post(`${PAGE}/comments`, {
      programme: 'SSLEP-GD-2014',
      check: 'DRAFT_ALLOCATIONS',
      comment: 'awaiting the board',
    });
    // Rewritten: the last comment stands.
    await finance.post(`${PAGE}/comments`, {
      programme: 'SSLEP-GD-2014',
      check: 'DRAFT_ALLOCATIONS',
      comment: DRAFT_COMMENT,
    });
    page = await finance.get(PAGE);
    expect(page.body).toContain(`>${DRAFT_COMMENT}</textarea>`);
    const audit: { action: string }[] = await t.ds.query(
      "SELECT action FROM audit_entry WHERE entity = 'return_comment' ORDER BY id",
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'create', 'update']);

    const done = await finance.post(`${PAGE}/submit`, { programme: 'SSLEP-GD-2014', version: '1' });
    expect([done.status, done.location]).toEqual([303, `${PAGE}?programme=SSLEP-GD-2014`]);
    page = await finance.get(done.location!);
    const text = pageText(page.body);
    expect(text).toContain('Version 1 of the 2015-16 Q1 return submitted. The reporting quarter is now 2015-16 Q2');
    expect(text).toContain('Reporting quarter 2015-16 Q2');
    // Submitted today, long after its due date (31 July 2015): late.
    expect(text).toContain(`Due by 31 July 2015 (as of ${TODAY}) Status Submitted late version 1`);
    const list = await t.request('GET', R);
    expect(list.body.reportingQuarter).toBe('2015-16 Q2');
    expect(list.body.items).toEqual([
      expect.objectContaining({
        quarter: '2015-16 Q1',
        version: 1,
        submittedBy: `${financeName} <finance@test.invalid>`,
        comments: { DRAFT_ALLOCATIONS: DRAFT_COMMENT, HEADLINE_UNRECONCILED: HEADLINE_COMMENT },
      }),
    ]);
    expect(page.body).toContain(
      'href="/manage/returns/2015-16-Q1/versions/1?programme=SSLEP-GD-2014">Download version 1',
    );
  });

  it('downloads the frozen xlsx: the same bytes as the API, with the comments and figures in its cells', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `${PAGE}/versions/1?programme=SSLEP-GD-2014`,
      headers: { cookie: finance.cookie! },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="SSLEP-GD-2014-return-2015-16-Q1-v1.xlsx"');
    const api = await t.getBytes(`${R}/2015-16-Q1/versions/1?format=xlsx`);
    expect(res.rawPayload.equals(api.bytes)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const checks = wb.getWorksheet('Checks')!;
    const byCode = new Map<string, ExcelJS.CellValue>();
    checks.eachRow((row, n) => n > 1 && byCode.set(String(row.getCell(3).value), row.getCell(6).value));
    expect(byCode.get('HEADLINE_UNRECONCILED')).toBe(HEADLINE_COMMENT);
    expect(byCode.get('DRAFT_ALLOCATIONS')).toBe(DRAFT_COMMENT);
    const summarySheet = wb.getWorksheet('Summary')!;
    const headers = (summarySheet.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    const col = headers.indexOf('Approved allocation (£)') + 1;
    let lgf: ExcelJS.CellValue = null;
    summarySheet.eachRow((row) => {
      if (row.getCell(1).value === 'LGF') lgf = row.getCell(col).value;
    });
    expect(lgf).toBe(34_600_000);
    const cover = wb.getWorksheet('Cover')!;
    const coverMap = new Map<string, ExcelJS.CellValue>();
    cover.eachRow((row, n) => n > 1 && coverMap.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(coverMap.get('Status')).toBe('submitted');
    expect(coverMap.get('Version')).toBe(1);
    // An unknown version is a 404 page, not a 500.
    expect((await finance.get(`${PAGE}/versions/7?programme=SSLEP-GD-2014`)).status).toBe(404);
  });

  it('resubmits with a reason (version 2), refusing a missing reason and a stale version; lists both versions', async () => {
    const page = await finance.get(PAGE);
    expect(page.body).toContain('name="reason"');
    expect(pageText(page.body)).toContain('Next version 2');
    const noReason = await finance.post(`${PAGE}/submit`, { programme: 'SSLEP-GD-2014', version: '2' });
    expect(noReason.status).toBe(422);
    const api = await t.request('POST', `${R}/2015-16-Q1/submit`, {});
    expect(api.body.code).toBe('REASON_REQUIRED');
    expect(summary(noReason.body)).toEqual([
      `#reason ${api.body.message.replace(/^reason: /, '').replace(/^./, (c: string) => c.toUpperCase())}`,
    ]);
    const stale = await finance.post(`${PAGE}/submit`, { programme: 'SSLEP-GD-2014', version: '1', reason: 'again' });
    expect(stale.status).toBe(422);
    expect(summary(stale.body)).toEqual([
      `#submit Version 1 of 2015-16 Q1 was submitted by ${financeName} <finance@test.invalid> meanwhile: check the return as it now stands before submitting version 2`,
    ]);
    const missing = await finance.post(`${PAGE}/submit`, { programme: 'SSLEP-GD-2014', reason: 'again' });
    expect(missing.status).toBe(400);
    expect(summary(missing.body)).toEqual([
      '#submit Submit the return from its page: the version to submit is missing',
    ]);

    const v2 = await finance.post(`${PAGE}/submit`, {
      programme: 'SSLEP-GD-2014',
      version: '2',
      reason: 'Meaford figures confirmed',
    });
    expect([v2.status, v2.location]).toEqual([303, `${PAGE}?programme=SSLEP-GD-2014`]);
    const after = await finance.get(v2.location!);
    expect(pageText(after.body)).toContain(
      'Version 2 of the 2015-16 Q1 return submitted. The reporting quarter is now 2015-16 Q2',
    );
    const versions = after.body.slice(
      after.body.indexOf('data-versions'),
      after.body.indexOf('</table>', after.body.indexOf('data-versions')),
    );
    expect(
      [...versions.matchAll(/versions\/(\d+)\?programme=SSLEP-GD-2014">Download version \1/g)].map((m) => m[1]),
    ).toEqual(['1', '2']);
    expect(pageText(versions)).toContain('Meaford figures confirmed');
    const list = await t.request('GET', R);
    expect(list.body.items.map((i: { version: number; reason: string | null }) => [i.version, i.reason])).toEqual([
      [1, null],
      [2, 'Meaford figures confirmed'],
    ]);
    expect(list.body.items[1].comments).toEqual({
      DRAFT_ALLOCATIONS: DRAFT_COMMENT,
      HEADLINE_UNRECONCILED: HEADLINE_COMMENT,
    });
    // The next quarter is now the one due.
    expect(pageText((await finance.get('/manage/returns')).body)).toContain('2015-16 Q2 31 October 2015 Overdue');
  });

  it('lets only finance comment and submit (403 page for others), sends anonymous to sign in, and checks CSRF', async () => {
    const seen = await viewer.get(PAGE);
    expect(seen.status).toBe(200);
    expect(seen.body).not.toContain('/submit"');
    expect(seen.body).not.toContain('/comments"');
    expect(pageText(seen.body)).toContain('Only finance can submit the return.');
    const before = await tableCounts(t.ds);
    for (const c of [viewer, pm]) {
      for (const url of [`${PAGE}/submit`, `${PAGE}/comments`]) {
        const res = await c.post(url, {
          programme: 'SSLEP-GD-2014',
          version: '3',
          reason: 'x',
          check: 'DRAFT_ALLOCATIONS',
          comment: 'x',
        });
        expect([res.status, res.headers[DENIAL_HEADER]]).toEqual([403, 'ROLE_NOT_ALLOWED']);
      }
    }
    const anonymous = new WebClient(t.app, '10.2.0.9');
    const away = await anonymous.get(PAGE);
    expect([away.status, away.location]).toEqual([303, '/manage/sign-in?next=%2Fmanage%2Freturns%2F2015-16-Q1']);
    const forged = await finance.post(`${PAGE}/submit`, {
      _csrf: 'forged',
      programme: 'SSLEP-GD-2014',
      version: '3',
      reason: 'x',
    });
    expect(forged.status).toBe(403);
    expect(await tableCounts(t.ds)).toEqual(before);
  });
  it("lists the returns due and finance's notices from a fixed number of queries, whatever the number of programmes", async () => {
    const counter = queryCounter(t.ds);
    try {
      const list = await counter.count(() => finance.get('/manage/returns'));
      const notices = await counter.count(() => finance.get('/manage/notices'));
      for (let i = 1; i <= 4; i++)
        await t.ds.getRepository(Programme).insert({
          code: `EXTRA-${i}`,
          name: `Extra programme ${i}`,
          startsOn: '2016-04-01',
          endsOn: '2019-03-31',
          firstQuarter: '2016-17 Q1',
        });
      expect(await counter.count(() => finance.get('/manage/returns'))).toBe(list);
      expect(await counter.count(() => finance.get('/manage/notices'))).toBe(notices);
      expect(list).toBeLessThanOrEqual(12);
    } finally {
      counter.restore();
    }
    // The deal set to stand on 15 October 2015: its 2015-16 Q2 return is due, not yet overdue.
    const { version } = (await t.request('GET', P)).body;
    expect((await t.request('PATCH', P, { asOfDate: '2015-10-15', version })).status).toBe(200);
    const rows = pageText((await finance.get('/manage/returns')).body);
    expect(rows).toContain(
      `Extra programme 1 EXTRA-1 2016-17 Q1 31 July 2016 Overdue 12 returns overdue, the oldest for 2016-17 Q1 ${TODAY}`,
    );
    expect(rows).toContain('SSLEP-GD-2014 2015-16 Q2 31 October 2015 Due 15 October 2015');
    const page = pageText((await finance.get(`${PAGE.replace('Q1', 'Q2')}?programme=SSLEP-GD-2014`)).body);
    expect(page).toContain('Due by 31 October 2015 (as of 15 October 2015) Status Due not yet submitted');
    // More than three due: one line for them all.
    const n = await finance.get('/manage/notices');
    expect(pageText(n.body)).toContain('5 programmes have a quarterly return due, 4 of them overdue');
    expect(n.body).toContain('data-kind="returns-due"');
  });
});
