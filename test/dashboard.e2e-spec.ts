import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { reportsDir } from '../src/common/paths';
import { Allocation } from '../src/funding/allocation.entity';
import { Programme } from '../src/programmes/programme.entity';
import { Project } from '../src/projects/project.entity';
import { launchChromium, printToPdf } from '../src/dashboard/briefing';
import { pdftotextAvailable } from './support/pdftotext';
import { chromiumForTests } from './support/chromium';
import { databaseKinds } from './support/databases';
import { queryCounter } from './support/queries';
import { startTestApp, TestApp } from './support/test-app';
import { APPROVED_BY_SOURCE_2014, CAPITAL_2014 } from './support/deal-2014';

const CODE = 'SSLEP-GD-2014';
const P = `/api/programmes/${CODE}`;
const SHOTS = join(reportsDir(), 'screenshots');

const haveChromium = chromiumForTests('browser tests');
const browserIt = haveChromium ? it : it.skip;
const hasPdftotext = () => pdftotextAvailable('briefing text checks');

describe.each(databaseKinds())('public dashboard on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    if (haveChromium) {
      browser = await launchChromium();
      context = browser.context;
      mkdirSync(SHOTS, { recursive: true });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Opens a page and collects console errors and uncaught exceptions. */
  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${base}${url}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    return { page, errors };
  }

  /** Cells of the row headed `label` in the table with the given caption. */
  async function row(page: Page, caption: string, label: string): Promise<string[]> {
    return page.$$eval(
      'table',
      (tables, [cap, lab]) => {
        const t = tables.find((x) => x.querySelector('caption')?.textContent?.startsWith(cap));
        const r = t && [...t.querySelectorAll('tr')].find((tr) => tr.querySelector('th')?.textContent?.trim() === lab);
        return r ? [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()) : [];
      },
      [caption, label],
    );
  }

  it('serves the overview JSON with the 2014 deal’s totals by source to the penny', async () => {
    const res = await t.request('GET', `${P}/overview`);
    expect(res.status).toBe(200);
    expect(
      Object.fromEntries(res.body.bySource.map((s: { code: string; amount: string }) => [s.code, s.amount])),
    ).toEqual(APPROVED_BY_SOURCE_2014);
    expect(res.body.capital).toBe(CAPITAL_2014);
    const etruria = res.body.projects.find((p: { code: string }) => p.code === 'ETRURIA');
    expect(etruria.bySource).toEqual({
      LGF: '2400000.00',
      LGF_PRECOMMITTED: '8200000.00',
      LGF_PROVISIONAL: '16100000.00',
      LOCAL_MATCH: '2500000.00',
    });
    expect(etruria.total).toBe('29200000.00');
    expect(res.body.reconciliation.summary.byStatus).toEqual({
      reconciled: 19,
      within_rounding: 0,
      unreconciled: 11,
      met: 1,
      not_met: 0,
      not_comparable: 15,
    });
    const chart = res.body.charts.find((c: { id: string }) => c.id === 'funding-by-source');
    expect(chart.values).toEqual([['34600000.00'], ['16400000.00'], ['27100000.00'], ['8500000.00'], ['10600000.00']]);
  });

  it('pages carry no scripts and serve the chart CSV with the same numbers', async () => {
    const page = await t.request('GET', `/programmes/${CODE}`);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).not.toMatch(/<script/i);
    const csv = await t.request('GET', `/programmes/${CODE}/data/funding-by-source.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text).toBe(
      ',Promised (£)\nLocal Growth Fund award,34600000.00\nPreviously committed growth funding,16400000.00\nProvisional Local Growth Fund allocation,27100000.00\nLocal partners’ match funding,8500000.00\nPrivate sector match funding,10600000.00\n',
    );
    const proj = await t.request('GET', `/programmes/${CODE}/projects/ETRURIA/data/funding-by-source.csv`);
    expect(proj.text).toContain('Local Growth Fund award,2400000.00\n');
    expect((await t.request('GET', `/programmes/${CODE}/data/nothing.csv`)).status).toBe(404);
    expect((await t.request('GET', `/programmes/NOPE`)).status).toBe(404);
  });

  it('the 2014 deal alone: the funding-by-project table and CSV show every row as agreed, none illustrative', async () => {
    const page = await t.request('GET', `/programmes/${CODE}`);
    const start = page.text.indexOf('<table class="data" id="table-funding-by-project">');
    expect(start).toBeGreaterThan(-1);
    const table = page.text.slice(start, page.text.indexOf('</table>', start));
    const rows = table
      .split('<tr')
      .slice(2, -1) // the header and the total row
      .map((tr) => [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1].replace(/<[^>]+>/g, '')));
    // Eight projects with capital money and the two shared pools.
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => r.at(-1))).toEqual(Array(10).fill('no'));
    expect(rows.find((r) => r[0] === 'Lichfield Park employment site')!.slice(-2)).toEqual([
      'agreed £4.0m · unchanged',
      'no',
    ]);
    expect(rows.filter((r) => !/^agreed £[\d.]+m · unchanged$/.test(r.at(-2)!))).toEqual([]);
    const csv = await t.request('GET', `/programmes/${CODE}/data/funding-by-project.csv`);
    expect(csv.text).toContain(
      '\nLichfield Park employment site,4000000.00,,,,,4000000.00,0.00,agreed £4.0m · unchanged,no\n',
    );
    expect(csv.text).not.toContain(',yes\n');
    expect(csv.text).not.toContain('Illustrative data');
  });

  it('never shows a draft allocation on public pages', async () => {
    const draft = await t.request('POST', `${P}/allocations`, {
      sourceKind: 'LGF',
      project: 'ETRURIA',
      period: 'unprofiled',
      amount: '777777.77',
      commitmentStatus: 'confirmed',
    });
    expect(draft.status).toBe(201);
    expect(draft.body.approvalState).toBe('draft');
    try {
      for (const url of [
        `/programmes/${CODE}`,
        `/programmes/${CODE}/projects/ETRURIA`,
        `/programmes/${CODE}/briefing`,
        `${P}/overview`,
        `/programmes/${CODE}/data/funding-by-project.csv`,
        '/api/open-data/360giving.json',
      ]) {
        const res = await t.request('GET', url);
        expect(res.status).toBe(200);
        expect(res.text).not.toMatch(/777,?777\.77/);
      }
      const o = await t.request('GET', `${P}/overview`);
      expect(o.body.bySource.find((s: { code: string }) => s.code === 'LGF').amount).toBe('34600000.00');
    } finally {
      await t.request('DELETE', `${P}/allocations/${draft.body.id}`);
    }
  });

  it('renders the overview from a bounded number of queries, whatever the number of projects', async () => {
    const counter = queryCounter(t.ds);
    const count = (url: string) =>
      counter.count(async () => {
        // As the public sees it: no token, so no sign-in lookups in the count.
        expect((await t.anonymous('GET', url)).status).toBe(200);
      });
    try {
      const before = await count(`/programmes/${CODE}`);
      const beforeJson = await count(`${P}/overview`);
      // 40 more projects, each with an approved allocation (a test fixture: written directly,
      // as the approval service would), so the aggregate really has more rows to sum.
      const prog = await t.ds.getRepository(Programme).findOneByOrFail({ code: CODE });
      const now = new Date().toISOString();
      for (let i = 0; i < 40; i++) {
        const r = await t.ds
          .getRepository(Project)
          .insert({ programmeId: prog.id, code: `BULK-${i}`, name: `Bulk project ${i}`, status: 'approved' });
        await t.ds.getRepository(Allocation).insert({
          programmeId: prog.id,
          sourceKind: 'LOCAL_MATCH',
          projectId: r.identifiers[0].id as number,
          poolId: null,
          periodKind: 'unprofiled',
          yearFrom: null,
          yearTo: null,
          amountPence: 100 + i,
          commitmentStatus: 'confirmed',
          approvalState: 'approved',
          createdAt: now,
          updatedAt: now,
        });
      }
      const after = await count(`/programmes/${CODE}`);
      expect(after).toBe(before);
      expect(await count(`${P}/overview`)).toBe(beforeJson);
      // programme, reporting quarter, source kinds, allocation groups, projects, pools, headlines,
      // delivered outputs (ReconciliationService); the delivery sections find nothing to show:
      // RAG (reporting quarter, projects (which name its spend lines), 3 spend aggregates,
      // targets, metrics, last submitted return, illustrative flags), milestones (1, read once for
      // the RAG and the late milestones), spend by quarter (2); agreed vs now (4: current lines,
      // the approvals' allocation writes, approved requests, codes); returns due (1: the first
      // version of each submitted quarter). With the demo: 27 (dashboard-delivery).
      expect(before).toBe(25);
      const html = (await t.request('GET', `/programmes/${CODE}`)).text;
      expect(html).toContain('Bulk project 39');
    } finally {
      counter.restore();
      const prog = await t.ds.getRepository(Programme).findOneByOrFail({ code: CODE });
      await t.ds.query(
        `DELETE FROM allocation WHERE programme_id = ${prog.id} AND project_id IN (SELECT id FROM project WHERE code LIKE 'BULK-%')`,
      );
      await t.ds.query(`DELETE FROM project WHERE code LIKE 'BULK-%'`);
    }
  });

  browserIt(
    'overview loads in Chromium without console errors, with the figures to the penny and its charts',
    async () => {
      const { page, errors } = await open(`/programmes/${CODE}`);
      const caption = 'Funding promised by source against';
      expect((await row(page, caption, 'Local Growth Fund award'))[0]).toBe('£34,600,000.00');
      expect((await row(page, caption, 'Previously committed growth funding'))[0]).toBe('£16,400,000.00');
      expect((await row(page, caption, 'Provisional Local Growth Fund allocation'))[0]).toBe('£27,100,000.00');
      expect((await row(page, caption, 'Local partners’ match funding'))[0]).toBe('£8,500,000.00');
      expect((await row(page, caption, 'Private sector match funding'))[0]).toBe('£10,600,000.00');
      expect(await page.locator('svg#chart-funding-by-source g.bar').count()).toBe(5);
      expect(await page.locator('svg#chart-funding-by-project g.bar').count()).toBe(10);
      expect(await page.locator('svg#chart-deal-table-by-year g.bar').count()).toBe(2);
      const box = await page.locator('svg#chart-funding-by-source').boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(await page.locator('svg#chart-funding-by-source rect.seg').first().getAttribute('width')).toBe('350');
      expect(await page.locator('h2#documents-vs-projects').textContent()).toBe(
        'What the documents say vs what the projects add up to',
      );
      await page.screenshot({ path: join(SHOTS, `overview-${kind}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  browserIt('navigates from the overview to a project page showing its funding by source', async () => {
    const { page, errors } = await open(`/programmes/${CODE}`);
    await Promise.all([
      page.waitForURL(`**/programmes/${CODE}/projects/ETRURIA`),
      page.getByRole('link', { name: 'Etruria Valley Enterprise Area' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Etruria Valley Enterprise Area');
    const caption = 'Etruria Valley Enterprise Area: funding by source';
    expect(await row(page, caption, 'Local Growth Fund award')).toEqual(['£2,400,000.00']);
    expect(await row(page, caption, 'Previously committed growth funding')).toEqual(['£8,200,000.00']);
    expect(await row(page, caption, 'Provisional Local Growth Fund allocation')).toEqual(['£16,100,000.00']);
    expect(await row(page, caption, 'Local partners’ match funding')).toEqual(['£2,500,000.00']);
    expect(await row(page, caption, 'Total')).toEqual(['£29,200,000.00']);
    expect(await page.locator('svg#chart-funding-by-source g.bar').count()).toBe(4);
    expect(await page.locator('blockquote.quote').first().textContent()).toContain('Etruria Valley Enterprise Area');
    await page.screenshot({ path: join(SHOTS, `project-${kind}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  browserIt('shows a change made through the API after a reload', async () => {
    const { page } = await open(`/programmes/${CODE}/projects/MEAFORD`);
    const before = await t.request('GET', `${P}/projects/MEAFORD`);
    const edit = await t.request('PATCH', `${P}/projects/MEAFORD`, {
      name: 'Meaford Energy Park employment site',
      description: 'Junction works on the A34 to open the former power station site.',
      version: before.body.version,
    });
    expect(edit.status).toBe(200);
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('Meaford Energy Park employment site');
    expect(await page.locator('p.lede').textContent()).toBe(
      'Junction works on the A34 to open the former power station site.',
    );
    await page.goto(`${base}/programmes/${CODE}`);
    expect(await page.getByRole('link', { name: 'Meaford Energy Park employment site' }).count()).toBe(1);
    await page.close();
  });

  browserIt(
    'prints the committee briefing to a seven-page PDF, the first page full, projects on landscape pages',
    async () => {
      const out = join(reportsDir(), `briefing-e2e-${kind}.pdf`);
      // Page 1: at a glance, then funding by source (parts follow each other, no half-empty page);
      // pages 2-3 (landscape): projects, the deal as agreed and now; pages 4–7: the figures that
      // do not agree, with their reasons, and the conflicts.
      expect(await printToPdf(`${base}/programmes/${CODE}/briefing`, out)).toBe(7);
      if (hasPdftotext()) {
        const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).split('\f');
        expect(text[0].trim()).toMatch(/^Committee briefing: Stoke-on-Trent and Staffordshire/);
        expect(text[0]).toContain('Funding promised, by source');
        expect(text[1].trim()).toMatch(/^Projects/);
        expect(text[2].trim()).toMatch(/^The deal as agreed, and now/);
        expect(text[3].trim()).toMatch(/^What the documents say vs what the projects add up to/);
        expect(text[1]).toContain('£29,200,000.00');
        expect(text[6]).toMatch(/page 7 of 7\s*$/);
      }
      const { page, errors } = await open(`/programmes/${CODE}/briefing`);
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(SHOTS, `briefing-print-${kind}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});

describe('dashboard section providers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('show nothing until a feature registers a section, then render it on the page and in the JSON', async () => {
    const { DashboardSections } = await import('../src/dashboard/sections');
    const before = await t.request('GET', `/programmes/${CODE}`);
    // The one section with something to show on the bare deal: its returns, none submitted, are overdue.
    expect(before.text.match(/id="section-[^"]*"/g)).toEqual(['id="section-returns-due"']);
    t.app.get(DashboardSections).register({
      id: 'spend',
      order: 400,
      pages: ['overview'],
      load: async (ctx) => ({
        id: 'spend',
        heading: 'Spend against profile',
        // Words, not markup: a section with no macro of its own shows its paragraphs.
        view: { paragraphs: [`Reporting quarter ${ctx.reportingQuarter}`] },
        data: { quarter: ctx.reportingQuarter },
        illustrative: true,
      }),
    });
    const page = await t.request('GET', `/programmes/${CODE}`);
    expect(page.text).toContain(
      '<section id="section-spend"><h2>Spend against profile <span class="illustrative">(illustrative)</span></h2><p>Reporting quarter 2015-16 Q1</p></section>',
    );
    const json = await t.request('GET', `${P}/overview`);
    expect(json.body.sections.filter((s: { id: string }) => s.id !== 'returns-due')).toEqual([
      { id: 'spend', heading: 'Spend against profile', data: { quarter: '2015-16 Q1' }, illustrative: true },
    ]);
    expect((await t.request('GET', `/programmes/${CODE}/projects/ETRURIA`)).text).not.toContain('section-spend');
  });
});
