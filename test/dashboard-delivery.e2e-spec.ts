import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { reportsDir } from '../src/common/paths';
import { launchChromium, printToPdf } from '../src/dashboard/briefing';
import { pdftotextAvailable } from './support/pdftotext';
import { chromiumForTests } from './support/chromium';
import { Allocation } from '../src/funding/allocation.entity';
import { Milestone } from '../src/milestones/milestone.entity';
import { Programme } from '../src/programmes/programme.entity';
import { Project } from '../src/projects/project.entity';
import { SpendProfileLine } from '../src/spend/spend.entities';
import { databaseKinds } from './support/databases';
import { queryCounter } from './support/queries';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The delivery sections on an app started with DEMO_DATA=true. Expected figures are worked
 * out by hand from seeds/demo-delivery.json (closed quarters 2015-16 Q1 to 2016-17 Q3; the
 * reporting quarter 2016-17 Q4 is not submitted):
 * - spend to date to 2016-17 Q3: baseline 40,139,778.00, actual 37,479,706.00 (−2,660,072.00);
 *   the whole baseline profile 86,600,000.00; in 2016-17 Q3 alone 7,688,509.00 vs 6,956,767.00.
 * - jobs delivered in submitted quarters: Etruria 60 (Q2) + Bericote 30 (Q3) + Lichfield 12 (Q3)
 *   = 102 (Lichfield's 45 of Q4 is not submitted, so the Northgate double claim is not yet public);
 *   homes: Stafford Western Access Route 18 (Q3; Lichfield's 24 is Q4).
 * - late milestones (2 of 40, DESIGN.md BRAG: complete is blue however late): Meaford start on
 *   site 138 days (overdue: forecast passed, no actual) and Branston completion 45 (slipped, open);
 *   completed late, listed but not counted late: LSTP contract award 57 (after its re-baseline)
 *   and start on site 120, Branston start on site 45, SWAR start on site 14.
 * - RAG: red Branston (2016-17 spend 48.1 % of profile: underspend risk) and Meaford (overdue
 *   start on site; jobs forecast 71.4 % of target); amber Lichfield (homes forecast 88.8 %) and
 *   SWAR (2016-17 spend 91.4 %); green AMSH, Bericote, Etruria, LSTP.
 */
const CODE = 'SSLEP-GD-2014';
const P = `/api/programmes/${CODE}`;
const SHOTS = join(reportsDir(), 'screenshots');

const haveChromium = chromiumForTests('delivery browser tests');
const browserIt = haveChromium ? it : it.skip;
const hasPdftotext = () => pdftotextAvailable('delivery briefing text checks');

let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
beforeAll(async () => {
  if (haveChromium) {
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }
});
afterAll(async () => browser?.close());

describe.each(databaseKinds())('delivery dashboard (illustrative demo) on %s', (kind) => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    // The shared browser keeps keep-alive connections to this app: drop them so it can close.
    (t?.app.getHttpServer() as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await t?.close();
  });
  // A failed assertion must not leave a page holding a connection open (the app would not close).
  afterEach(async () => {
    for (const p of browser?.context.pages() ?? []) await p.close();
  });

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser!.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${base}${url}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    return { page, errors };
  }

  /** Cells of the row headed `label` in the table selected by `table`. */
  const row = (page: Page, table: string, label: string) =>
    page.$$eval(
      `${table} tr`,
      (trs, lab) => {
        const r = trs.find((tr) => tr.querySelector('th')?.textContent?.trim() === lab);
        return r ? [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()) : [];
      },
      label,
    );

  it('serves the sections as public JSON and CSV with the exact figures', async () => {
    const o = await t.anonymous('GET', `${P}/overview`);
    expect(o.status).toBe(200);
    const spend = o.body.sections.find((s: { id: string }) => s.id === 'spend-to-date');
    expect(spend.data).toMatchObject({
      lastSubmittedQuarter: '2016-17 Q3',
      notYetSubmitted: '2016-17 Q4',
      spentToDate: '37479706.00',
      profiledToDate: '40139778.00',
      variance: '-2660072.00',
      wholeProfile: '86600000.00',
    });
    expect(spend.illustrative).toBe(true);
    expect(o.body.promises.map((p: { code: string; delivered: number }) => [p.code, p.delivered])).toEqual(
      expect.arrayContaining([
        ['B-JOBS', 102],
        ['B-HOMES', 18],
      ]),
    );
    const late = o.body.sections.find((s: { id: string }) => s.id === 'late-milestones').data;
    expect(late.milestones).toBe(40);
    expect(
      late.late.map(
        (l: { project: string; title: string; daysLate: number }) => `${l.project} ${l.title} ${l.daysLate}`,
      ),
    ).toEqual([
      'MEAFORD Start on site 138',
      'LSTP Start on site 120',
      // Re-baselined from 29 July to 30 September 2016 by the demo's approved change request
      // (seeds/demo-changes.json); its actual, 26 November 2016, is now 57 days late.
      'LSTP Main contract awarded 57',
      'BRANSTON Practical completion 45',
      'BRANSTON Start on site 45',
      'SWAR Start on site 14',
    ]);
    const csv = await t.anonymous('GET', `/programmes/${CODE}/data/spend-to-date.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n')[0]).toBe(',Baseline profile (cumulative) (£),Actual spend (cumulative) (£)');
    expect(csv.text).toContain(
      '\n2016-17 Q3,40139778.00,37479706.00\nIllustrative data: not from the source documents.\n',
    );
    expect(csv.text).not.toContain('2016-17 Q4');
    const ms = await t.anonymous('GET', `/programmes/${CODE}/projects/MEAFORD/data/milestones.csv`);
    expect(ms.text).toContain('\nStart on site,2016-09-30,2017-02-15,,138\n');
    const sp = await t.anonymous('GET', `/programmes/${CODE}/projects/MEAFORD/data/spend-by-quarter.csv`);
    expect(sp.text).toContain('\n2015-16 Q2,226666.00,226666.00,205666.00\n');
    const jobs = await t.anonymous('GET', `/programmes/${CODE}/data/jobs-homes-delivered.csv`);
    expect(jobs.text).toContain('\nJobs the deal will create by 2021 (deal document),5000,102\n');
    expect(jobs.text).toContain('\nNew homes the deal will allow by 2021 (deal document),1000,18\n');
  });

  it('renders the overview from a bounded number of queries that does not grow with the projects', async () => {
    const counter = queryCounter(t.ds);
    const count = (url: string) =>
      counter.count(async () => {
        expect((await t.anonymous('GET', url)).status).toBe(200);
      });
    const prog = await t.ds.getRepository(Programme).findOneByOrFail({ code: CODE });
    try {
      const before = await count(`/programmes/${CODE}`);
      // 30 more projects, each with an approved allocation, a spend line and a milestone
      // (fixtures written directly), so every aggregate has more rows to sum.
      const now = new Date().toISOString();
      for (let i = 0; i < 30; i++) {
        const r = await t.ds
          .getRepository(Project)
          .insert({ programmeId: prog.id, code: `BULK-${i}`, name: `Bulk project ${i}`, status: 'approved' });
        const projectId = r.identifiers[0].id as number;
        await t.ds.getRepository(Allocation).insert({
          programmeId: prog.id,
          sourceKind: 'LOCAL_MATCH',
          projectId,
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
        await t.ds.getRepository(SpendProfileLine).insert({
          programmeId: prog.id,
          projectId,
          sourceKind: 'LOCAL_MATCH',
          quarter: '2016-17 Q1',
          baselinePence: 100,
          forecastPence: 100,
          actualPence: 100,
          illustrative: true,
          updatedAt: now,
        });
        await t.ds.getRepository(Milestone).insert({
          programmeId: prog.id,
          projectId,
          code: null,
          kind: 'completion',
          title: 'Done',
          owner: null,
          baselineDate: '2016-01-01',
          forecastDate: '2016-01-01',
          actualDate: null,
          status: 'open',
          dueWords: null,
          dateInterpreted: false,
          notes: null,
          source: { document: 'test fixture', section: null, quote: null, printed: null, illustrative: true },
          updatedAt: now,
        });
      }
      const after = await count(`/programmes/${CODE}`);
      expect(after).toBe(before);
      // programme, reporting quarter, source kinds, allocation groups, projects, pools, headlines,
      // delivered outputs, illustrative outputs; RAG (reporting quarter, projects (which name its
      // spend lines and its rows), 3 spend aggregates, targets, metrics, illustrative flags); the
      // milestones (1, read once for the RAG and the late milestones); spend (2); RAG's last
      // submitted return (1) and delivered outputs to it (1); agreed vs now (4: current lines, the
      // approvals' allocation writes, approved requests, codes); returns due (1).
      expect(before).toBe(27);
      expect((await t.anonymous('GET', `/programmes/${CODE}`)).text).toContain('Bulk project 29');
    } finally {
      counter.restore();
      const bulk = `SELECT id FROM project WHERE code LIKE 'BULK-%'`;
      for (const table of ['allocation', 'spend_profile', 'milestone'])
        await t.ds.query(`DELETE FROM ${table} WHERE project_id IN (${bulk})`);
      await t.ds.query(`DELETE FROM project WHERE code LIKE 'BULK-%'`);
    }
  });

  it('answers the four questions at a glance: promised, spent, late, delivered', async () => {
    const page = (await t.anonymous('GET', `/programmes/${CODE}`)).text;
    const glance = page.slice(
      page.indexOf('id="delivery-glance"'),
      page.indexOf('</div>', page.indexOf('id="delivery-glance"')),
    );
    const text = glance.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    // Worked from seeds/demo-delivery.json: £37,479,706.00 actual against £40,139,778.00 profiled to
    // 2016-17 Q3; 2 of 40 project milestones late; 2 red, 2 amber, 4 green; 102 jobs delivered.
    expect(text).toContain('£37.5m spent to the end of 2016-17 Q3, against £40.1m profiled (illustrative)');
    expect(glance).toContain('title="£37,479,706.00"');
    expect(text).toContain(
      '2 of 40 project milestones late (1 overdue, 1 slipped; completed ones are not late) (illustrative)',
    );
    expect(text).toContain('2 red projects off track (2 amber, 4 green) (illustrative)');
    expect(text).toContain('102 jobs delivered so far, against at least 5,000 promised (illustrative)');
  });

  browserIt(
    'overview shows spend against profile, RAG, jobs and homes and late milestones, without console errors',
    async () => {
      const { page, errors } = await open(`/programmes/${CODE}`);
      const spend = page.locator('#section-spend-to-date');
      expect(await spend.locator('h2').textContent()).toBe('Spend to date against profile (illustrative)');
      const lede = (await spend.locator('p').first().textContent())!.replace(/\s+/g, ' ').trim();
      expect(lede).toContain(
        'By the end of 2016-17 Q3, the last quarter whose return has been submitted, £37.5m had been spent against £40.1m in the baseline profile: £2.7m behind profile (-£2,660,072.00). The whole baseline profile to the end of the programme is £86.6m.',
      );
      expect(await spend.locator('p.note').textContent()).toBe(
        'The current quarter, 2016-17 Q4, is not yet submitted and is not shown.',
      );
      expect(await row(page, '#table-spend-to-date', '2016-17 Q3')).toEqual(['£40,139,778.00', '£37,479,706.00']);
      expect(await row(page, '#table-spend-to-date', '2015-16 Q1')).toHaveLength(2);
      expect(await page.locator('#table-spend-to-date tbody tr').count()).toBe(7);
      expect(await page.locator('svg#chart-spend-to-date polyline').count()).toBe(2);
      expect(
        (await page.locator('svg#chart-spend-to-date polyline').first().getAttribute('points'))!.split(' '),
      ).toHaveLength(7);

      expect(await row(page, '#promises', 'Jobs the deal will create by 2021 (deal document)')).toEqual([
        'at least 5,000 jobs',
        '102 jobs',
        'Part B. The Growth Deal document (appendix)',
      ]);
      expect(
        (await row(page, '#promises', 'New homes the deal will allow by 2021 (deal document)')).slice(0, 2),
      ).toEqual(['1,000 homes', '18 homes']);
      expect(await page.locator('svg#chart-jobs-homes-delivered g.bar').count()).toBe(5);
      expect(await page.locator('svg#chart-jobs-homes-delivered rect.seg').count()).toBe(10);

      const rag = page.locator('#rag-summary');
      expect(await rag.locator('tbody tr').count()).toBe(8);
      expect((await rag.locator('tr[data-project="MEAFORD"] td').first().textContent())!.trim()).toBe('Red: off track');
      expect(await rag.locator('tr[data-project="MEAFORD"] td').nth(1).textContent()).toContain(
        'Start on site: overdue: forecast date 2017-02-15 is before the end of the reporting quarter (2017-03-31) and no actual date is recorded',
      );
      // LSTP's milestones were done late but are done: blue, so LSTP is no longer red for ever.
      expect((await rag.locator('tr[data-project="LSTP"] td').first().textContent())!.trim()).toBe('Green: on track');

      expect(await page.locator('#late-milestones tbody tr').count()).toBe(6);
      expect(await row(page, '#late-milestones', 'Meaford employment site')).toEqual([
        'Start on site',
        '2016-09-30',
        '2017-02-15 (forecast)',
        '138',
        'Forecast 15 February 2017 has passed with no completion recorded by 31 March 2017; it was 138 days after the baseline date.',
      ]);
      expect(await page.locator('p.banner.illustrative').count()).toBe(1);
      await page.screenshot({ path: join(SHOTS, `delivery-overview-${kind}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  browserIt('a project page shows its spend chart, milestone timeline, outputs and RAG', async () => {
    const { page, errors } = await open(`/programmes/${CODE}/projects/MEAFORD`);
    expect(await page.locator('svg#chart-spend-by-quarter polyline').count()).toBe(3);
    expect(await row(page, '#table-spend-by-quarter', '2015-16 Q2')).toEqual([
      '£226,666.00',
      '£226,666.00',
      '£205,666.00',
    ]);
    expect(await row(page, '#table-spend-by-quarter', '2016-17 Q4 (not yet submitted)')).toEqual([
      expect.stringMatching(/^£/),
      expect.stringMatching(/^£/),
      '–',
    ]);
    expect(await page.locator('svg#chart-milestones g.milestone').count()).toBe(5);
    expect(await page.locator('svg#chart-milestones g.milestone circle.forecast').count()).toBe(5);
    expect(await page.locator('svg#chart-milestones line.slip').count()).toBe(1);
    expect(await row(page, '#table-milestones', 'Start on site')).toEqual(['2016-09-30', '2017-02-15', '–', '138']);
    expect(await row(page, '#project-outputs', 'Jobs created (gross, FTE, permanent)')).toEqual(['700', '500', '0']);
    expect(await page.locator('#section-rag p').first().textContent()).toBe('Overall: Red: off track');
    // The demo's approved virement of 10 December 2015 (seeds/demo-changes.json) is Meaford's only decided change.
    expect(await page.locator('#change-history li').count()).toBe(1);
    expect(await page.locator('#change-history').textContent()).toContain(
      '10 December 2015: change request 1 approved',
    );
    expect(await page.locator('#change-history').textContent()).toContain(
      'Moved £200,000.00 of Local Growth Fund award from Meaford employment site to Lichfield Park employment site.',
    );
    await page.screenshot({ path: join(SHOTS, `delivery-project-${kind}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  browserIt('navigates to "what changed since the last return" with the quarter’s figures', async () => {
    const { page, errors } = await open(`/programmes/${CODE}`);
    await Promise.all([
      page.waitForURL(`**/programmes/${CODE}/changes-since-last-return`),
      page.getByRole('link', { name: 'What changed since the last return' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('What changed since the last return');
    expect(await page.locator('p.lede').textContent()).toMatch(
      /^The last submitted return is for 2016-17 Q3 \(version 1, submitted .+\)\. It is compared with the return before it, for 2016-17 Q2/,
    );
    expect(await page.locator('#quarter-spend').textContent()).toBe(
      'In 2016-17 Q3, £7.0m was spent (£6,956,767.00) against £7.7m in the baseline profile (£7,688,509.00): £0.7m less than profiled.',
    );
    expect(await page.locator('#outputs-in-quarter tbody tr').count()).toBe(4);
    expect(await row(page, '#outputs-in-quarter', 'Bericote Four Ashes employment site')).toEqual([
      'Jobs created (gross, FTE, permanent)',
      '30',
    ]);
    expect(await page.locator('#milestones-reached li').count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, `delivery-changes-${kind}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  browserIt(
    'an approved change request shows in the project’s change history after a reload; an undecided one never does',
    async () => {
      const CR = `${P}/change-requests`;
      const created = await t.request('POST', CR, {
        kind: 'put_on_hold',
        title: 'Pause Meaford junction works',
        reason: 'Highways England review of the A34 junction design',
        payload: { project: 'MEAFORD' },
      });
      expect(created.status).toBe(201);
      const n = created.body.number;
      expect((await t.request('POST', `${CR}/${n}/submit`, { version: created.body.version })).status).toBe(200);
      const { page, errors } = await open(`/programmes/${CODE}/projects/MEAFORD`);
      // Only the demo's decided virement is there: the submitted, undecided request is not public.
      expect(await page.locator('#change-history li').count()).toBe(1);
      expect(await page.content()).not.toContain('Pause Meaford junction works');
      const approver = await t.as('approver');
      const current = await t.request('GET', `${CR}/${n}`);
      const approved = await approver('POST', `${CR}/${n}/approve`, { version: current.body.version });
      expect(approved.status).toBe(200);
      await page.reload();
      const item = page.locator(`#change-history li[data-change="${n}"]`);
      expect(await item.count()).toBe(1);
      const text = (await item.textContent())!;
      expect(text).toContain(`change request ${n} approved`);
      expect(text).toContain('“Pause Meaford junction works”');
      expect(text).toContain('Reason given: Highways England review of the A34 junction design');
      await page.goto(`${base}/programmes/${CODE}/changes-since-last-return`);
      expect(await page.locator(`li[data-change="${n}"]`).count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  browserIt('prints the briefing with the delivery sections, in order, from a full first page', async () => {
    const out = join(reportsDir(), `briefing-delivery-${kind}.pdf`);
    const pages = await printToPdf(`${base}/programmes/${CODE}/briefing`, out);
    // Sections follow on rather than each starting a page (the first page is full): at a glance
    // and funding by source (1-2); projects (3, landscape); the deal as agreed, and now (4,
    // landscape); the figures that do not agree (5-9; with the demo, the jobs and homes lines
    // also say their outputs are illustrative, and the money lines what the illustrative
    // virement moved within them, as the reconciliation's JSON does); jobs and homes, then the
    // RAG summary (10-12); spend to date (13); late milestones (14).
    expect(pages).toBe(BRIEFING_PAGES);
    if (hasPdftotext()) {
      const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
      const pageText = text.split('\f');
      // The cards print side by side, so pdftotext interleaves their lines: check the pieces.
      for (const piece of ['£37.5m', '2 of 40', '2 red', '102', 'jobs delivered so far', 'project milestones'])
        expect(pageText[0]).toContain(piece);
      // Why figures cannot be compared is each line's own (the briefing once said no jobs had been
      // reported, beside 102 delivered): counted by what is compared, with the reasons one click away.
      const words = text.replace(/\s+/g, ' ');
      expect(words).not.toContain('no jobs or homes have been reported');
      expect(words).toMatch(
        /\d+ cannot be compared yet \(\d+ of money, \d+ of outputs or counts\): the reconciliation page on the dashboard says why for each, with the full list\./,
      );
      // The page on which a section's heading starts a line.
      const pageOf = (heading: string) =>
        pageText.findIndex((t) => t.split('\n').some((line) => line.startsWith(heading))) + 1;
      expect(
        [
          'Funding promised, by source',
          'Projects',
          'The deal as agreed, and now',
          'What the documents say vs what the projects add up to',
          'Jobs and homes delivered against the deal',
          'Projects at a glance: red, amber, green',
          'Spend to date against profile',
          'Milestones late, or completed late',
        ].map(pageOf),
      ).toEqual([1, 3, 4, 5, 10, 10, 13, 14]);
    }
  });
});

const BRIEFING_PAGES = 14;
