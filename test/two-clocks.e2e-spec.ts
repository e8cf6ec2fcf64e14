/**
 * Issue 16, "Two clocks" (DESIGN.md, Clarifications 2026-12): programme time decides which
 * quarter a change or a return belongs to; wall-clock time is recorded beside it. Each programme
 * has an as-of date (today unless it sets its own); a return not submitted by its due date (one
 * month after its quarter ends unless the programme says otherwise) is overdue against it.
 *
 * Every date here is fixed by the test (the as-of date is set through the API), so nothing
 * depends on the day the test runs or on TZ. Worked by hand:
 * - 2015-16 Q1 ends 30 June 2015: due 31 July 2015; Q2 due 31 October 2015; Q3 due 31 January
 *   2016; Q4 due 30 April 2016; 2016-17 Q1..Q3 due 31 July 2016, 31 October 2016, 31 January
 *   2017; 2016-17 Q4 (the demo's last quarter) due 30 April 2017, the demo's as-of date.
 * - As of 15 January 2016: Q1 is 168 days overdue (31 Jul -> 15 Jan: 31+30+31+30+31+15), Q2 76
 *   (30+31+15), Q3 due, Q4 open.
 * - Due three months after: Q1 due 30 September 2015, 107 days overdue on 15 January 2016
 *   (31+30+31+15); Q2 due 31 December 2015, 15 days overdue.
 */
