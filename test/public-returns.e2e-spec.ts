import { displayPounds, parsePounds } from '../src/common/money';
import { databaseKinds } from './support/databases';
import { CAPITAL_2014 } from './support/deal-2014';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The public list of submitted returns (issue 16: "a public list of submitted returns by quarter
 * with their summary figures"): the latest version of each quarter, its figures exactly as its
 * frozen summary states them, and a resubmission replacing the row, never adding one.
 */
const CODE = 'SSLEP-GD-2014';
const R = `/api/programmes/${CODE}/returns`;
const PAGE = `/programmes/${CODE}/returns`;

/** The cells of one row of the page's table, as text. */
function rowCells(page: string, quarter: string): string[] {
  const start = page.indexOf(`<tr data-quarter="${quarter}">`);
  if (start < 0) return [];
  const row = page.slice(start, page.indexOf('</tr>', start));
  return [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
}

describe.each(databaseKinds())('public list of submitted returns on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it('lists each submitted quarter, newest first, with the capital totals its frozen summary states', async () => {
    const list = await t.request('GET', R);
    const quarters = [...new Set<string>(list.body.items.map((i: { quarter: string }) => i.quarter))].reverse();
    expect(quarters.length).toBeGreaterThanOrEqual(4);
    const page = await t.anonymous('GET', PAGE);
    expect(page.status).toBe(200);
    expect([...page.text.matchAll(/<tr data-quarter="([^"]+)">/g)].map((m) => m[1])).toEqual(quarters);
    // Demo spend is illustrative: the page and every row say so.
    expect(page.text).toContain('<strong>Illustrative data.</strong>');

    for (const quarter of quarters) {
      const frozen = await t.request('GET', `${R}/${quarter.replace(' ', '-')}/versions/1`);
      const capital = frozen.body.sections[0].totals.find(
        (x: { where?: { equals: string } }) => x.where?.equals === 'capital',
      ).values;
      const shown = (s: string) => displayPounds(parsePounds(s));
      expect(rowCells(page.text, quarter)).toEqual([
        `${quarter} (illustrative)`,
        '1',
        expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4}$/),
        shown(capital.spendInQuarter),
        shown(capital.spendToDate),
        shown(capital.forecastProgramme),
        shown(capital.forecastVariance),
        // Nothing in the demo changes the capital envelope of the deal as loaded.
        displayPounds(parsePounds(CAPITAL_2014)),
        String(frozen.body.cover.checkCounts.warning),
      ]);
    }
    const overview = await t.anonymous('GET', `/programmes/${CODE}`);
    expect(overview.text).toContain(`<a href="${PAGE}">Submitted returns</a>`);
  });

  it('a resubmission replaces its quarter in the list with the new version', async () => {
    const list = await t.request('GET', R);
    const latest: string = list.body.items[list.body.items.length - 1].quarter;
    const before = await t.anonymous('GET', PAGE);
    const rows = [...before.text.matchAll(/<tr data-quarter=/g)].length;
    const live = await t.request('GET', `${R}/${latest.replace(' ', '-')}?live=true`);
    const comments = Object.fromEntries(
      live.body.return.checks
        .filter((c: { severity: string }) => c.severity === 'warning')
        .map((c: { code: string }) => [c.code, 'Answered again for the resubmission']),
    );
    const v2 = await t.request('POST', `${R}/${latest.replace(' ', '-')}/submit`, {
      reason: 'Corrected narrative for the committee',
      comments,
    });
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);
    const after = await t.anonymous('GET', PAGE);
    expect([...after.text.matchAll(/<tr data-quarter=/g)].length).toBe(rows);
    expect(rowCells(after.text, latest)[1]).toBe('2');
  });
});

describe('public list of submitted returns before any return', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('says so rather than showing an empty table', async () => {
    const page = await t.anonymous('GET', PAGE);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<p>No quarterly return has been submitted yet.</p>');
    expect(page.text).not.toContain('<table');
    expect((await t.anonymous('GET', '/programmes/NOPE/returns')).status).toBe(404);
  });
});
