import type { Page } from 'playwright-core';
import { launchChromium } from '../src/dashboard/briefing';
import { chromiumForTests } from './support/chromium';
import { browserDatabase } from './support/databases';
import { measure } from './support/page-checks';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 16, "the public pages on a phone": at 390 px no public page scrolls sideways (wide tables
 * and charts scroll in their own box), no text is drawn under 10 px (charts keep their size instead
 * of shrinking), bar labels show whole names, a long quarterly axis labels only what fits, and the
 * programme page leads with delivery, the reconciliation one link away on its own page.
 * Measured on main before the change, at 390 px: the programme page 1,061 px wide with chart text
 * down to 5.6 px and its RAG summary 33,933 px down a 43,124 px page; MEAFORD's page 598 px wide;
 * bar labels cut to 30 characters and clipped ("Bericote Four Ashes employmen…"); ETRURIA's spend
 * chart labelling all 20 quarters 29.5 px apart; /reconciliation a 404.
 */
const CODE = 'SSLEP-GD-2014';
const PROG = `/programmes/${CODE}`;
const PAGES = [
  '/',
  PROG,
  `${PROG}/projects/ETRURIA`,
  `${PROG}/projects/MEAFORD`,
  `${PROG}/reconciliation`,
  `${PROG}/returns`,
  `${PROG}/changes-since-last-return`,
  `${PROG}/briefing`,
];
const browserIt = chromiumForTests('public pages on a phone') ? it : it.skip;