import { TwoClocks1795200000000 } from '../src/database/migrations/1795200000000-two-clocks';
import { NoticesService } from '../src/web/notices/notices.service';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const CODE = 'SSLEP-GD-2014';
const P = `/api/programmes/${CODE}`;
const R = `${P}/returns`;
const PAGE = `/programmes/${CODE}`;

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
const sectionText = (html: string, id: string) => {
  const m = new RegExp(`<p id="${id}"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  return m ? text(m[1]) : null;
};

async function commentsFor(t: TestApp, quarter: string): Promise<Record<string, string>> {
  const draft = await t.request('GET', `${R}/${quarter}`);
  const warnings = (draft.body.return.checks as { code: string; severity: string }[]).filter(
    (c) => c.severity === 'warning',
  );
  return Object.fromEntries(warnings.map((w) => [w.code, 'Explained to the accountable body (test)']));
}

describe.each(databaseKinds())('two clocks: a programme that has submitted nothing (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('has an as-of date of today by default, and returns due one month after each quarter', async () => {
    const p = await t.request('GET', P);
    expect(p.body).toMatchObject({
      asOfDate: new Date().toISOString().slice(0, 10),
      asOfIsDefault: true,
      returnDueMonths: 1,
    });
  });

  it('refuses a bad as-of date or due months with a 400 naming the field', async () => {
    const version = (await t.request('GET', P)).body.version;
    const cases: [Record<string, unknown>, string][] = [
      [{ asOfDate: '2016-02-30' }, 'asOfDate'],
      [{ asOfDate: 'yesterday' }, 'asOfDate'],
      [{ asOfDate: 20160115 }, 'asOfDate'],
      [{ returnDueMonths: 13 }, 'returnDueMonths'],
      [{ returnDueMonths: -1 }, 'returnDueMonths'],
      [{ returnDueMonths: 1.5 }, 'returnDueMonths'],
      [{ returnDueMonths: '2' }, 'returnDueMonths'],
    ];
    for (const [body, field] of cases) {
      const res = await t.request('PATCH', P, { ...body, version });
      expect([res.status, res.body.message]).toEqual([400, expect.stringContaining(`${field}`)]);
      expect(res.body.message.startsWith(field)).toBe(true);
    }
    const early = await t.request('PATCH', P, { asOfDate: '2015-03-31', version });
    expect([early.status, early.body.message]).toEqual([
      400,
      "asOfDate: must be on or after startsOn (2015-04-01): the programme's own date cannot be before it starts",
    ]);
    expect((await t.request('GET', P)).body.version).toBe(version);
  });

  it('a programme that never submits shows its returns overdue, not silently stuck in its first quarter', async () => {
    const before = await t.request('GET', P);
    const set = await t.request('PATCH', P, { asOfDate: '2016-01-15', version: before.body.version });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ asOfDate: '2016-01-15', asOfIsDefault: false, returnDueMonths: 1 });
    // Audited in the same write, with the value before and after.
    const audit: { before: string; after: string }[] = await t.ds.query(
      "SELECT before, after FROM audit_entry WHERE entity = 'programme' AND action = 'update' ORDER BY id DESC",
    );
    expect(JSON.parse(audit[0].before).asOfDate).toBeNull();
    expect(JSON.parse(audit[0].after).asOfDate).toBe('2016-01-15');

    const list = await t.request('GET', R);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      reportingQuarter: '2015-16 Q1',
      asOfDate: '2016-01-15',
      asOfIsDefault: false,
      returnDueMonths: 1,
      overdue: ['2015-16 Q1', '2015-16 Q2'],
      items: [],
    });
    expect(list.body.schedule).toHaveLength(24);
    expect(
      list.body.schedule
        .slice(0, 5)
        .map((r: { quarter: string; dueOn: string; status: string; daysLate: number }) => [
          r.quarter,
          r.dueOn,
          r.status,
          r.daysLate,
        ]),
    ).toEqual([
      ['2015-16 Q1', '2015-07-31', 'overdue', 168],
      ['2015-16 Q2', '2015-10-31', 'overdue', 76],
      ['2015-16 Q3', '2016-01-31', 'due', 0],
      ['2015-16 Q4', '2016-04-30', 'open', 0],
      ['2016-17 Q1', '2016-07-31', 'future', 0],
    ]);

    const page = await t.anonymous('GET', PAGE);
    expect(page.status).toBe(200);
    expect(sectionText(page.text, 'returns-overdue')).toBe(
      '2 quarterly returns are overdue: the oldest, for 2015-16 Q1, was due 31 July 2015 (168 days ago).',
    );
    expect(text(page.text)).toContain(
      "0 of 24 quarterly returns submitted. A quarter's return is due one month after the quarter ends. Dates are judged as of 15 January 2016, the programme's own date",
    );
    const overview = await t.anonymous('GET', `${P}/overview`);
    const section = overview.body.sections.find((s: { id: string }) => s.id === 'returns-due');
    expect(section.data).toMatchObject({
      asOfDate: '2016-01-15',
      submitted: 0,
      quarters: 24,
      overdue: [
        { quarter: '2015-16 Q1', dueOn: '2015-07-31', daysOverdue: 168 },
        { quarter: '2015-16 Q2', dueOn: '2015-10-31', daysOverdue: 76 },
      ],
      due: [{ quarter: '2015-16 Q3', dueOn: '2016-01-31' }],
    });
  });

  it('the programme sets when returns are due; a late submission is stamped in programme time and shown late', async () => {
    const before = await t.request('GET', P);
    const set = await t.request('PATCH', P, { returnDueMonths: 3, version: before.body.version });
    expect([set.status, set.body.returnDueMonths]).toEqual([200, 3]);
    let list = await t.request('GET', R);
    expect(
      list.body.schedule.slice(0, 2).map((r: { dueOn: string; daysLate: number }) => [r.dueOn, r.daysLate]),
    ).toEqual([
      ['2015-09-30', 107],
      ['2015-12-31', 15],
    ]);

    const sub = await t.request('POST', `${R}/2015-16-Q1/submit`, { comments: await commentsFor(t, '2015-16-Q1') });
    expect(sub.status).toBe(201);
    // Programme time: the as-of date; the wall-clock instant is recorded beside it.
    expect(sub.body.submittedOn).toBe('2016-01-15');
    expect(sub.body.submittedAt.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    list = await t.request('GET', R);
    expect(list.body.overdue).toEqual(['2015-16 Q2']);
    expect(list.body.schedule[0]).toEqual({
      quarter: '2015-16 Q1',
      dueOn: '2015-09-30',
      status: 'submitted_late',
      submittedOn: '2016-01-15',
      daysLate: 107,
    });
    const page = await t.anonymous('GET', PAGE);
    expect(sectionText(page.text, 'returns-overdue')).toBe(
      '1 quarterly return is overdue: the oldest, for 2015-16 Q2, was due 31 December 2015 (15 days ago).',
    );
    expect(text(page.text)).toContain(
      "1 of 24 quarterly returns submitted, 1 after its due date (2015-16 Q1, 107 days late). A quarter's return is due 3 months after the quarter ends.",
    );
    // The public list of submitted returns dates it in programme time too.
    expect((await t.anonymous('GET', `${PAGE}/returns`)).text).toMatch(
      /<tr data-quarter="2015-16 Q1">(?:(?!<\/tr>)[\s\S])*<td>15 January 2016<\/td>/,
    );
  });

  it('the CLI lists each return with its due date and standing', async () => {
    const r = await cli(['return', 'list', '--programme', CODE], t.env);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 7)).toEqual([
      `${CODE}: as of 2016-01-15 (the programme's own date); a return is due 3 months after its quarter ends; reporting quarter 2015-16 Q2`,
      '2015-16 Q1  due 2015-09-30  submitted 2016-01-15 (107 days late), version 1',
      '2015-16 Q2  due 2015-12-31  OVERDUE by 15 days',
      '2015-16 Q3  due 2016-03-31  due, not yet submitted', // ended 31 December 2015
      '2015-16 Q4  due 2016-06-30  open (the quarter has not ended)',
      'overdue: 1 (2015-16 Q2)',
      '',
    ]);
  });

  it('finance users get a notice for overdue returns; other roles do not', async () => {
    const notices = t.app.get(NoticesService);
    const finance = await notices.list({ userId: null, name: 'finance officer', role: 'finance' });
    expect(finance.filter((n) => n.kind.startsWith('return'))).toEqual([
      {
        kind: 'return-overdue',
        text: 'The 2015-16 Q2 return for Stoke-on-Trent and Staffordshire Growth Deal (2014) is overdue: it was due 31 December 2015',
        href: `/manage/returns/2015-16-Q2?programme=${CODE}`,
      },
    ]);
    const viewer = await notices.list({ userId: null, name: 'viewer', role: 'viewer' });
    expect(viewer.filter((n) => n.kind.startsWith('return'))).toEqual([]);
  });

  it('resetting the as-of date (null) returns to today', async () => {
    const before = await t.request('GET', P);
    const reset = await t.request('PATCH', P, { asOfDate: null, returnDueMonths: null, version: before.body.version });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({
      asOfDate: new Date().toISOString().slice(0, 10),
      asOfIsDefault: true,
      returnDueMonths: 1,
    });
    // Today every return but 2015-16 Q1 is overdue: 23 of them.
    expect((await t.request('GET', R)).body.overdue).toHaveLength(23);
  });
});

