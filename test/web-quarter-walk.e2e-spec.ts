import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium } from '../src/dashboard/briefing';
import {
  Browser,
  closeForBrowser,
  focused,
  focusedId,
  formTabOrder,
  listenForBrowser,
  pageChecks,
  signInAt,
  squeeze,
  tabTo,
} from './support/browser';
import { chromiumForTests } from './support/chromium';
import { cli } from './support/cli';
import { databaseKinds, DbKind } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The whole quarter in Debian's Chromium (playwright-core), by clicks and typing only, on the demo
 * history (reporting quarter 2016-17 Q4): the first admin (made by the README's one command)
 * creates a delivery partner, a programme manager, finance and an approver and assigns projects;
 * the partner fills in Etruria's update with one typing mistake of each kind the pages catch and
 * fixes them from the error summary, and submits; the programme manager returns it once, then
 * accepts it; the manager raises a re-profile of Etruria's spend and an approver approves it;
 * finance answers the return's warnings, submits it and downloads the frozen xlsx, whose cells
 * hold the partner's figures. Then the partner does the next quarter's whole update by keyboard
 * alone (at 1,400 px). SQLite walks at 1,400 px, PostgreSQL at 390 px, and every page visited is
 * checked at both widths: no sideways scroll and no serious or critical axe-core finding. One Chromium for the file.
 */
const ADMIN = { name: 'Ada Admin', email: 'ada@lep.example', password: 'granite otter lantern' };
const PEOPLE = {
  partner: {
    name: 'Pat Partner',
    email: 'pat@etruria.example',
    password: 'copper kettle winter',
    role: 'Delivery partner',
  },
  manager: {
    name: 'Morgan Manager',
    email: 'morgan@lep.example',
    password: 'violet harbour engine',
    role: 'Programme manager',
  },
  finance: { name: 'Fran Finance', email: 'fran@lep.example', password: 'amber ledger meadow', role: 'Finance' },
  approver: { name: 'Abe Approver', email: 'abe@lep.example', password: 'quiet signal beacon', role: 'Approver' },
};
const ETRURIA = 'Etruria Valley Enterprise Area';

const enabled = chromiumForTests('the quarter walked in the browser');
// Each database walks the quarter once, at one width, and checks every page it visits at both:
// SQLite walks at 1,400 px (and checks each page at 390 px too), PostgreSQL walks on a phone.
// Walking four times (two widths on each database) made this one file two and a half minutes of the suite.
const kinds = databaseKinds();
const cases: [DbKind, number, number][] =
  kinds.length === 2
    ? [
        ['sqlite', 1400, 390],
        ['postgres', 390, 1400],
      ]
    : [
        [kinds[0], 1400, 390],
        [kinds[0], 390, 1400],
      ];
let browser: Browser;
beforeAll(async () => {
  if (enabled) browser = await launchChromium();
}, 180_000);
afterAll(async () => browser?.close());

const run = enabled ? describe.each(cases) : describe.skip.each([['sqlite' as DbKind, 1400, 390]]);

run('the quarter walked in Chromium on %s at %i px (each page checked at %i px too)', (kind, width, alsoAt) => {
  let t: TestApp;
  let base: string;
  let page: Page;
  const checked: string[] = [];
  const check = pageChecks(checked, alsoAt);

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
    // The first admin, as the README makes it (this test app has its own admin already: --as it).
    const made = await cli(
      [
        'user',
        'create',
        '--name',
        ADMIN.name,
        '--email',
        ADMIN.email,
        '--role',
        'admin',
        '--password-stdin',
        '--as',
        t.adminEmail,
      ],
      t.env,
      `${ADMIN.password}\n`,
    );
    expect([made.code, made.err]).toEqual([0, '']);
    base = await listenForBrowser(t);
    page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    // The return's page (eight sheets as tables) can take a while on a loaded machine: a hang still fails.
    page.setDefaultTimeout(120_000);
  }, 600_000);
  afterAll(async () => {
    await page?.close();
    await closeForBrowser(t);
  }, 60_000);

  const banner = () => page.locator('.govuk-notification-banner').innerText();
  const summaryLinks = () => page.locator('.govuk-error-summary a').allInnerTexts();
  const noticeCount = () => page.locator('.lep-header__count').innerText();
  async function signIn(p: { email: string; password: string }, next: string) {
    await signInAt(page, base, next, p.email, p.password);
  }
  async function signOut() {
    await page.click('.lep-header__signout button');
    expect(page.url()).toBe(`${base}/manage/sign-in?signed-out=1`);
  }

  it('the admin creates the partner, the manager, finance and an approver, and assigns projects', async () => {
    await signIn(ADMIN, '/manage/admin/users');
    await check(page, 'users');
    for (const [n, p] of Object.values(PEOPLE).entries()) {
      await page.click('text=Create a user');
      if (n === 0) await check(page, 'create a user');
      await page.fill('#name', p.name);
      await page.fill('#email', p.email);
      await page.check(`label:text-is("${p.role}")`);
      await page.fill('#password', p.password);
      await page.click('button:has-text("Create user")');
      expect(await banner()).toContain(`${p.name} can now sign in`);
      if (p === PEOPLE.partner || p === PEOPLE.manager) {
        if (n === 0) await check(page, 'a user');
        await page.check(`label:has-text("${ETRURIA}")`);
        await page.click('button:has-text("Save projects")');
        expect(await banner()).toContain('Project assignments saved');
      }
      await page.click('.govuk-service-navigation a:has-text("Users")');
    }
    const rows = (await page.locator('table[data-users] tbody tr').allInnerTexts()).map(squeeze);
    expect(rows.filter((r) => !r.includes('test.invalid'))).toEqual([
      'Abe Approver abe@lep.example Approver – Active',
      'Ada Admin ada@lep.example Administrator – Active',
      'Fran Finance fran@lep.example Finance – Active',
      'Morgan Manager morgan@lep.example Programme manager Etruria Valley Enterprise Area Active',
      'Pat Partner pat@etruria.example Delivery partner Etruria Valley Enterprise Area Active',
    ]);
    await check(page, 'users listed');
    await signOut();
  }, 600_000);

  it('the partner fills in the update, fixing one mistake of each kind from the error summary, and submits', async () => {
    await signIn(PEOPLE.partner, '/manage/quarter');
    expect(squeeze(await page.locator('[data-counts]').innerText())).toBe(
      '1 project: 0 accepted, 0 waiting for review, 0 returned, 0 in progress, 1 not started.',
    );
    expect(await noticeCount()).toBe('0');
    await check(page, 'the quarter');
    await page.click(`.govuk-task-list a:has-text("${ETRURIA}")`);
    expect(page.url()).toBe(`${base}/manage/quarter/ETRURIA`);
    await check(page, 'the update');

    // Spend: £ signs and commas are read and shown back; a total to date typed as the quarter's spend is asked about.
    await page.click('text=Spend: actuals and forecasts');
    expect(await page.locator('main').innerText()).toContain('Spent before 2016-17 Q4: £2,192,400.00');
    await check(page, 'spend');
    await page.fill('#actual-LGF', '2307400');
    await page.fill('#forecast-LGF-2017-18-Q1', '£ 90,000.5');
    await page.click('button:has-text("Save as draft")');
    expect(await page.locator('h1').innerText()).toBe('Check how we read these amounts');
    expect(squeeze(await page.locator('.govuk-summary-list').innerText())).toBe(
      'LGF forecast for 2017-18 Q1 You typed “£ 90,000.5”: saved as £90,000.50',
    );
    await check(page, 'spend amounts shown back');
    await page.click('button:has-text("Save these amounts")');
    expect(await summaryLinks()).toEqual([
      'Check the actual LGF spend: £2,307,400.00 looks like a total to date. Say whether it is the spend in 2016-17 Q4 or the total so far',
    ]);
    await check(page, 'spend with a question');
    await page.click('.govuk-error-summary a');
    expect(await focusedId(page)).toBe('reading-LGF-quarter');
    expect(await page.locator('label[for="reading-LGF-quarter"]').innerText()).toBe(
      'It is the spend in 2016-17 Q4: £2,307,400.00',
    );
    await page.check('label:has-text("It is the total so far: the spend in 2016-17 Q4 is £115,000.00")');
    await page.click('button:has-text("Save as draft")');
    expect(page.url()).toBe(`${base}/manage/quarter/ETRURIA`);
    expect(await banner()).toContain('Spend figures saved as a draft');

    // Milestones: an impossible date and an actual date after the quarter, each fixed from the error summary.
    await page.click('.govuk-task-list a:has-text("Milestones")');
    await check(page, 'milestones');
    const status = await page.locator('input[type=radio][value=open]:checked').first().getAttribute('name');
    const m = status!.replace(/-status$/, '');
    const title = await page.locator(`h2:above(#${m}-forecast-day)`).first().innerText();
    for (const [box, v] of [
      ['forecast-day', '31'],
      ['forecast-month', '2'],
      ['forecast-year', '2017'],
      ['actual-day', '15'],
      ['actual-month', '4'],
      ['actual-year', '2017'],
    ])
      await page.fill(`#${m}-${box}`, v);
    await page.check(`#${m}-status-2`);
    await page.fill(`#${m}-notes`, 'Completion certificate EV-17');
    await page.click('button:has-text("Save as draft")');
    expect(await summaryLinks()).toEqual([
      `Forecast date of “${title}” must be a real date`,
      `Actual date of “${title}” must be the same as or before 31 March 2017`,
    ]);
    await check(page, 'milestones with errors');
    await page.click('.govuk-error-summary a >> nth=0');
    expect(await focusedId(page)).toBe(`${m}-forecast-day`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('28');
    await page.click('.govuk-error-summary a >> nth=1');
    expect(await focusedId(page)).toBe(`${m}-actual-day`);
    await page.fill(`#${m}-actual-month`, '3');
    await page.click('button:has-text("Save as draft")');
    expect(await banner()).toContain('Milestones saved as a draft');

    await page.click('.govuk-task-list a:has-text("Narrative")');
    await check(page, 'narrative');
    await page.fill('#narrative', 'Plot 4 infrastructure finished in March; plot 5 remediation starts in June.');
    await page.click('button:has-text("Save as draft")');
    expect(await banner()).toContain('Narrative saved as a draft');

    await page.click('.govuk-task-list a:has-text("Outputs: claims and forecasts")');
    await check(page, 'outputs');
    await page.fill('#o-JOBS_CREATED-1-value', '12');
    await page.fill('#o-JOBS_CREATED-1-key', 'employer:kiln works');
    await page.fill('#o-JOBS_CREATED-1-evidence', 'Payroll extract, March 2017');
    await page.check('#complete');
    await page.click('button:has-text("Save as draft")');
    expect(await banner()).toContain('Outputs saved as a draft');

    await page.click('.govuk-task-list a:has-text("Risks")');
    await check(page, 'risks');
    await page.fill('#description', 'Ground remediation costs exceed the estimate');
    await page.check('#likelihood-3');
    await page.check('#impact-4');
    await page.fill('#mitigation', 'Contingency of 10 % held');
    await page.fill('#owner', 'Project director');
    await page.click('button:has-text("Add the risk")');
    expect(await banner()).toContain('Risk added to the register');
    await page.check('#reviewed');
    await page.click('button:has-text("Save and return to the update")');
    expect(squeeze(await page.locator('.govuk-task-list').innerText())).toBe(
      'Spend: actuals and forecasts Changed Milestones Changed Narrative Written Outputs: claims and forecasts Required before submitting Done Risks Required before submitting Done',
    );
    await check(page, 'the update filled in');
    await page.click('button:has-text("Submit the update for review")');
    expect(await banner()).toContain('Update submitted for review');
    expect(await page.locator('main .govuk-tag').first().innerText()).toBe('Submitted');
    await signOut();
  }, 600_000);

  it('the programme manager returns the update once, the partner revises it, and the manager accepts it', async () => {
    await signIn(PEOPLE.manager, '/manage');
    expect(await noticeCount()).toBe('1');
    expect(await page.locator('main ul').innerText()).toBe(
      'The 2016-17 Q4 update for Etruria Valley Enterprise Area (ETRURIA) is waiting for your review',
    );
    await check(page, 'manager home');
    await page.click(
      'text=The 2016-17 Q4 update for Etruria Valley Enterprise Area (ETRURIA) is waiting for your review',
    );
    expect(page.url()).toBe(`${base}/manage/quarter/ETRURIA`);
    await check(page, 'the update to review');
    await page.fill('#comment', 'Say when plot 5 remediation will finish');
    await page.click('button:has-text("Return for revision")');
    expect(await banner()).toContain('Update returned for revision');
    expect(await page.locator('main .govuk-tag').first().innerText()).toBe('Returned');
    await signOut();

    await signIn(PEOPLE.partner, '/manage');
    expect(await noticeCount()).toBe('1');
    await page.click('.lep-header a:has-text("Notices")');
    expect(await page.locator('[data-notices]').innerText()).toBe(
      'The 2016-17 Q4 update for Etruria Valley Enterprise Area (ETRURIA) was returned for revision',
    );
    await check(page, 'partner notices');
    await page.click('[data-kind="update-returned"] a');
    expect(squeeze(await page.locator('.govuk-inset-text').innerText())).toBe(
      'Returned for revision Say when plot 5 remediation will finish',
    );
    await check(page, 'the update returned');
    await page.click('.govuk-task-list a:has-text("Narrative")');
    await page.fill(
      '#narrative',
      'Plot 4 infrastructure finished in March; plot 5 remediation runs June to November 2017.',
    );
    await page.click('button:has-text("Save as draft")');
    await page.click('button:has-text("Submit the update for review")');
    expect(await banner()).toContain('Update submitted for review');
    expect(await noticeCount()).toBe('0');
    await signOut();

    await signIn(PEOPLE.manager, '/manage/quarter');
    expect(squeeze(await page.locator('[data-counts]').innerText())).toBe(
      '1 project: 0 accepted, 1 waiting for review, 0 returned, 0 in progress, 0 not started.',
    );
    await page.click(`.govuk-task-list a:has-text("${ETRURIA}")`);
    await page.click('button:has-text("Accept the update")');
    expect(await banner()).toContain(
      'Update accepted: its forecasts, milestones and outputs are now the latest; its actual spend awaits finance confirmation',
    );
    expect(await page.locator('main .govuk-tag').first().innerText()).toBe('Accepted');
    await check(page, 'the update accepted');
    await page.click('text=Back to the quarter');
    expect(squeeze(await page.locator('[data-counts]').innerText())).toBe(
      '1 project: 1 accepted, 0 waiting for review, 0 returned, 0 in progress, 0 not started.',
    );
    expect(await noticeCount()).toBe('0');
    await signOut();
  }, 600_000);

  it('the manager raises a re-profile of Etruria’s spend in the app and an approver approves it', async () => {
    await signIn(PEOPLE.manager, '/manage/change-requests');
    await check(page, 'change requests');
    await page.click('text=Create a change request');
    await page.check('label:has-text("Re-profile spend: move a project’s baseline spend")');
    await page.click('button:has-text("Continue")');
    await check(page, 'a re-profile form');
    await page.selectOption('#project', { label: `${ETRURIA} (ETRURIA)` });
    await page.selectOption('#sourceKind', 'LGF_PRECOMMITTED');
    await page.selectOption('#moves-0-from', '2017-18 Q2');
    await page.selectOption('#moves-0-to', '2017-18 Q4');
    await page.fill('#moves-0-amount', '£100,000');
    await page.fill('#title', 'Move Etruria plot 5 spend to the winter');
    await page.fill('#reason', 'Remediation starts in June and runs to November');
    await page.click('button:has-text("Create a change request")');
    const made = /Change request (\d+) drafted/.exec(await banner())!;
    const n = made[1];
    const beforeAfter = async () =>
      (await page.locator('table[data-before-after] tbody tr').allInnerTexts()).map(squeeze);
    const moved = [
      'Spend: Etruria Valley Enterprise Area (ETRURIA), LGF_PRECOMMITTED 2017-18 Q2 baseline £683,333.00 £583,333.00',
      'Spend: Etruria Valley Enterprise Area (ETRURIA), LGF_PRECOMMITTED 2017-18 Q4 baseline £227,777.00 £327,777.00',
    ];
    expect(await beforeAfter()).toEqual(moved);
    await check(page, 'a re-profile drafted');
    await page.click('button:has-text("Submit for approval")');
    expect(await banner()).toContain(`Change request ${n} submitted for approval`);
    await signOut();

    await signIn(PEOPLE.approver, '/manage');
    expect(await noticeCount()).toBe('1');
    // The demo's own re-profile of Etruria's provisional LGF is waiting too.
    expect(await page.locator('main ul').innerText()).toBe('2 change requests are waiting for a decision');
    await page.click('text=2 change requests are waiting for a decision');
    // (Drafted: the wall-clock day it was drafted, today.)
    expect(
      squeeze(await page.locator('main table tbody tr').first().innerText()).replace(/\d+ \w+ \d{4}$/, 'today'),
    ).toBe(
      `${n} Move Etruria plot 5 spend to the winter Move £100,000.00 of Etruria Valley Enterprise Area’s Previously committed growth funding baseline spend from 2017-18 Q2 to 2017-18 Q4 (same total). Re-profile spend Submitted today`,
    );
    await check(page, 'change requests waiting');
    await page.click('text=Move Etruria plot 5 spend to the winter');
    await check(page, 'a re-profile to decide');
    await page.fill('#reason', 'Agreed at the accountable body board, May 2017');
    await page.click('button:text-is("Approve")');
    expect(await banner()).toContain(`Change request ${n} approved`);
    expect(await page.locator('[data-state] .govuk-tag').first().innerText()).toBe('Approved');
    expect(await beforeAfter()).toEqual(moved);
    await check(page, 'a re-profile approved');
    expect(await noticeCount()).toBe('1');
    await signOut();
  }, 600_000);

  it('finance answers the warnings, submits the return and downloads the frozen xlsx', async () => {
    // The partner's actual spend counts once finance confirms it.
    await signIn(PEOPLE.finance, '/manage');
    expect(await noticeCount()).toBe('2');
    await page.click(
      'text=1 accepted update has actual spend for 2016-17 Q4 of Stoke-on-Trent and Staffordshire Growth Deal (2014) awaiting your confirmation',
    );
    expect(page.url()).toBe(`${base}/manage/confirm-spend`);
    const lgf = (await page.locator('table[data-project="ETRURIA"] tbody tr').allInnerTexts())
      .map(squeeze)
      .filter((r) => r.startsWith('LGF '));
    expect(lgf).toEqual(['LGF £120,000.00 £115,000.00']);
    await check(page, 'confirm spend');
    await page.click('button:has-text("Confirm spend")');
    expect(await banner()).toMatch(/Confirmed the 2016-17 Q4 actual spend of ETRURIA: \d+ actuals? recorded/);
    await page.click('.govuk-service-navigation a:has-text("Returns")');
    const due = (await page.locator('table[data-due] tbody tr').allInnerTexts()).map(squeeze);
    expect(due).toEqual([
      'Stoke-on-Trent and Staffordshire Growth Deal (2014) SSLEP-GD-2014 2016-17 Q4 30 April 2017 Due 30 April 2017',
    ]);
    expect(await noticeCount()).toBe('1');
    await check(page, 'returns due');
    await page.click('table[data-due] a');
    const warnings = await page
      .locator('[data-warning]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-warning')!));
    expect(warnings).toEqual([
      'SPEND_BELOW_BASELINE',
      'MILESTONE_OVERDUE',
      'MILESTONE_SLIPPED',
      'HEADLINE_UNRECONCILED',
    ]);
    await check(page, 'the return');
    for (const w of warnings) {
      await page.fill(`#comment-${w}`, `Answered for the committee: ${w}`);
      await page.click(`button[data-save="${w}"]`);
      expect(await banner()).toContain(`Comment on ${w} saved`);
    }
    await check(page, 'the return commented');
    await page.click('button:has-text("Submit version 1")');
    expect(await banner()).toContain(
      'Version 1 of the 2016-17 Q4 return submitted. The reporting quarter is now 2017-18 Q1',
    );
    await check(page, 'the return submitted');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Download version 1")'),
    ]);
    expect(download.suggestedFilename()).toBe('SSLEP-GD-2014-return-2016-17-Q4-v1.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const cover = new Map<string, ExcelJS.CellValue>();
    wb.getWorksheet('Cover')!.eachRow((row) => cover.set(String(row.getCell(1).value), row.getCell(2).value));
    expect([cover.get('Status'), cover.get('Version'), cover.get('Quarter')]).toEqual(['submitted', 1, '2016-17 Q4']);
    const finance = wb.getWorksheet('Finance')!;
    const headers = (finance.getRow(1).values as ExcelJS.CellValue[]).map(String);
    const col = (h: string) => headers.indexOf(h);
    const rows: string[] = [];
    finance.eachRow((row) => {
      const v = (h: string) => row.getCell(col(h)).value;
      if (
        String(v('Project')).includes('ETRURIA') &&
        v('Source') === 'LGF' &&
        /^201(6-17 Q4|7-18 Q1)$/.test(String(v('Quarter')))
      )
        rows.push(`${v('Quarter')} ${v('Line')} forecast ${v('Latest forecast (£)')} actual ${v('Actual (£)')}`);
    });
    // The partner's figures, as accepted: the quarter's spend read from the total to date, the forecast typed with £ and a comma.
    expect(rows).toEqual([
      '2016-17 Q4 profile forecast 120000 actual 115000',
      '2017-18 Q1 profile forecast 90000.5 actual null',
    ]);
    const checks = new Map<string, ExcelJS.CellValue>();
    wb.getWorksheet('Checks')!.eachRow(
      (row, n) => n > 1 && checks.set(String(row.getCell(3).value), row.getCell(6).value),
    );
    for (const w of warnings) expect(checks.get(w)).toBe(`Answered for the committee: ${w}`);
    expect(checked).toHaveLength(62);
    expect(new Set(checked).size).toBe(62);
    expect(checked.filter((c) => c.endsWith('@390'))).toHaveLength(31);
  }, 600_000);

  // Once, on the walk at 1,400 px: the next quarter's update, with Tab, Shift+Tab, Space, Enter and typing only.
  if (width === 1400)
    it('the partner does the next quarter’s whole update by keyboard alone', async () => {
      await browser.context.clearCookies();
      await page.goto(`${base}/manage/sign-in?next=%2Fmanage%2Fquarter%2FETRURIA`);
      expect(await tabTo(page, 'email')).toEqual(['Skip to main content', 'Growth Deal tracker', 'email']);
      await page.keyboard.type(PEOPLE.partner.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(PEOPLE.partner.password);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA`);
      expect(await page.locator('h1').innerText()).toBe(ETRURIA);
      const quarter = '2017-18 Q1';
      expect(await page.locator('.govuk-caption-l').innerText()).toBe(`ETRURIA · update for ${quarter}`);
      // The page's chrome, then the back link, then the first task.
      expect(await tabTo(page, 'Spend: actuals and forecasts')).toEqual([
        'Skip to main content',
        'Growth Deal tracker',
        'Notices0',
        'Sign out',
        'Home',
        'Quarter',
        'Returns',
        'Change requests',
        'Audit trail',
        'Back to the quarter',
        'Spend: actuals and forecasts',
      ]);
      const banner = () => page.locator('.govuk-notification-banner').innerText();

      // Spend: Tab visits every box in reading order, then the button; Enter saves.
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA/spend`);
      const order = await formTabOrder(page, 'main form');
      expect(order[0]).toBe('actual-LGF');
      expect(order[order.length - 1]).toBe('Save as draft');
      await tabTo(page, 'actual-LGF');
      await page.keyboard.type('£118,500');
      const rest: string[] = ['actual-LGF'];
      while (rest[rest.length - 1] !== 'Save as draft') {
        await page.keyboard.press('Tab');
        rest.push(await focused(page));
      }
      expect(rest).toEqual(order);
      await page.keyboard.press('Enter');
      await page.waitForSelector('h1:text-is("Check how we read these amounts")');
      expect(squeeze(await page.locator('.govuk-summary-list').innerText())).toBe(
        `Actual LGF spend in ${quarter} You typed “£118,500”: saved as £118,500.00`,
      );
      await tabTo(page, 'Save these amounts');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA`);
      expect(await banner()).toContain('Spend figures saved as a draft');

      // Milestones: an impossible date, fixed from the error summary with Shift+Tab.
      await tabTo(page, 'Milestones');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA/milestones`);
      // The first milestone (the walk completed Etruria's only open one last quarter; a forecast date stays editable).
      const m = (await page.locator('input[id$="-forecast-day"]').first().getAttribute('id'))!.replace(/-day$/, '');
      await tabTo(page, `${m}-day`);
      await page.keyboard.type('31');
      await page.keyboard.press('Tab');
      await page.keyboard.type('6');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2017');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.govuk-error-summary');
      expect(await page.locator('.govuk-error-summary a').allInnerTexts()).toEqual([
        expect.stringMatching(/^Forecast date of “.+” must be a real date$/),
      ]);
      // The summary takes the focus as the page loads; its link takes it to the day box.
      expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      expect(await focusedId(page)).toBe(`${m}-day`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab'); // back into the day box, its text selected
      await page.keyboard.type('30');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA`);
      expect(await banner()).toContain('Milestones saved as a draft');

      await tabTo(page, 'Narrative');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA/narrative`);
      await tabTo(page, 'narrative');
      await page.keyboard.type('Plot 5 remediation started in June.');
      expect(await tabTo(page, 'Save as draft')).toEqual(['Save as draft']);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA`);
      expect(await banner()).toContain('Narrative saved as a draft');

      // Outputs: a claim in the empty row, and Space to say the section is finished.
      await tabTo(page, 'Outputs: claims and forecasts');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA/outputs`);
      const empty = (await page
        .locator('input[id^="o-JOBS_CREATED-"][id$="-value"]')
        .evaluateAll((els) => els.find((e) => !(e as HTMLInputElement).value)?.id))!;
      await tabTo(page, empty);
      await page.keyboard.type('3');
      await page.keyboard.press('Tab');
      await page.keyboard.type('employer:glaze co');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Payroll extract, June 2017');
      await tabTo(page, 'complete');
      await page.keyboard.press('Space');
      expect(await page.isChecked('#complete')).toBe(true);
      expect(await tabTo(page, 'Save as draft')).toEqual(['Save as draft']);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA`);
      expect(await banner()).toContain('Outputs saved as a draft');

      await tabTo(page, 'Risks');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA/risks`);
      await tabTo(page, 'reviewed');
      await page.keyboard.press('Space');
      expect(await tabTo(page, 'Save and return to the update')).toEqual(['Save and return to the update']);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/manage/quarter/ETRURIA`);

      expect(squeeze(await page.locator('.govuk-task-list').innerText())).toBe(
        'Spend: actuals and forecasts Changed Milestones Changed Narrative Written Outputs: claims and forecasts Required before submitting Done Risks Required before submitting Done',
      );
      await tabTo(page, 'Submit the update for review');
      await page.keyboard.press('Enter');
      // The submit redirects to the page already open, so the address alone does not say it is done.
      await page.getByText('Update submitted for review').first().waitFor();
      expect(await banner()).toContain('Update submitted for review');
      expect(await page.locator('main .govuk-tag').first().innerText()).toBe('Submitted');
    }, 600_000);
});
