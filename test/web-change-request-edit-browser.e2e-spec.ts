import type { Page } from 'playwright-core';
import { chromiumForTests } from './support/chromium';
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
import { browserDatabase, DbKind } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser } from './support/web-client';
import { launchChromium } from '../src/dashboard/briefing';

const CODE = 'SSLEP-GD-2014';
const ALLOCATION =
  'Etruria Valley Enterprise Area (ETRURIA) – Local Growth Fund award – unprofiled – £2,400,000.00 (confirmed)';
const RELEASE = 'Released to the headroom (recycled within the programme)';

/**
 * A draft change request edited in its own form in Debian's Chromium (playwright-core): a
 * programme manager drafts a reduction of an allocation, opens Edit and finds every box holding
 * what was saved (read by what a person sees: the option's and the radio's words), then by
 * keyboard alone (Tab, typing, Enter) mistypes the amount, follows the error summary to the
 * box, fixes it and saves. The draft's page and the API then hold the new amount, in pounds.
 * axe-core on the edit form (no serious or critical violations) and no sideways scroll at
 * 1,280 and 390 px.
 */
const run = chromiumForTests('editing a draft change request in the browser')
  ? describe.each(browserDatabase('postgres'))
  : describe.skip.each(['sqlite' as DbKind]);

run('a draft change request edited in its form in Chromium on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let pm: { email: string; password: string };
  const checked: string[] = [];
  const check = pageChecks(checked, 390);

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    pm = await makeUser(t.app, 'programme_manager', 'edit-pm@lep.example', ['ETRURIA']);
    base = await listenForBrowser(t);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await closeForBrowser(t);
  });

  /** The change form's boxes as a person reads them: the chosen option's and radio's words, the typed text. */
  const boxes = (page: Page) =>
    page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('#change-form')!;
      const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
      const mode = form.querySelector<HTMLInputElement>('input[name="mode"]:checked');
      return {
        allocation: (form.elements.namedItem('allocation') as HTMLSelectElement).selectedOptions[0].text.trim(),
        amount: value('amount'),
        mode: mode ? form.querySelector(`label[for="${mode.id}"]`)!.textContent!.trim() : '',
        why: value('why'),
        reference: value('reference'),
        title: value('title'),
        reason: value('reason'),
        evidence: value('evidence'),
      };
    });

  it('drafts a reduction, edits it by keyboard through a mistake, and the draft holds the new amount', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAt(page, base, '/manage/change-requests', pm.email, pm.password);

    // Drafted from the form, every choice by its words.
    await page.click('a:has-text("Create a change request")');
    await page.check('label:has-text("Reduce an allocation")');
    await page.click('button:has-text("Continue")');
    expect(await page.locator('h1').innerText()).toBe('Reduce an allocation');
    await page.selectOption('#allocation', { label: ALLOCATION });
    await page.fill('#amount', '£150,000');
    await page.check(`label:has-text("${RELEASE}")`);
    await page.fill('#why', 'Plot 4 remediation came in under tender');
    await page.fill('#reference', 'Board minute 2016/14');
    await page.fill('#title', 'Release part of Etruria’s LGF award');
    await page.fill('#reason', 'Tender savings on plot 4');
    await page.click('button:has-text("Create a change request")');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('drafted');
    const draftUrl = page.url();
    const n = Number(/change-requests\/(\d+)\?/.exec(draftUrl)![1]);

    // Its edit form holds what was saved.
    await page.click('[data-edit]');
    expect(page.url()).toBe(`${base}/manage/change-requests/${n}/edit?programme=${CODE}`);
    expect(await page.locator('.govuk-caption-l').innerText()).toContain(`Edit change request ${n}`);
    const saved = {
      allocation: ALLOCATION,
      amount: '£150,000.00',
      mode: RELEASE,
      why: 'Plot 4 remediation came in under tender',
      reference: 'Board minute 2016/14',
      title: 'Release part of Etruria’s LGF award',
      reason: 'Tender savings on plot 4',
      evidence: '',
    };
    expect(await boxes(page)).toEqual(saved);
    await check(page, 'the edit form');

    // Keyboard alone: Tab visits every box in reading order, then the button; typing into the
    // amount (Tab selects a box's text, so typing replaces it) with a mistake; Enter saves.
    const order = await formTabOrder(page, '#change-form');
    expect(order).toEqual([
      'allocation',
      'amount',
      'mode',
      'why',
      'reference',
      'title',
      'reason',
      'evidence',
      'Save changes',
    ]);
    await tabTo(page, 'allocation');
    const stops = ['allocation'];
    while (stops[stops.length - 1] !== 'Save changes') {
      await page.keyboard.press('Tab');
      stops.push(await focused(page));
      if (stops[stops.length - 1] === 'amount') await page.keyboard.type('£12x,000');
    }
    expect(stops).toEqual(order);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).toEqual([
      'Amount to take off must be an amount of money, like £1,234.50',
    ]);
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#amount');
    // Nothing else typed is lost, and the mistake is shown as typed.
    expect(await boxes(page)).toEqual({ ...saved, amount: '£12x,000' });
    await check(page, 'the edit form with an error');
    // The summary takes the focus as the page loads; its link takes it to the amount.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).toBe('amount');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab'); // back into the amount, its text selected
    await page.keyboard.type('£120,000');
    await page.keyboard.press('Enter');
    await page.waitForURL(draftUrl);

    // The draft's page, in pounds.
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      `Change request ${n} saved: check the before and after, then submit it for approval`,
    );
    expect(await page.locator('h1').innerText()).toBe('Release part of Etruria’s LGF award');
    expect(squeeze(await page.locator('[data-description]').innerText())).toBe(
      'Reduce Etruria Valley Enterprise Area’s Local Growth Fund award by £120,000.00: the money returns to the envelope’s headroom for other projects. Reason: Plot 4 remediation came in under tender (ref. Board minute 2016/14).',
    );
    expect((await page.locator('table[data-before-after] tbody tr').allInnerTexts()).map(squeeze)).toEqual([
      'Allocation: Etruria Valley Enterprise Area (ETRURIA), LGF, unprofiled amount £2,400,000.00 £2,280,000.00',
      'Reduction mode (did not exist) release',
      'Reduction amount (did not exist) £120,000.00',
      'Reduction reason (did not exist) Plot 4 remediation came in under tender',
      'Reduction reference (did not exist) Board minute 2016/14',
    ]);

    // The database and the API: the second version, the new amount, nothing else changed.
    const api = await t.request('GET', `/api/programmes/${CODE}/change-requests/${n}`);
    expect([api.status, api.body.state, api.body.version, api.body.payload]).toEqual([
      200,
      'draft',
      2,
      {
        allocationId: expect.any(Number),
        amount: '120000.00',
        mode: 'release',
        reason: saved.why,
        reference: saved.reference,
      },
    ]);
    // The row as stored, its allocation named by project and source (not by its id).
    const rows = (await t.ds.query(
      `SELECT c.version AS version, c.title AS title, c.reason AS reason, c.payload AS payload
       FROM change_request c JOIN programme g ON g.id = c.programme_id WHERE g.code = '${CODE}' AND c.number = ${n}`,
    )) as { version: number | string; title: string; reason: string; payload: unknown }[];
    const stored = rows.map((r) => ({
      version: Number(r.version),
      title: r.title,
      reason: r.reason,
      payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { allocationId: number },
    }));
    expect(stored).toEqual([{ version: 2, title: saved.title, reason: saved.reason, payload: api.body.payload }]);
    const held = (await t.ds.query(
      `SELECT p.code AS project, a.source_kind AS source, a.amount_pence AS pence
       FROM allocation a JOIN project p ON p.id = a.project_id WHERE a.id = ${Number(stored[0].payload.allocationId)}`,
    )) as { project: string; source: string; pence: number | string }[];
    // A draft moves nothing: the allocation still holds £2,400,000.00.
    expect(held.map((h) => `${h.project} ${h.source} ${Number(h.pence)}`)).toEqual(['ETRURIA LGF 240000000']);
    expect(checked).toEqual([
      'the edit form@1280',
      'the edit form@390',
      'the edit form with an error@1280',
      'the edit form with an error@390',
    ]);
    await page.close();
  }, 180_000);
});