describe.each(databaseKinds())('two clocks: the demo’s replayed history (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  const DUE = ['2015-07-31', '2015-10-31', '2016-01-31', '2016-04-30', '2016-07-31', '2016-10-31', '2017-01-31'];

  it('stands at its last quarter’s due date; its returns are stamped in programme time, on their due dates', async () => {
    const p = await t.request('GET', P);
    expect(p.body).toMatchObject({ asOfDate: '2017-04-30', asOfIsDefault: false, returnDueMonths: 1 });
    const list = await t.request('GET', R);
    expect(list.body.items.map((v: { quarter: string; submittedOn: string }) => [v.quarter, v.submittedOn])).toEqual([
      ['2015-16 Q1', DUE[0]],
      ['2015-16 Q2', DUE[1]],
      ['2015-16 Q3', DUE[2]],
      ['2015-16 Q4', DUE[3]],
      ['2016-17 Q1', DUE[4]],
      ['2016-17 Q2', DUE[5]],
      ['2016-17 Q3', DUE[6]],
    ]);
    expect(list.body.overdue).toEqual([]);
    expect(list.body.schedule[7]).toEqual({
      quarter: '2016-17 Q4',
      dueOn: '2017-04-30',
      status: 'due',
      submittedOn: null,
      daysLate: 0,
    });
    const page = await t.anonymous('GET', PAGE);
    expect(sectionText(page.text, 'returns-overdue')).toBe(
      'No quarterly return is overdue. The 2016-17 Q4 return is due by 30 April 2017.',
    );
  });

  it('"what changed since the last return" speaks in programme time, not "between 1 December 2026 and 1 December 2026"', async () => {
    const page = await t.anonymous('GET', `${PAGE}/changes-since-last-return`);
    expect(page.status).toBe(200);
    const lede = /<p class="lede">([\s\S]*?)<\/p>/.exec(page.text)![1];
    expect(text(lede)).toBe(
      'The last submitted return is for 2016-17 Q3 (version 1, submitted 31 January 2017). It is compared with the return before it, for 2016-17 Q2 (version 1, submitted 31 October 2016).',
    );
    // The demo's decisions fall in 2015-16 Q3, 2016-17 Q1 and 2016-17 Q2: none in 2016-17 Q3, none since.
    expect(text(page.text)).toContain('No change request was approved or rejected in 2016-17 Q3.');
    expect(text(page.text)).toContain('Nothing has been decided in the quarters after 2016-17 Q3.');
  });

  it('each decision belongs to its programme quarter; a decision made now belongs to the reporting quarter', async () => {
    const CR = `${P}/change-requests`;
    const decided = await Promise.all([1, 2, 3].map((n) => t.request('GET', `${CR}/${n}`)));
    expect(decided.map((r) => [r.body.state, r.body.decidedAt.slice(0, 10), r.body.decidedQuarter])).toEqual([
      ['approved', '2015-12-10', '2015-16 Q3'],
      ['approved', '2016-06-16', '2016-17 Q1'],
      ['rejected', '2016-09-21', '2016-17 Q2'],
    ]);
    const created = await t.request('POST', CR, {
      kind: 'put_on_hold',
      title: 'Pause Meaford junction works',
      reason: 'Highways England review of the A34 junction design',
      payload: { project: 'MEAFORD' },
    });
    const n = created.body.number;
    expect((await t.request('POST', `${CR}/${n}/submit`, { version: created.body.version })).status).toBe(200);
    const approver = await t.as('approver');
    const current = await t.request('GET', `${CR}/${n}`);
    const approved = await approver('POST', `${CR}/${n}/approve`, { version: current.body.version });
    expect(approved.status).toBe(200);
    // Decided today by the wall clock, recorded; in programme time it belongs to 2016-17 Q4.
    expect(approved.body.decidedAt.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    expect(approved.body.decidedQuarter).toBe('2016-17 Q4');
    const page = await t.anonymous('GET', `${PAGE}/changes-since-last-return`);
    const since = page.text.slice(page.text.indexOf('Decided since the last return'));
    expect(since).toContain(`<li data-change="${n}"`);
    expect(text(since)).toContain(`change request ${n} approved, “Pause Meaford junction works”`);
    expect(text(since)).toContain(
      'Reason given: Highways England review of the A34 junction design (decided in 2016-17 Q4)',
    );
  });

  it('each frozen return lists the changes decided in its own quarters, placed by programme time', async () => {
    const decidedIn = async (quarter: string) => {
      const v = await t.request('GET', `${R}/${quarter}/versions/1`);
      const changes = v.body.sections.find((s: { key: string }) => s.key === 'changes');
      // A change's before and after are rows of their own: one number per change.
      return [...new Set(changes.rows.map((r: { number: number }) => r.number))];
    };
    // Replayed before any return was frozen, the three decisions once all landed in 2015-16 Q1's return.
    expect(await decidedIn('2015-16-Q1')).toEqual([]);
    expect(await decidedIn('2015-16-Q3')).toEqual([1]);
    expect(await decidedIn('2016-17-Q1')).toEqual([2]);
    expect(await decidedIn('2016-17-Q2')).toEqual([3]);
    expect(await decidedIn('2016-17-Q3')).toEqual([]);
  });

  it('a day after its due date the last quarter is overdue; finance users are told before and after', async () => {
    const notices = t.app.get(NoticesService);
    const finance = { userId: null, name: 'finance officer', role: 'finance' as const };
    expect((await notices.list(finance)).filter((n) => n.kind.startsWith('return'))).toEqual([
      {
        kind: 'return-due',
        text: 'The 2016-17 Q4 return for Stoke-on-Trent and Staffordshire Growth Deal (2014) is due by 30 April 2017',
        href: `/manage/returns/2016-17-Q4?programme=${CODE}`,
      },
    ]);
    const before = await t.request('GET', P);
    expect((await t.request('PATCH', P, { asOfDate: '2017-05-01', version: before.body.version })).status).toBe(200);
    expect((await t.request('GET', R)).body.overdue).toEqual(['2016-17 Q4']);
    expect(sectionText((await t.anonymous('GET', PAGE)).text, 'returns-overdue')).toBe(
      '1 quarterly return is overdue: the oldest, for 2016-17 Q4, was due 30 April 2017 (1 day ago).',
    );
    expect((await notices.list(finance)).filter((n) => n.kind.startsWith('return')).map((n) => n.text)).toEqual([
      'The 2016-17 Q4 return for Stoke-on-Trent and Staffordshire Growth Deal (2014) is overdue: it was due 30 April 2017',
    ]);
  });

  // Last: it rolls the migration back and forward on this database.
  it('the migration backfills existing rows: submission dates from the wall clock, decisions by the quarter then reported', async () => {
    const CR = `${P}/change-requests`;
    const runner = t.ds.createQueryRunner();
    // As the migration runner does (on SQLite: foreign keys off while tables are rebuilt).
    await runner.beforeMigration();
    try {
      await new TwoClocks1795200000000().down(runner);
      await new TwoClocks1795200000000().up(runner);
    } finally {
      await runner.afterMigration();
      await runner.release();
    }
    const list = await t.request('GET', R);
    const recorded = list.body.items.map((v: { submittedAt: string }) => v.submittedAt.slice(0, 10));
    expect(list.body.items.map((v: { submittedOn: string }) => v.submittedOn)).toEqual(recorded);
    // Before programme time was recorded, the demo's decisions (dated 2015 and 2016 by the story,
    // replayed before any return was frozen) were all decided while 2015-16 Q1 was being reported;
    // the decision made in this test came after every submitted return: the reporting quarter.
    const quarters = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const r = await t.request('GET', `${CR}/${n}`);
      if (r.status === 200 && r.body.decidedAt) quarters.push([n, r.body.decidedQuarter]);
    }
    expect(quarters).toEqual([
      [1, '2015-16 Q1'],
      [2, '2015-16 Q1'],
      [3, '2015-16 Q1'],
      [5, '2016-17 Q4'],
    ]);
    expect((await t.request('GET', P)).body).toMatchObject({ asOfIsDefault: true, returnDueMonths: 1 });
  });
});
