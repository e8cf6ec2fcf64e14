/**
 * Issue 16, "one jobs number": delivered outputs, shown as a fact, count to the end of the last
 * submitted quarter (DESIGN.md, Clarifications 2026-12), on every surface: the dashboard, the
 * quarterly return and `reconcile` (API and command line), with the definition beside them.
 *
 * Worked from seeds/demo-delivery.json: submitted 2015-16 Q1 to 2016-17 Q3; jobs claimed in
 * those quarters sum to 102 (no shared claim is public yet). 2016-17 Q4 adds Lichfield's 45
 * (EMPLOYER: NORTHGATE LOGISTICS, also claimed by Bericote for 30: counted once, so +45 - 30)
 * and more, 117 in all to the end of 2016-17 Q4.
 */
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const P = '/api/programmes/SSLEP-GD-2014';

interface Row {
  headline: string;
  check: string;
  computed: unknown;
}

describe.each(databaseKinds())('one jobs number on every surface (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  /** B-JOBS ("at least 5,000 jobs by 2021") as delivered on each surface, with the words beside it. */
  const surfaces = async (returnQuarter: string) => {
    const overview = (await t.anonymous('GET', `${P}/overview`)).body;
    const page = (await t.anonymous('GET', '/programmes/SSLEP-GD-2014')).text.replace(/\s+/g, ' ');
    const card = /<span class="big">([\d,]+)<\/span>jobs delivered so far/.exec(page);
    const api = (await t.request('GET', `${P}/reconciliation`)).body;
    const cliRun = await cli(['reconcile', '--programme', 'SSLEP-GD-2014', '--format', 'json'], t.env);
    expect(cliRun.code).toBe(0);
    const cliJson = JSON.parse(cliRun.out);
    const ret = (await t.request('GET', `${P}/returns/${returnQuarter}`)).body.return;
    const recon = ret.sections.find((s: { key: string }) => s.key === 'reconciliation');
    const row = recon.rows.find((r: Row) => r.headline === 'B-JOBS' && r.check === 'outputs') as Row;
    const line = (body: { lines: { headlineCode: string; check: string; computed: number }[] }) =>
      body.lines.find((l) => l.headlineCode === 'B-JOBS' && l.check === 'outputs')!;
    return {
      dashboard: overview.promises.find((p: { code: string }) => p.code === 'B-JOBS').delivered,
      dashboardCard: Number(card?.[1].replace(/,/g, '')),
      return: typeof row.computed === 'object' ? (row.computed as { value: number }).value : row.computed,
      reconcileApi: line(api).computed,
      reconcileCli: line(cliJson).computed,
      definitions: [overview.delivered.definition, api.delivered.definition, cliJson.delivered.definition],
      page,
      apiLine: line(api) as unknown as { explanation: string },
    };
  };

  it('the demo: 102 jobs to the end of 2016-17 Q3 on the dashboard, the return and reconcile', async () => {
    const s = await surfaces('2016-17-Q4');
    expect([s.dashboard, s.dashboardCard, s.return, s.reconcileApi, s.reconcileCli]).toEqual([102, 102, 102, 102, 102]);
    const words =
      'Delivered counts outputs to the end of 2016-17 Q3, the last submitted quarter; each shared claim is counted once.';
    expect(s.definitions).toEqual([words, words, words]);
    expect(s.page).toContain(
      `<span class="big">102</span>jobs delivered so far, against at least 5,000 promised <span class="illustrative">(illustrative)</span> <span class="definition">${words}</span>`,
    );
    expect(s.page).toContain(`<p>${words} The promises are the deal documents' own figures.</p>`);
    expect(s.apiLine.explanation).toContain(words);
    // The frozen 2016-17 Q3 return says the same: frozen as the last submitted quarter.
    const q3 = await surfaces('2016-17-Q3');
    expect(q3.return).toBe(102);
  });

  it('where they differed (a claim recorded after the last submitted quarter): one number, 117, everywhere', async () => {
    // Submit 2016-17 Q4, then record 20 jobs in the new reporting quarter 2017-18 Q1. Before, the
    // dashboard counted 117 (submitted quarters), `reconcile` every claim (137) and the draft
    // 2017-18 Q1 return its own quarter too (137).
    const live = (await t.request('GET', `${P}/returns/2016-17-Q4?live=true`)).body.return;
    const comments = Object.fromEntries(
      live.checks
        .filter((c: { severity: string }) => c.severity === 'warning')
        .map((c: { code: string }) => [c.code, `test comment on ${c.code}`]),
    );
    expect((await t.request('POST', `${P}/returns/2016-17-Q4/submit`, { comments })).status).toBe(201);
    const add = await t.request('POST', `${P}/projects/BERICOTE/outputs/JOBS_CREATED/actuals`, {
      quarter: '2017-18 Q1',
      value: 20,
      claimKey: 'EMPLOYER: ONE JOBS NUMBER TEST',
    });
    expect(add.status).toBe(201);
    const draft = await surfaces('2017-18-Q1');
    expect([draft.dashboard, draft.dashboardCard, draft.return, draft.reconcileApi, draft.reconcileCli]).toEqual([
      117, 117, 117, 117, 117,
    ]);
    const words =
      'Delivered counts outputs to the end of 2016-17 Q4, the last submitted quarter; each shared claim is counted once.';
    expect(draft.definitions).toEqual([words, words, words]);
    const frozen = await surfaces('2016-17-Q4');
    expect(frozen.return).toBe(117);
  });
});
