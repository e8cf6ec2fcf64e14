import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../src/dashboard/briefing';
import { chromiumForTests } from './support/chromium';
import { closeForBrowser, listenForBrowser, pageChecks } from './support/browser';
import { browserDatabase, DbKind } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser } from './support/web-client';

/**
 * The partner spreadsheet in Debian's Chromium at 390 px with every script blocked (the page
 * must work without JavaScript): from the project's update page, download the template, upload
 * it with a mistake and read the error summary, then upload it fixed: into the update's draft,
 * not the figures. axe-core on every page.
 */
const run = chromiumForTests('the partner spreadsheet in the browser')
  ? describe.each(browserDatabase('postgres'))
  : describe.skip.each(['sqlite' as DbKind]);

run('the partner spreadsheet in Chromium on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let partner: { email: string; password: string };
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
    partner = await makeUser(t.app, 'delivery_partner', 'sheet@partner.example', ['ETRURIA']);
    base = await listenForBrowser(t);
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'gdt-wb-browser-'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await closeForBrowser(t);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const check = pageChecks();

  it('downloads the template, uploads it with a mistake, then fixed, without JavaScript, at 390 px', async () => {
    const page = await browser.context.newPage();
    await page.route('**/*.js', (r) => r.abort());
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/manage/sign-in?next=%2Fmanage%2Fquarter%2FETRURIA`);
    await page.fill('#email', partner.email);
    await page.fill('#password', partner.password);
    await page.click('button:has-text("Sign in")');
    expect(page.url()).toBe(`${base}/manage/quarter/ETRURIA`);
    await page.click('text=Download or upload the update as a spreadsheet');
    expect(await page.locator('h1').innerText()).toBe('Update Etruria Valley Enterprise Area with a spreadsheet');
    await check(page, 'spreadsheet page');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('text=Download the spreadsheet for ETRURIA, 2016-17 Q4 (xlsx)'),
    ]);
    expect(download.suggestedFilename()).toBe('SSLEP-GD-2014-ETRURIA-update-2016-17-Q4.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const spend = wb.getWorksheet('Spend')!;
    const q4 = spend
      .getRows(2, spend.rowCount - 1)!
      .find((r) => r.getCell(1).value === 'LGF' && r.getCell(2).value === '2016-17 Q4')!;
    q4.getCell(4).value = -5;
    const bad = join(dir, 'etruria-bad.xlsx');
    writeFileSync(bad, Buffer.from(await wb.xlsx.writeBuffer()));
    await page.setInputFiles('#workbook', bad);
    await page.click('button:has-text("Upload the spreadsheet")');
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.locator('a').allInnerTexts()).toEqual([
      `Spend!D${q4.number}: spend cannot be negative (corrections to locked quarters are prior-period adjustments)`,
    ]);
    expect(await page.locator('#workbook-error').innerText()).toContain(
      'etruria-bad.xlsx was not imported: 1 problem, nothing was changed',
    );
    await check(page, 'spreadsheet refused');
    await summary.locator('a').first().click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('workbook');

    q4.getCell(4).value = 125000;
    const good = join(dir, 'etruria.xlsx');
    writeFileSync(good, Buffer.from(await wb.xlsx.writeBuffer()));
    await page.setInputFiles('#workbook', good);
    await page.click('button:has-text("Upload the spreadsheet")');
    // Into the update's draft, back on the update's page: the figures are unchanged until it is accepted.
    expect(page.url()).toBe(`${base}/manage/quarter/ETRURIA`);
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      'Imported etruria.xlsx into the 2016-17 Q4 update: 1 change held in the draft',
    );
    await check(page, 'spreadsheet imported');
    const [row] = await t.ds.query(
      "SELECT forecast_pence AS f FROM spend_profile WHERE source_kind = 'LGF' AND quarter = '2016-17 Q4' AND project_id = (SELECT id FROM project WHERE code = 'ETRURIA')",
    );
    expect(Number(row.f)).toBe(12_000_000);
    const [update] = await t.ds.query(
      "SELECT draft FROM quarterly_update WHERE quarter = '2016-17 Q4' AND project_id = (SELECT id FROM project WHERE code = 'ETRURIA')",
    );
    const draft = typeof update.draft === 'string' ? JSON.parse(update.draft) : update.draft;
    expect(draft.forecasts['LGF|2016-17 Q4']).toBe(12_500_000);
    await page.close();
  }, 120_000);
});
