import { launchChromium } from '../src/dashboard/briefing';
import { GLOSSARY } from '../src/dashboard/views/glossary.view';
import { chromiumForTests } from './support/chromium';
import { measure } from './support/page-checks';
import { startTestApp, TestApp } from './support/test-app';
import { pageText } from './support/web-client';

/**
 * The committee's reading aids on the public pages: a plain-English glossary and an accessibility
 * statement, linked from every public page's footer, readable at desktop width and on a phone.
 * They read nothing from the database, so SQLite alone serves.
 */
const CODE = 'SSLEP-GD-2014';

describe('glossary and accessibility statement', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('the glossary defines, with anchors, every word the committee asked about', async () => {
    const r = await t.anonymous('GET', '/glossary');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toBe('text/html; charset=utf-8');
    // The list: BRAG, slippage, outturn, reconciled, within rounding, not yet due.
    for (const id of ['brag', 'slippage', 'outturn', 'reconciled', 'within-rounding', 'not-yet-due'])
      expect(r.text).toContain(`<dt id="${id}">`);
    expect(r.text.match(/<dt id="/g)).toHaveLength(GLOSSARY.length);
    expect(GLOSSARY).toHaveLength(17);
    expect(r.text).toContain(
      '<dt id="slippage">Slippage</dt><dd>Spending that has moved to a later year than planned. Money moving to an earlier year is acceleration. Slippage is not overspend: the total may be unchanged.</dd>',
    );
    // The apostrophe is escaped like every other interpolated text.
    expect(r.text).toContain('A project&#39;s forecast outturn is more than its total approved allocation.');
  });

  it('the accessibility statement names its scope, the known problems and the enforcement procedure', async () => {
    const r = await t.anonymous('GET', '/accessibility');
    expect(r.status).toBe(200);
    for (const heading of [
      'How you should be able to use these pages',
      'How accessible these pages are',
      'Feedback and contact information',
      'Enforcement procedure',
      'Technical information',
    ])
      expect(r.text).toContain(`<h2>${heading}</h2>`);
    expect(r.text).toContain('partially compliant with the Web Content Accessibility Guidelines version 2.2 AA');
    // Its scope is every public page, as the browser tests check them (public-phone, this file).
    expect(pageText(r.text)).toContain(
      "each programme's page, its projects, its reconciliation of the deal's figures, its submitted returns, what changed since the last return and its committee briefing; the glossary;",
    );
    expect(pageText(r.text)).toContain(
      'on every public page (home, programme, project, reconciliation, returns, changes since the last return, briefing, glossary, this statement and the page-not-found page)',
    );
    // Issue 16 (phone widths): the page no longer scrolls sideways; the statement says what is left.
    expect(r.text).not.toContain('make the page scroll sideways');
    expect(r.text).toContain(
      'On a phone-sized screen the pages do not scroll sideways: a wide table or chart scrolls inside its own box',
    );
  });

  it.each(['/', `/programmes/${CODE}`, `/programmes/${CODE}/projects/ETRURIA`, '/glossary', '/accessibility'])(
    'the footer of %s links to both',
    async (url) => {
      const r = await t.anonymous('GET', url);
      expect(r.status).toBe(200);
      const footer = r.text.slice(r.text.indexOf('<footer>'));
      expect(footer).toContain('<a href="/glossary">Glossary</a>');
      expect(footer).toContain('<a href="/accessibility">Accessibility statement</a>');
    },
  );

  const browserIt = chromiumForTests('glossary and accessibility pages in the browser') ? it : it.skip;

  browserIt(
    'both pages and the not-found page at 1,400 px and 390 px: no sideways scroll, no text under 10 px, no serious axe finding',
    async () => {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as { port: number };
      const browser = await launchChromium();
      const seen: string[] = [];
      try {
        for (const width of [1400, 390]) {
          const page = await browser.context.newPage();
          await page.setViewportSize({ width, height: 900 });
          for (const path of ['/glossary', '/accessibility', '/no-such-page']) {
            await page.goto(`http://127.0.0.1:${port}${path}`);
            seen.push(`${path}@${width}: ${await measure(page)}`);
          }
          await page.close();
        }
      } finally {
        await browser.close();
      }
      expect(seen).toEqual([
        '/glossary@1400: scroll 1400, smallest text ok, axe ok',
        '/accessibility@1400: scroll 1400, smallest text ok, axe ok',
        '/no-such-page@1400: scroll 1400, smallest text ok, axe ok',
        '/glossary@390: scroll 390, smallest text ok, axe ok',
        '/accessibility@390: scroll 390, smallest text ok, axe ok',
        '/no-such-page@390: scroll 390, smallest text ok, axe ok',
      ]);
    },
    120_000,
  );
});
