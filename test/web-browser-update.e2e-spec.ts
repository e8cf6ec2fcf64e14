import { launchChromium } from '../src/dashboard/briefing';
import { ProjectRisk } from '../src/risks/risk.entity';
import { chromiumForTests } from './support/chromium';
import { closeForBrowser, listenForBrowser, pageChecks } from './support/browser';
import { browserDatabase, DbKind } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser } from './support/web-client';

/**
 * A delivery partner's outputs and risks in Debian's Chromium at 390 px (playwright-core), on
 * the demo history: a mistyped count fixed from the error summary, a claim and a forecast
 * saved, a risk added after its missing answers are fixed from the error summary, then closed,
 * and both tasks marked done. axe-core on every page (no serious or critical violations) and
 * no sideways scroll.
 */
const run = chromiumForTests('the update’s outputs and risks in the browser')
  ? describe.each(browserDatabase('postgres'))
  : describe.skip.each(['sqlite' as DbKind]);

run('outputs and risks in Chromium on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let partner: { email: string; password: string };
  const checked: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
    partner = await makeUser(t.app, 'delivery_partner', 'pat@partner.example', ['ETRURIA']);
    base = await listenForBrowser(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await closeForBrowser(t);
  });

  const check = pageChecks(checked);

  it('fills in outputs and a risk, fixing mistakes from the error summary, at 390 px', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/manage/sign-in?next=%2Fmanage%2Fquarter%2FETRURIA`);
    await page.fill('#email', partner.email);
    await page.fill('#password', partner.password);
    await page.click('button:has-text("Sign in")');
    expect(page.url()).toBe(`${base}/manage/quarter/ETRURIA`);
    const tasks = page.locator('.govuk-task-list');
    expect(await tasks.innerText()).toMatch(/Outputs: claims and forecasts\s+Required before submitting\s+Not started/);
    await check(page, 'update');

    // Outputs: a fraction of a job, fixed from the error summary.
    await page.click('text=Outputs: claims and forecasts');
    expect(await page.locator('h1').innerText()).toBe('Outputs');
    await check(page, 'outputs');
    await page.fill('#o-JOBS_CREATED-forecast', '1,480');
    await page.fill('#o-JOBS_CREATED-1-value', '12.5');
    await page.fill('#o-JOBS_CREATED-1-key', 'employer:kiln works');
    await page.fill('#o-JOBS_CREATED-1-evidence', 'Payroll extract, March 2017');
    await page.check('#complete');
    await page.click('button:has-text("Save as draft")');
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.innerText()).toContain(
      'Amount claimed for jobs created (claim 1) must be a whole number, like 12',
    );
    await check(page, 'outputs with an error');
    await page.click('.govuk-error-summary a[href="#o-JOBS_CREATED-1-value"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('o-JOBS_CREATED-1-value');
    expect(await page.inputValue('#o-JOBS_CREATED-1-value')).toBe('12.5');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('12');
    await page.click('button:has-text("Save as draft")');
    expect(page.url()).toBe(`${base}/manage/quarter/ETRURIA`);
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Outputs saved as a draft');
    expect(await tasks.innerText()).toMatch(/Outputs: claims and forecasts\s+Required before submitting\s+Done/);

    // Risks: the missing answers, fixed from the error summary.
    await page.click('.govuk-task-list a:has-text("Risks")');
    await check(page, 'risks');
    await page.click('button:has-text("Add the risk")');
    expect(await summary.innerText()).toContain('Enter a description of the risk');
    await check(page, 'risks with errors');
    await page.click('.govuk-error-summary a[href="#likelihood"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('likelihood');
    await page.check('#likelihood-3');
    await page.check('#impact-4');
    await page.fill('#description', 'Ground remediation costs exceed the estimate');
    await page.fill('#mitigation', 'Contingency of 10 % held');
    await page.fill('#owner', 'Project director');
    await page.click('button:has-text("Add the risk")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Risk added to the register');
    expect(
      (await page.locator('table[data-risks] tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim()),
    ).toEqual([
      'Ground remediation costs exceed the estimate 3 medium 4 high 12 Contingency of 10 % held Project director Open',
    ]);
    await check(page, 'risks with one');

    await page.click('table[data-risks] a');
    await check(page, 'a risk');
    await page.click('button:has-text("Close this risk")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Risk closed');
    expect(await page.locator('table[data-risks] tbody tr').innerText()).toContain('Closed in 2016-17 Q4');
    await page.check('#reviewed');
    await page.click('button:has-text("Save and return to the update")');
    expect(page.url()).toBe(`${base}/manage/quarter/ETRURIA`);
    expect(await tasks.innerText()).toMatch(/Risks\s+Required before submitting\s+Done/);
    await check(page, 'update with both done');
    const risks = await t.ds.getRepository(ProjectRisk).find();
    expect(risks.map((r) => [r.likelihood, r.impact, r.status, r.closedIn])).toEqual([[3, 4, 'closed', '2016-17 Q4']]);
    expect(checked).toHaveLength(8);
    await page.close();
  }, 240_000);
});
