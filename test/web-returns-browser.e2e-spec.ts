import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium } from '../src/dashboard/briefing';
import { chromiumForTests } from './support/chromium';
import { closeForBrowser, listenForBrowser, pageChecks, signInAt } from './support/browser';
import { browserDatabase, DbKind } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, passwordFor } from './support/web-client';

/**
 * Finance closes the quarter in Debian's Chromium (playwright-core): the returns due, the
 * checks, a refusal in the error summary, a comment typed into each warning's form, the
 * submission, the frozen xlsx downloaded and opened; then a resubmission at 390 px. Every page
 * at 1,400 px and 390 px has no sideways scroll and no serious or critical axe violation.
 */
const FINANCE = 'fin@lep.example';
const run = chromiumForTests('closing the quarter in the browser')
  ? describe.each(browserDatabase('postgres'))
  : describe.skip.each(['sqlite' as DbKind]);

run('closing the quarter in Chromium on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const checked: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    await makeUser(t.app, 'finance', FINANCE);
    // A draft allocation: a second warning to answer.
    const draft = await t.request('POST', '/api/programmes/SSLEP-GD-2014/allocations', {
      sourceKind: 'LGF',
      project: 'MEAFORD',
      period: '2016-17',
      amount: '150000.00',
      commitmentStatus: 'indicative',
    });
    expect(draft.status).toBe(201);
    base = await listenForBrowser(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await closeForBrowser(t);
  });

  const check = pageChecks(checked);

  const signIn = (page: Page, next: string) => signInAt(page, base, next, FINANCE, passwordFor(FINANCE));

  it('answers each warning, is refused until then, submits version 1 and downloads the frozen xlsx (1,400 px)', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await signIn(page, '/manage/returns');
    expect(await page.locator('table[data-due] tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/SSLEP-GD-2014\s+2015-16 Q1\s+31 July 2015\s+Overdue/),
    ]);
    await check(page, 'returns due');
    await page.goto(`${base}/manage/notices`);
    // Issue 16, two clocks: the bare deal, as of today, has submitted nothing: its returns are overdue.
    expect(await page.locator('[data-kind="return-overdue"]').innerText()).toBe(
      'The 2015-16 Q1 return for Stoke-on-Trent and Staffordshire Growth Deal (2014) is overdue: it was due 31 July 2015 (24 quarterly returns are overdue)',
    );
    await page.click('[data-kind="return-overdue"] a');
    expect(page.url()).toBe(`${base}/manage/returns/2015-16-Q1?programme=SSLEP-GD-2014`);
    expect(
      await page.locator('[data-warning]').evaluateAll((els) => els.map((e) => e.getAttribute('data-warning'))),
    ).toEqual(['DRAFT_ALLOCATIONS', 'HEADLINE_UNRECONCILED']);
    expect(await page.locator('table[data-sheet]').count()).toBe(8);
    await check(page, 'the return');

    await page.click('button:has-text("Submit version 1")');
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.innerText()).toContain(
      'Every warning needs a written comment before submission; missing for: DRAFT_ALLOCATIONS, HEADLINE_UNRECONCILED',
    );
    await check(page, 'the return refused');
    // The summary's link takes the keyboard to the first warning's comment box.
    await page.click('.govuk-error-summary a[href="#comment-DRAFT_ALLOCATIONS"] >> nth=0');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('comment-DRAFT_ALLOCATIONS');

    await page.fill('#comment-DRAFT_ALLOCATIONS', 'Meaford top-up awaits the board');
    await page.click('button[data-save="DRAFT_ALLOCATIONS"]');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      'Comment on DRAFT_ALLOCATIONS saved',
    );
    await page.fill('#comment-HEADLINE_UNRECONCILED', 'The Reconciliation sheet explains the published headlines');
    await page.click('button[data-save="HEADLINE_UNRECONCILED"]');
    expect(await page.locator('[data-warning="HEADLINE_UNRECONCILED"] .govuk-tag').innerText()).toBe('Commented');
    await check(page, 'the return commented');

    await page.click('button:has-text("Submit version 1")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      'Version 1 of the 2015-16 Q1 return submitted. The reporting quarter is now 2015-16 Q2',
    );
    await check(page, 'the return submitted');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Download version 1")'),
    ]);
    expect(download.suggestedFilename()).toBe('SSLEP-GD-2014-return-2015-16-Q1-v1.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const comments = new Map<string, ExcelJS.CellValue>();
    wb.getWorksheet('Checks')!.eachRow(
      (row, n) => n > 1 && comments.set(String(row.getCell(3).value), row.getCell(6).value),
    );
    expect(comments.get('DRAFT_ALLOCATIONS')).toBe('Meaford top-up awaits the board');
    const cover = new Map<string, ExcelJS.CellValue>();
    wb.getWorksheet('Cover')!.eachRow(
      (row, n) => n > 1 && cover.set(String(row.getCell(1).value), row.getCell(2).value),
    );
    expect([cover.get('Status'), cover.get('Version'), cover.get('Quarter')]).toEqual(['submitted', 1, '2015-16 Q1']);
    await page.close();
  }, 240_000);

  it('resubmits with a reason at 390 px with no sideways scroll, and lists both versions', async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, '/manage/returns');
    expect(await page.locator('table[data-due] tbody tr').innerText()).toMatch(
      /2015-16 Q2\s+31 October 2015\s+Overdue/,
    );
    await check(page, 'returns due');
    await page.goto(`${base}/manage/returns/2015-16-Q1?programme=SSLEP-GD-2014`);
    await check(page, 'the submitted return');
    await page.click('button:has-text("Submit version 2")');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('a resubmission needs a written reason');
    await check(page, 'the resubmission refused');
    await page.fill('#reason', 'Meaford figures confirmed by the board');
    await page.click('button:has-text("Submit version 2")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      'Version 2 of the 2015-16 Q1 return submitted',
    );
    const versions = await page.locator('table[data-versions] tbody tr').allInnerTexts();
    expect(versions.map((r) => r.split(/\s+/)[0])).toEqual(['1', '2']);
    expect(versions[1]).toContain('Meaford figures confirmed by the board');
    await check(page, 'the resubmitted return');
    await page.close();
    expect(checked).toHaveLength(9);
  }, 240_000);
});
