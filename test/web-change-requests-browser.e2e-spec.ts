import type { Page } from 'playwright-core';
import { launchChromium } from '../src/dashboard/briefing';
import { chromiumForTests } from './support/chromium';
import { closeForBrowser, listenForBrowser, pageChecks, signInAt } from './support/browser';
import { browserDatabase, DbKind } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser } from './support/web-client';

/**
 * A re-profile raised and approved in Debian's Chromium at 390 px (playwright-core), on the demo
 * history: a programme manager chooses the kind, picks the project, source and quarters by name,
 * types a mistake and fixes it from the error summary, checks the before and after and submits;
 * an approver follows the notice and approves; the baseline moved to the penny. axe-core on
 * every page (no serious or critical violations) and no sideways scroll.
 */
const run = chromiumForTests('change requests in the browser')
  ? describe.each(browserDatabase('sqlite'))
  : describe.skip.each(['sqlite' as DbKind]);

run('a re-profile raised and approved in Chromium on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let pm: { email: string; password: string };
  let approver: { email: string; password: string };
  const checked: string[] = [];

  /** ETRURIA's LGF baseline per quarter, in pence. */
  const baseline = async () =>
    Object.fromEntries(
      (
        (await t.ds.query(
          `SELECT l.quarter AS quarter, l.baseline_pence AS pence FROM spend_profile l JOIN project p ON p.id = l.project_id
           WHERE p.code = 'ETRURIA' AND l.source_kind = 'LGF' ORDER BY l.quarter`,
        )) as { quarter: string; pence: string | number }[]
      ).map((r) => [r.quarter, Number(r.pence)]),
    );

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
    pm = await makeUser(t.app, 'programme_manager', 'pam@lep.example', ['ETRURIA']);
    approver = await makeUser(t.app, 'approver', 'abe@lep.example');
    base = await listenForBrowser(t);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await closeForBrowser(t);
  });

  const check = pageChecks(checked);

  const signIn = (page: Page, who: { email: string; password: string }, next: string) =>
    signInAt(page, base, next, who.email, who.password);

  it('raises a re-profile, fixes a mistake from the error summary, submits; the approver approves', async () => {
    // The latest open quarter holding ETRURIA LGF baseline (the demo's quarters before 2016-17 Q4 are submitted).
    const before = await baseline();
    const from = Object.keys(before)
      .filter((q) => before[q] >= 100_000 && q >= '2016-17 Q4')
      .sort()
      .at(-1)!;
    expect(from).toBeDefined();
    const to = '2020-21 Q4';

    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, pm, '/manage/change-requests');
    await check(page, 'list');
    await page.click('a:has-text("Create a change request")');
    await check(page, 'choose the kind');
    await page.check('input[value="reprofile_spend"]');
    await page.click('button:has-text("Continue")');
    expect(await page.locator('h1').innerText()).toBe('Re-profile spend');
    await check(page, 'the form');
    await page.selectOption('#project', { label: 'Etruria Valley Enterprise Area (ETRURIA)' });
    await page.selectOption('#sourceKind', { label: 'Local Growth Fund award (LGF)' });
    await page.selectOption('#moves-0-from', { label: from });
    await page.selectOption('#moves-0-to', { label: to });
    await page.fill('#moves-0-amount', '£1,000.005');
    await page.fill('#title', `Move £1,000 of Etruria’s ${from} spend to ${to}`);
    await page.fill('#reason', 'Land assembly slipped a quarter');
    await page.click('button:has-text("Create a change request")');
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.innerText()).toContain(
      'Amount to move in move 1 must be pounds and pence, like £1,234.50 (no more than two decimal places)',
    );
    await check(page, 'the form with an error');
    await page.click('.govuk-error-summary a[href="#moves-0-amount"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('moves-0-amount');
    expect(await page.inputValue('#title')).toBe(`Move £1,000 of Etruria’s ${from} spend to ${to}`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('£1,000');
    await page.click('button:has-text("Create a change request")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('drafted');
    const pounds = (p: number) => `£${(p / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`;
    const rows = async () =>
      (await page.locator('table[data-before-after] tbody tr').allInnerTexts()).map((r) =>
        r.replace(/\s+/g, ' ').trim(),
      );
    const expected = [
      `Spend: Etruria Valley Enterprise Area (ETRURIA), LGF ${from} baseline ${pounds(before[from])} ${pounds(before[from] - 100_000)}`,
      `Spend: Etruria Valley Enterprise Area (ETRURIA), LGF ${to} baseline ${pounds(before[to] ?? 0)} ${pounds((before[to] ?? 0) + 100_000)}`,
    ];
    expect(await rows()).toEqual(expected);
    await check(page, 'the draft');
    await page.click('button:has-text("Submit for approval")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('submitted for approval');
    await check(page, 'submitted');
    const url = page.url().replace(base, '');
    await page.click('button:has-text("Sign out")');

    await signIn(page, approver, '/manage/notices');
    await check(page, 'notices');
    await page.click('a:has-text("waiting for a decision")');
    await page.selectOption('#state', 'submitted');
    await page.click('button:has-text("Show")');
    await check(page, 'submitted requests');
    await page.click(`a:has-text("Move £1,000 of Etruria’s")`);
    expect(page.url().replace(base, '')).toBe(url);
    expect(await rows()).toEqual(expected);
    await check(page, 'to decide');
    await page.fill('#reason', 'Programme board, item 4');
    await page.click('button:has-text("Approve")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('approved');
    expect(await page.locator('[data-state]').innerText()).toContain('Approved');
    expect(await rows()).toEqual(expected);
    await check(page, 'approved');
    const after = await baseline();
    expect([after[from], after[to]]).toEqual([before[from] - 100_000, (before[to] ?? 0) + 100_000]);
    expect(checked).toHaveLength(10);
    await page.close();
  }, 300_000);
});
