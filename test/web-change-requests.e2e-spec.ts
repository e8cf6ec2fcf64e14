import { SYSTEM_ACTOR } from '../src/auth/actor';
import { parsePounds } from '../src/common/money';
import { findProgramme } from '../src/programmes/programme-lookup';
import { Project } from '../src/projects/project.entity';
import { SpendService } from '../src/spend/spend.service';
import { DENIAL_HEADER } from '../src/web/web-exception.filter';
import { databaseKinds } from './support/databases';
import { queryCounter } from './support/queries';
import { startTestApp, tableCounts, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

const CODE = 'SSLEP-GD-2014';
const NEW = '/manage/change-requests/new';
const page = (n: number) => `/manage/change-requests/${n}?programme=${CODE}`;

/** The error summary's items: "href text". */
function summary(html: string): string[] {
  const start = html.indexOf('govuk-error-summary__list');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => `${m[1]} ${pageText(m[2])}`);
}

/** The rows of the table marked `data-<name>`, each as its cells' text. */
function table(html: string, name: string): string[][] {
  const start = html.indexOf(`data-${name}`);
  if (start < 0) return [];
  const body = html.slice(html.indexOf('<tbody', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((r) =>
    [...r[0].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => pageText(c[1])),
  );
}

/** Whether the page has a button reading `text`. */
const button = (html: string, text: string) => new RegExp(`<button[^>]*>\\s*${text}\\s*</button>`).test(html);

/** A select's option value by (part of) its label: what a person picks by name. */
function optionValue(html: string, name: string, label: string): string {
  const start = html.indexOf(`name="${name}"`);
  const select = html.slice(start, html.indexOf('</select>', start));
  const m = [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].find((o) => o[2].includes(label));
  if (!m) throw new Error(`no option "${label}" in ${name}`);
  return m[1];
}

describe.each(databaseKinds())('change requests in the staff pages on %s', (kind) => {
  let t: TestApp;
  let pm: WebClient;
  let approver: WebClient;
  let admin: WebClient;
  let viewer: WebClient;

  const baseline = async () =>
    Object.fromEntries(
      (
        (await t.ds.query(
          `SELECT l.quarter AS quarter, l.baseline_pence AS pence FROM spend_profile l JOIN project p ON p.id = l.project_id
           WHERE p.code = 'SWAR' AND l.source_kind = 'LGF' ORDER BY l.quarter`,
        )) as { quarter: string; pence: string | number }[]
      ).map((r) => [r.quarter, Number(r.pence)]),
    );

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    const spend = t.app.get(SpendService);
    await t.db.write(async (m) => {
      const prog = await findProgramme(m, CODE);
      const swar = await m.findOneByOrFail(Project, { programmeId: prog.id, code: 'SWAR' });
      const b = { '2015-16 Q3': '3000000.00', '2016-17 Q1': '500000.00' };
      await spend.applyBaseline(
        m,
        SYSTEM_ACTOR,
        prog.id,
        Object.entries(b).map(([quarter, v]) => ({
          projectId: swar.id,
          sourceKind: 'LGF',
          quarter,
          baselinePence: parsePounds(v),
        })),
      );
    });
    await makeUser(t.app, 'programme_manager', 'pm@test.invalid', ['SWAR']);
    await makeUser(t.app, 'approver', 'approver@test.invalid');
    await makeUser(t.app, 'admin', 'admin@test.invalid');
    await makeUser(t.app, 'viewer', 'viewer@test.invalid');
    pm = new WebClient(t.app, '10.4.0.1');
    approver = new WebClient(t.app, '10.4.0.2');
    admin = new WebClient(t.app, '10.4.0.3');
    viewer = new WebClient(t.app, '10.4.0.4');
    expect((await pm.signIn('pm@test.invalid')).status).toBe(303);
    expect((await approver.signIn('approver@test.invalid')).status).toBe(303);
    expect((await admin.signIn('admin@test.invalid')).status).toBe(303);
    expect((await viewer.signIn('viewer@test.invalid')).status).toBe(303);
  }, 180_000);
  afterAll(async () => t?.close());

  const reprofile = (extra: Record<string, string> = {}) => ({
    programme: CODE,
    kind: 'reprofile_spend',
    project: 'SWAR',
    sourceKind: 'LGF',
    'moves-0-from': '2015-16 Q3',
    'moves-0-to': '2016-17 Q2',
    'moves-0-amount': '£1,250,000',
    title: 'Move SWAR spend into 2016-17',
    reason: 'Utilities diversion late',
    ...extra,
  });

  const SWAR_ROWS = [
    ['Spend: Stafford Western Access Route (SWAR), LGF', '2015-16 Q3 baseline', '£3,000,000.00', '£1,750,000.00'],
    ['Spend: Stafford Western Access Route (SWAR), LGF', '2016-17 Q2 baseline', '£0.00', '£1,250,000.00'],
  ];
  let n: number;

  it('a programme manager raises a re-profile of spend in the form and sees the exact before and after', async () => {
    const list = await pm.get(`/manage/change-requests?programme=${CODE}`);
    expect(list.status).toBe(200);
    expect(pageText(list.body)).toContain('Create a change request');
    const chooser = await pm.get(`${NEW}?programme=${CODE}`);
    expect(pageText(chooser.body)).toContain('What kind of change is it?');
    expect(chooser.body).toContain('value="reprofile_spend"');
    const form = await pm.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`);
    expect(form.status).toBe(200);
    // Chosen by name, never by id: the project's name and code, the source's label, the quarter's label.
    expect(optionValue(form.body, 'project', 'Stafford Western Access Route (SWAR)')).toBe('SWAR');
    expect(optionValue(form.body, 'sourceKind', 'Local Growth Fund award (LGF)')).toBe('LGF');
    expect(optionValue(form.body, 'moves-0-from', '2016-17 Q2')).toBe('2016-17 Q2');
    const before = await baseline();
    expect(before).toEqual({ '2015-16 Q3': 300_000_000, '2016-17 Q1': 50_000_000 });

    const res = await pm.post(NEW, reprofile());
    expect(res.status).toBe(303);
    n = Number(/change-requests\/(\d+)\?/.exec(res.location!)![1]);
    expect(res.location).toBe(page(n));
    const draft = await pm.get(page(n));
    const text = pageText(draft.body);
    expect(text).toContain(`Change request ${n} drafted: check the before and after, then submit it for approval`);
    expect(text).toContain('Move SWAR spend into 2016-17 Draft');
    expect(text).toContain(
      'Move £1,250,000.00 of Stafford Western Access Route’s Local Growth Fund award baseline spend from 2015-16 Q3 to 2016-17 Q2 (same total).',
    );
    expect(text).toContain(
      'What approving it would change, worked out now against the current figures. Nothing has moved yet.',
    );
    expect(table(draft.body, 'before-after')).toEqual(SWAR_ROWS);
    expect(table(draft.body, 'history').map((r) => r.slice(0, 2))).toEqual([['Drafted', 'Web programme manager pm']]);
    // The preview moved nothing.
    expect(await baseline()).toEqual(before);
    expect(button(draft.body, 'Submit for approval')).toBe(true);
    expect(button(draft.body, 'Approve')).toBe(false);

    const submitted = await pm.post(`/manage/change-requests/${n}/submit`, { programme: CODE, version: '1' });
    expect(submitted.status).toBe(303);
    const after = await pm.get(page(n));
    expect(pageText(after.body)).toContain(`Change request ${n} submitted for approval`);
    expect(pageText(after.body)).toContain('Move SWAR spend into 2016-17 Submitted');
    expect(table(after.body, 'history').map((r) => r.slice(0, 2))).toEqual([
      ['Drafted', 'Web programme manager pm'],
      ['Submitted for approval', 'Web programme manager pm'],
    ]);
    expect(button(after.body, 'Submit for approval')).toBe(false);
    expect(await baseline()).toEqual(before);
  }, 120_000);

  it('the drafter cannot approve (403, the rule named); an admin who submitted cannot decide it either', async () => {
    const refused = await pm.post(`/manage/change-requests/${n}/approve`, { programme: CODE, project: 'SWAR' });
    expect(refused.status).toBe(403);
    expect(refused.headers[DENIAL_HEADER]).toBe('ROLE_NOT_ALLOWED');
    // Separation of duties, as the API enforces it: the submitter never decides, whatever the role.
    const form = await admin.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`);
    expect(form.status).toBe(200);
    const own = await admin.post(NEW, reprofile({ 'moves-0-amount': '1000', title: 'Admin’s own' }));
    expect(own.status).toBe(303);
    const m = Number(/change-requests\/(\d+)\?/.exec(own.location!)![1]);
    expect((await admin.post(`/manage/change-requests/${m}/submit`, { programme: CODE })).status).toBe(303);
    const mine = await admin.get(page(m));
    expect(pageText(mine.body)).toContain(
      'You submitted this change request, so someone else must approve or reject it (separation of duties).',
    );
    expect(button(mine.body, 'Approve')).toBe(false);
    const sod = await admin.post(`/manage/change-requests/${m}/approve`, { programme: CODE });
    expect(sod.status).toBe(403);
    expect(pageText(sod.body)).toContain('someone else must decide it (separation of duties)');
    // Withdrawn by its author: it no longer waits for a decision.
    expect((await admin.post(`/manage/change-requests/${m}/withdraw`, { programme: CODE })).status).toBe(303);
    expect(pageText((await admin.get(page(m))).body)).toContain('Admin’s own Withdrawn');
  }, 120_000);

  it('the approver sees the notice, needs a reason to reject, and approves: the figures move to the penny', async () => {
    const notices = await approver.get('/manage/notices');
    expect(pageText(notices.body)).toContain('1 change request is waiting for a decision');
    expect(pageText(notices.body)).toMatch(/Notices\s*1\b/);
    expect(notices.body).toContain('href="/manage/change-requests"');
    const pending = await approver.get(`/manage/change-requests?programme=${CODE}&state=submitted`);
    expect(pageText(pending.body)).toContain('1 change request with status submitted.');
    expect(table(pending.body, 'changes').map((r) => [r[0], r[3]])).toEqual([[String(n), 'Submitted']]);

    const view = await approver.get(page(n));
    expect(button(view.body, 'Approve')).toBe(true);
    expect(button(view.body, 'Reject')).toBe(true);
    expect(table(view.body, 'before-after')).toEqual(SWAR_ROWS);

    const counts = await tableCounts(t.ds);
    const noReason = await approver.post(`/manage/change-requests/${n}/reject`, { programme: CODE, reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(summary(noReason.body)).toEqual(['#reason Enter the reason for rejecting']);
    expect(pageText(noReason.body)).toContain('Move SWAR spend into 2016-17 Submitted');
    expect(await tableCounts(t.ds)).toEqual(counts);

    const ok = await approver.post(`/manage/change-requests/${n}/approve`, {
      programme: CODE,
      version: '2',
      reason: 'Board, 1 September 2015',
    });
    expect(ok.status).toBe(303);
    expect(await baseline()).toEqual({
      '2015-16 Q3': 175_000_000,
      '2016-17 Q1': 50_000_000,
      '2016-17 Q2': 125_000_000,
    });
    const done = await approver.get(page(n));
    const text = pageText(done.body);
    expect(text).toContain(`Change request ${n} approved`);
    expect(text).toContain('Move SWAR spend into 2016-17 Approved');
    expect(text).toContain('Moved £1,250,000.00 of Stafford Western Access Route’s Local Growth Fund award');
    expect(text).toContain('What its approval changed, as recorded when it was approved.');
    expect(text).toContain('Decision reason Board, 1 September 2015');
    expect(table(done.body, 'before-after')).toEqual(SWAR_ROWS);
    const history = table(done.body, 'history');
    expect(history.map((r) => r.slice(0, 2))).toEqual([
      ['Drafted', 'Web programme manager pm'],
      ['Submitted for approval', 'Web programme manager pm'],
      ['Approved', 'Web approver approver'],
    ]);
    // Programme time (the quarter the decision belongs to) beside the wall clock.
    expect(history[2][2]).toMatch(/\(2015-16 Q1\)$/);
    expect(history[2][3]).toMatch(/^\d{1,2} \w+ \d{4} at \d{2}:\d{2}$/);
    expect(button(done.body, 'Approve')).toBe(false);
    expect(pageText((await approver.get('/manage/notices')).body)).not.toContain('waiting for a decision');
  }, 120_000);

  it('refuses bad input in each box with a 400 naming it, shows what was typed, and writes nothing', async () => {
    await pm.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`);
    const counts = await tableCounts(t.ds);
    const cases: [Record<string, string>, string[]][] = [
      [{ project: '' }, ['#project Choose the project']],
      [{ sourceKind: '' }, ['#sourceKind Choose the funding source']],
      [{ 'moves-0-from': '' }, ['#moves-0-from Choose the quarter move 1 takes money from']],
      [{ 'moves-0-to': '2015-16 Q3' }, ['#moves-0-to Move 1 must go to a different quarter from 2015-16 Q3']],
      [
        { 'moves-0-amount': 'lots' },
        ['#moves-0-amount Amount to move in move 1 must be an amount of money, like £1,234.50'],
      ],
      [
        { 'moves-0-amount': '12.345' },
        [
          '#moves-0-amount Amount to move in move 1 must be pounds and pence, like £1,234.50 (no more than two decimal places)',
        ],
      ],
      [{ 'moves-0-amount': '-5' }, ['#moves-0-amount Amount to move in move 1 must be £0.00 or more']],
      [
        { 'moves-0-from': '', 'moves-0-to': '', 'moves-0-amount': '' },
        ['#moves-0-from Enter at least one move: a from quarter, a to quarter and an amount'],
      ],
      [{ title: '' }, ['#title Enter the title']],
      [{ reason: ' ' }, ['#reason Enter the reason for the change']],
    ];
    for (const [change, expected] of cases) {
      const res = await pm.post(NEW, reprofile(change));
      expect([JSON.stringify(change), res.status]).toEqual([JSON.stringify(change), 400]);
      expect(summary(res.body)).toEqual(expected);
    }
    // What was typed comes back.
    const typed = await pm.post(NEW, reprofile({ 'moves-0-amount': 'lots', title: 'Kept title' }));
    expect(typed.body).toContain('value="lots"');
    expect(typed.body).toContain('value="Kept title"');
    expect(typed.body).toMatch(/<option value="2016-17 Q2" selected>/);
    // The kind's own rules, on the box that caused them (422: well formed, but not allowed).
    const rules: [Record<string, string>, string][] = [
      [
        { sourceKind: 'PRIVATE_MATCH' },
        '#sourceKind Funding source: SWAR holds no approved PRIVATE_MATCH allocation, so it has no PRIVATE_MATCH spend profile to re-profile',
      ],
      [
        { 'moves-0-from': '2016-17 Q3' },
        '#moves-0-amount Amount to move (line 1): would take the 2016-17 Q3 baseline from £0.00 to -£1,250,000.00: a baseline cannot go below £0.00',
      ],
    ];
    for (const [change, expected] of rules) {
      const res = await pm.post(NEW, reprofile(change));
      expect([JSON.stringify(change), res.status]).toEqual([JSON.stringify(change), 422]);
      expect(summary(res.body)).toEqual([expected]);
    }
    // A project the programme does not have (an admin: a manager is refused it as not theirs, below).
    await admin.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`);
    const nope = await admin.post(NEW, reprofile({ project: 'NOPE' }));
    expect(nope.status).toBe(422);
    expect(summary(nope.body)).toEqual(['#project Project: project "NOPE" does not exist in this programme']);
    // Another project's manager is refused by name before anything is read.
    const other = await pm.post(NEW, reprofile({ project: 'ETRURIA' }));
    expect(other.status).toBe(403);
    expect(other.headers[DENIAL_HEADER]).toBe('PROJECT_NOT_ASSIGNED');
    // An unknown kind goes back to the chooser.
    const unknown = await pm.post(NEW, { programme: CODE, kind: 'teleport' });
    expect(unknown.status).toBe(400);
    expect(summary(unknown.body)).toEqual(['#kind Choose a kind of change from the list']);
    expect(await tableCounts(t.ds)).toEqual(counts);
  }, 180_000);

  it('rejects with a reason: nothing moves, the reason is shown; the list filters by status', async () => {
    await pm.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`);
    const res = await pm.post(
      NEW,
      reprofile({
        'moves-0-from': '2016-17 Q2',
        'moves-0-to': '2017-18 Q1',
        'moves-0-amount': '100,000.50',
        title: 'Later still',
      }),
    );
    expect(res.status).toBe(303);
    const m = Number(/change-requests\/(\d+)\?/.exec(res.location!)![1]);
    const draft = await pm.get(page(m));
    expect(table(draft.body, 'before-after')).toEqual([
      ['Spend: Stafford Western Access Route (SWAR), LGF', '2016-17 Q2 baseline', '£1,250,000.00', '£1,149,999.50'],
      ['Spend: Stafford Western Access Route (SWAR), LGF', '2017-18 Q1 baseline', '£0.00', '£100,000.50'],
    ]);
    expect((await pm.post(`/manage/change-requests/${m}/submit`, { programme: CODE })).status).toBe(303);
    const before = await baseline();
    await approver.get(page(m));
    const rejected = await approver.post(`/manage/change-requests/${m}/reject`, {
      programme: CODE,
      reason: 'The contractor’s programme does not support it',
    });
    expect(rejected.status).toBe(303);
    const text = pageText((await approver.get(page(m))).body);
    expect(text).toContain('Later still Rejected');
    expect(text).toContain('Nothing moved: it was rejected.');
    expect(text).toContain('Decision reason The contractor’s programme does not support it');
    expect(await baseline()).toEqual(before);
    // A decided request cannot be decided again (409, said on its page).
    const again = await approver.post(`/manage/change-requests/${m}/approve`, { programme: CODE });
    expect(again.status).toBe(409);
    expect(summary(again.body)).toEqual([
      `#decision Change request ${m} is rejected: only a submitted change request can be approved`,
    ]);

    const all = await viewer.get(`/manage/change-requests?programme=${CODE}`);
    expect(pageText(all.body)).toContain('3 change requests.');
    expect(table(all.body, 'changes').map((r) => [r[0], r[3]])).toEqual([
      [String(m), 'Rejected'],
      [String(m - 1), 'Withdrawn'],
      [String(n), 'Approved'],
    ]);
    expect(button(all.body, 'Create a change request')).toBe(false);
    const approved = await viewer.get(`/manage/change-requests?programme=${CODE}&state=approved`);
    expect(pageText(approved.body)).toContain('1 change request with status approved.');
    expect(table(approved.body, 'changes').map((r) => r[0])).toEqual([String(n)]);
    // A page that does not exist is a 404, never a 500.
    expect((await viewer.get('/manage/change-requests/abc')).status).toBe(404);
    expect((await viewer.get(`/manage/change-requests/999?programme=${CODE}`)).status).toBe(404);
    expect((await viewer.get(`/manage/change-requests?programme=NOPE`)).status).toBe(404);
  }, 120_000);

  it('renders the list, a form and a change’s page from a bounded number of queries', async () => {
    const q = queryCounter(t.ds);
    try {
      // Each measured after one warm-up (a session's idle clock is written at most once a minute).
      const measure = async (fn: () => Promise<unknown>) => {
        await fn();
        return q.count(fn);
      };
      const list1 = await measure(() => viewer.get(`/manage/change-requests?programme=${CODE}`));
      const page1 = await measure(() => viewer.get(page(n)));
      const form1 = await measure(() => pm.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`));
      // Five more requests: the same number of queries.
      for (let i = 0; i < 5; i++) {
        const res = await pm.post(
          NEW,
          reprofile({ 'moves-0-from': '2016-17 Q2', 'moves-0-to': '2018-19 Q1', 'moves-0-amount': `${i + 1}` }),
        );
        expect(res.status).toBe(303);
      }
      expect(await measure(() => viewer.get(`/manage/change-requests?programme=${CODE}`))).toBe(list1);
      expect(await measure(() => viewer.get(page(n)))).toBe(page1);
      expect(await measure(() => pm.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`))).toBe(form1);
      console.log(`change request pages (${kind}): list ${list1}, page ${page1}, form ${form1} queries`);
      expect(list1).toBeLessThanOrEqual(25);
      expect(page1).toBeLessThanOrEqual(40);
      expect(form1).toBeLessThanOrEqual(25);
    } finally {
      q.restore();
    }
  }, 120_000);
});