describe.each(browserDatabase('sqlite'))('public pages on a phone (%s)', (kind) => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    (t?.app.getHttpServer() as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await t?.close();
  });

  async function open(path: string, width: number): Promise<Page> {
    browser ??= await launchChromium();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
    expect([path, res?.status()]).toEqual([path, 200]);
    return page;
  }

  it('the programme page leads with delivery; the reconciliation is its own page, one link away, every line on it', async () => {
    const page = (await t.anonymous('GET', PROG)).text;
    const at = (marker: string) => {
      const i = page.indexOf(marker);
      expect([marker, i >= 0]).toEqual([marker, true]);
      return i;
    };
    const order = [
      'id="delivery-glance"',
      'id="section-rag"',
      'id="section-spend-to-date"',
      'id="section-late-milestones"',
      'id="section-jobs-homes"',
      'id="funding"',
      'id="projects"',
      'id="documents-vs-projects"',
    ];
    expect(order.map(at)).toEqual(order.map(at).sort((a, b) => a - b));
    // The summary stays on the programme page; the table of every stated figure moved.
    expect(page).not.toContain('<caption>Stated figures against the allocations</caption>');
    expect(page).toContain(`<a href="${PROG}/reconciliation">Every stated figure against the allocations`);
    const lines = (await t.request('GET', `/api/programmes/${CODE}/reconciliation`)).body.lines as unknown[];
    expect(page).toContain(`Of the ${lines.length} figures the deal documents state, `);

    const rec = await t.anonymous('GET', `${PROG}/reconciliation`);
    expect(rec.status).toBe(200);
    expect(String(rec.headers['content-type'])).toBe('text/html; charset=utf-8');
    expect(rec.text).toContain(
      '<h2 id="documents-vs-projects">What the documents say vs what the projects add up to</h2>',
    );
    const table = rec.text.slice(rec.text.indexOf('<caption>Stated figures against the allocations</caption>'));
    expect(table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>')).match(/<tr>/g)).toHaveLength(lines.length);
    expect(rec.text).toContain(`<a href="${PROG}">${'Stoke-on-Trent and Staffordshire Growth Deal (2014)'}</a>`);
    expect((await t.anonymous('GET', '/programmes/NO-SUCH/reconciliation')).status).toBe(404);
  });

  it('every table and chart on the public pages sits in its own keyboard-reachable scrolling box', async () => {
    for (const path of PAGES) {
      const text = (await t.anonymous('GET', path)).text;
      const tables = (text.match(/<table\b/g) ?? []).length;
      const charts = (text.match(/<svg [^>]*class="chart"/g) ?? []).length;
      const boxedTables = (
        text.match(/<div class="scroll" role="region" aria-label="[^"]+" tabindex="0"><table\b/g) ?? []
      ).length;
      const boxedCharts = (
        text.match(/<div class="chart-scroll" role="region" aria-labelledby="chart-[^"]+-title" tabindex="0"><svg /g) ??
        []
      ).length;
      expect([path, boxedTables, boxedCharts]).toEqual([path, tables, charts]);
    }
  });

  browserIt(
    'at 1,400 px and 390 px: no sideways scroll, no text under 10 px, no serious axe finding; delivery near the top',
    async () => {
      const seen: string[] = [];
      const tops: string[] = [];
      const ragTop: number[] = [];
      for (const width of [1400, 390]) {
        for (const path of PAGES) {
          const page = await open(path, width);
          seen.push(`${path}@${width}: ${await measure(page)}`);
          if (path === PROG) {
            const top = (id: string) =>
              page.evaluate((x) => document.getElementById(x)!.getBoundingClientRect().top + window.scrollY, id);
            const funding = await top('funding');
            for (const id of ['section-rag', 'section-spend-to-date', 'section-late-milestones'])
              tops.push(`${id}@${width} ${(await top(id)) < funding ? 'before' : 'after'} the funding tables`);
            ragTop.push(await top('section-rag'));
          }
          await page.close();
        }
      }
      expect(seen).toEqual(
        PAGES.map((p) => `${p}@1400: scroll 1400, smallest text ok, axe ok`).concat(
          PAGES.map((p) => `${p}@390: scroll 390, smallest text ok, axe ok`),
        ),
      );
      // The delivery story comes before the money tables: at 390 px the RAG summary was 33,933 px down.
      expect(tops).toEqual(
        [1400, 390].flatMap((w) =>
          ['section-rag', 'section-spend-to-date', 'section-late-milestones'].map(
            (id) => `${id}@${w} before the funding tables`,
          ),
        ),
      );
      expect(ragTop[0]).toBeLessThan(2000);
      expect(ragTop[1]).toBeLessThan(4000);
    },
    300_000,
  );

  browserIt('bar labels are whole names broken between words, drawn inside the chart', async () => {
    const page = await open(PROG, 390);
    const labels = await page.$$eval('svg#chart-funding-by-project g.bar text.label', (texts) =>
      texts.map((t) => ({
        lines: [...t.querySelectorAll('tspan')].map((s) => s.textContent),
        left: (t as SVGTextElement).getBBox().x,
      })),
    );
    const names = await page.$$eval('#table-funding-by-project tbody th', (ths) => ths.map((th) => th.textContent));
    expect(names).toContain('Bericote Four Ashes employment site');
    // Each label is the whole name: its lines joined by single spaces (a word cut in two would not join back).
    expect(labels.map((l) => l.lines.join(' '))).toEqual(names);
    expect(labels.find((l) => l.lines[0]!.startsWith('Bericote'))!.lines).toEqual([
      'Bericote Four Ashes',
      'employment site',
    ]);
    // Nothing is drawn left of the chart's edge (it was: "ericote Four Ashes…").
    for (const l of labels) expect([l.lines.join(' '), l.left >= 0]).toEqual([l.lines.join(' '), true]);
    expect(await page.locator('svg.chart text', { hasText: '…' }).count()).toBe(0);
    await page.close();
  });

  browserIt('a 20-quarter spend chart labels one quarter a year on its axis, without overlap', async () => {
    const page = await open(`${PROG}/projects/ETRURIA`, 390);
    expect(await page.locator('#table-spend-by-quarter tbody tr').count()).toBe(20);
    expect(
      (await page.locator('svg#chart-spend-by-quarter polyline').first().getAttribute('points'))!.split(' '),
    ).toHaveLength(20);
    const ticks = await page.$$eval('svg#chart-spend-by-quarter text.x-label', (texts) =>
      texts.map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent, x: t.getAttribute('x'), left: r.left, right: r.right };
      }),
    );
    // Every 4th of 20 quarters, 4 × 29.47 = 117.89 units apart; "(not yet submitted)" stays in the table.
    expect(ticks.map((t) => [t.text, t.x])).toEqual([
      ['2015-16 Q1', '70'],
      ['2016-17 Q1', '187.89'],
      ['2017-18 Q1', '305.79'],
      ['2018-19 Q1', '423.68'],
      ['2019-20 Q1', '541.58'],
    ]);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].left - ticks[i - 1].right).toBeGreaterThan(20);
    await page.close();
  });
});
