import { cli } from './support/cli';
import { launchChromium } from '../src/dashboard/briefing';
import { chromiumForTests } from './support/chromium';
import { closeForBrowser, listenForBrowser, pageChecks } from './support/browser';
import { browserDatabase, DbKind } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The staff pages in Debian's Chromium (playwright-core): the first admin made by the one CLI
 * command, then signing in and creating a delivery partner and a programme manager with their
 * projects, at desktop width and at 390 px. axe-core runs on every page visited (no serious or
 * critical violations); one form is filled in by keyboard alone.
 */
const ADMIN = { name: 'Ada Admin', email: 'ada@lep.example', password: 'granite otter lantern' };
const run = chromiumForTests('staff pages in the browser')
  ? describe.each(browserDatabase('sqlite'))
  : describe.skip.each(['sqlite' as DbKind]);

// Each test drives a real browser through argon2id sign-ins on a shared machine: generous time-outs.
run('staff pages in Chromium on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const checked: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    base = await listenForBrowser(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await closeForBrowser(t);
  });

  const check = pageChecks(checked);

  it('makes the first admin with one command; a refused password leaves no user', async () => {
    const weak = await cli(
      // The test app's own admin exists already, so this admin is created --as it.
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
      'password\n',
    );
    expect(weak.code).toBe(2);
    expect(weak.err).toContain('Password must be 12 characters or more');
    const made = await cli(
      // The test app's own admin exists already, so this admin is created --as it.
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
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toContain(`${ADMIN.email} (admin)`);
    expect(made.out).toContain('sign in at /manage/sign-in');
    expect(made.out).not.toContain(ADMIN.password);
  }, 120_000);

  it('signs in, creates a partner and a manager, and assigns their projects (axe on every page)', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${base}/manage/admin/users`);
    expect(page.url()).toBe(`${base}/manage/sign-in?next=%2Fmanage%2Fadmin%2Fusers`);
    await check(page, 'sign in');
    await page.fill('#email', ADMIN.email);
    await page.fill('#password', 'not my password at all');
    await page.click('button:has-text("Sign in")');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Enter a correct email address and password',
    );
    await check(page, 'sign in with an error');
    await page.fill('#password', ADMIN.password);
    await page.click('button:has-text("Sign in")');
    expect(page.url()).toBe(`${base}/manage/admin/users`);
    expect(await page.locator('.lep-header').innerText()).toContain('Ada Admin');
    expect(await page.locator('.govuk-header__logotype, .govuk-logo, [class*="crown"]').count()).toBe(0);
    await check(page, 'users');

    await page.click('text=Create a user');
    await check(page, 'create a user');
    await page.click('button:has-text("Create user")');
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.innerText()).toContain('Enter a full name');
    await check(page, 'create a user with errors');
    // The error summary's links take the keyboard to the field.
    await page.click('.govuk-error-summary a[href="#name"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');

    await page.fill('#name', 'Pat Partner');
    await page.fill('#email', 'pat@partner.example');
    await page.check('#role-6');
    await page.fill('#password', 'copper kettle winter');
    await page.click('button:has-text("Create user")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Pat Partner can now sign in');
    await check(page, 'a user');
    await page.check('label:has-text("Etruria Valley Enterprise Area")');
    await page.click('button:has-text("Save projects")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Project assignments saved');
    expect(await page.isChecked('label:has-text("Etruria Valley Enterprise Area")')).toBe(true);

    await page.goto(`${base}/manage/admin/users/new`);
    await page.fill('#name', 'Morgan Manager');
    await page.fill('#email', 'morgan@lep.example');
    await page.check('#role-2');
    await page.fill('#password', 'violet harbour engine');
    await page.click('button:has-text("Create user")');
    await page.check('label:has-text("Etruria Valley Enterprise Area")');
    await page.check('label:has-text("Lichfield Park employment site")');
    await page.click('button:has-text("Save projects")');
    await page.goto(`${base}/manage/admin/users`);
    const rows = await page.locator('table[data-users] tbody tr').allInnerTexts();
    expect(rows.find((r) => r.includes('pat@partner.example'))).toMatch(
      /Pat Partner\s+pat@partner\.example\s+Delivery partner\s+Etruria Valley Enterprise Area\s+Active/,
    );
    expect(rows.find((r) => r.includes('morgan@lep.example'))).toMatch(
      /Programme manager\s+Etruria Valley Enterprise Area, Lichfield Park employment site\s+Active/,
    );
    for (const [path, what] of [
      ['/manage', 'home'],
      ['/manage/notices', 'notices'],
      ['/manage/audit', 'audit trail'],
      ['/manage/no-such-page', 'page not found'],
    ]) {
      await page.goto(`${base}${path}`);
      await check(page, what);
    }
    expect(await page.locator('h1').innerText()).toBe('Page not found');
    await page.close();
  }, 240_000);

  it('works at 390 px wide with no sideways scroll, and a form by keyboard alone', async () => {
    await browser.context.clearCookies(); // signed out: start from the sign-in page
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/manage/sign-in`);
    expect(page.url()).toBe(`${base}/manage/sign-in`);
    await check(page, 'sign in');
    // Keyboard only: skip link, then the fields in order, Enter to submit.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/manage`);
    await check(page, 'home');

    await page.goto(`${base}/manage/admin/users/new`);
    await page.focus('#name');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@lep.example');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('role');
    // Arrow keys move through the radios: down to the fifth (viewer).
    await page.keyboard.press('Space');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    await page.keyboard.type('marble puffin saucer');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/manage\/admin\/users\/\d+$/);
    expect(await page.locator('.govuk-summary-list').innerText()).toMatch(/Role\s+Viewer/);
    await check(page, 'a user');
    for (const [path, what] of [
      ['/manage/admin/users', 'users'],
      ['/manage/audit', 'audit trail'],
      ['/manage/notices', 'notices'],
    ]) {
      await page.goto(`${base}${path}`);
      await check(page, what);
    }
    await page.close();
    expect(checked.length).toBeGreaterThanOrEqual(16);
  }, 240_000);
});
