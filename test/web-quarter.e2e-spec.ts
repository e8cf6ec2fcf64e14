import { AuditEntry } from '../src/audit/audit-entry.entity';
import { Milestone } from '../src/milestones/milestone.entity';
import { Project } from '../src/projects/project.entity';
import { QuarterlyUpdate } from '../src/quarterly-updates/quarterly-update.entity';
import { SpendProfileLine } from '../src/spend/spend.entities';
import { databaseKinds } from './support/databases';
import { queryCounter } from './support/queries';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

/** The named inputs of a page's form with that action, as a browser would post them. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const tag of form.match(/<input[^>]*>/g) ?? []) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    out[name] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '').replace(/&#163;|&pound;/g, '£');
  }
  return out;
}

/**
 * The reporting quarter in the staff pages on the demo history (reporting quarter 2016-17 Q4):
 * the task list, a delivery partner's spend update with the typing mistakes it catches,
 * submission, the programme manager's return and acceptance, and the figures that result.
 */
describe.each(databaseKinds())('the quarter in the staff pages on %s', (kind) => {
  let t: TestApp;
  const partner = new Map<string, WebClient>();
  let pm: WebClient;
  let admin: WebClient;
  let finance: WebClient;

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
    await makeUser(t.app, 'delivery_partner', 'partner@test.invalid', ['ETRURIA']);
    await makeUser(t.app, 'programme_manager', 'pm@test.invalid', ['ETRURIA', 'LICHFIELD']);
    await makeUser(t.app, 'admin', 'admin@test.invalid');
    const c = new WebClient(t.app, '10.1.0.1');
    await c.signIn('partner@test.invalid');
    partner.set('ETRURIA', c);
    pm = new WebClient(t.app, '10.1.0.2');
    await pm.signIn('pm@test.invalid');
    admin = new WebClient(t.app, '10.1.0.3');
    await admin.signIn('admin@test.invalid');
    await makeUser(t.app, 'finance', 'finance@test.invalid');
    finance = new WebClient(t.app, '10.1.0.4');
    await finance.signIn('finance@test.invalid');
  });
  afterAll(async () => t?.close());

  it('lists each project with its status, scoped to the user, from a fixed number of queries', async () => {
    const c = partner.get('ETRURIA')!;
    const mine = pageText((await c.get('/manage/quarter')).body);
    expect(mine).toContain('Quarterly updates for 2016-17 Q4');
    expect(mine).toContain('1 project: 0 accepted, 0 waiting for review, 0 returned, 0 in progress, 1 not started.');
    expect(mine).toContain('Etruria Valley Enterprise Area ETRURIA Not started');
    const pmText = pageText((await pm.get('/manage/quarter')).body);
    expect(pmText).toContain('2 projects:');
    const all = await admin.get('/manage/quarter');
    const projects = await t.ds.getRepository(Project).count({ where: { programmeId: 1 } });
    const withdrawn = await t.ds.getRepository(Project).count({ where: { programmeId: 1, status: 'withdrawn' } });
    expect(pageText(all.body)).toContain(`${projects - withdrawn} projects: 0 accepted`);

    const counter = queryCounter(t.ds);
    try {
      const before = await counter.count(() => admin.get('/manage/quarter'));
      const some = await t.ds.getRepository(Project).findOneOrFail({ where: { code: 'ETRURIA' } });
      for (let i = 0; i < 25; i++)
        await t.ds.getRepository(Project).insert({
          programmeId: some.programmeId,
          code: `EXTRA-${i}`,
          name: `Extra project ${i}`,
          status: 'approved',
        });
      const after = await counter.count(() => admin.get('/manage/quarter'));
      expect(pageText((await admin.get('/manage/quarter')).body)).toContain(
        `${projects - withdrawn + 25} projects: 0 accepted`,
      );
      expect(after).toBe(before);
      expect(before).toBeLessThanOrEqual(20);
    } finally {
      counter.restore();
      await t.ds.getRepository(Project).createQueryBuilder().delete().where("code LIKE 'EXTRA-%'").execute();
    }
  });

  it('catches a mistyped amount, shows £ and commas back, and asks about a total typed for the quarter', async () => {
    const c = partner.get('ETRURIA')!;
    const form = await c.get('/manage/quarter/ETRURIA/spend');
    expect(pageText(form.body)).toContain('Spent before 2016-17 Q4: £2,192,400.00');
    const fields = formFields(form.body, '/manage/quarter/ETRURIA/spend');
    expect(fields['forecast-LGF-2016-17-Q4']).toBe('120,000.00');

    // A slip of the keyboard: refused, named, the typed value kept.
    const bad = await c.post('/manage/quarter/ETRURIA/spend', { ...fields, 'actual-LGF': '12,3x4' });
    expect(bad.status).toBe(400);
    expect(pageText(bad.body)).toContain(
      'There is a problem Actual LGF spend in 2016-17 Q4 must be an amount of money, like £1,234.50',
    );
    expect(bad.body).toContain('href="#actual-LGF"');
    expect(bad.body).toContain('value="12,3x4"');

    // £ signs and commas are read, and shown back before anything is saved.
    const typed = {
      ...fields,
      'actual-LGF': '£2,307,400',
      'actual-LGF_PRECOMMITTED': '900000',
      'forecast-LGF-2017-18-Q1': '£ 90,000.5',
    };
    const check = await c.post('/manage/quarter/ETRURIA/spend', typed);
    expect(check.status).toBe(200);
    const checkText = pageText(check.body);
    expect(checkText).toContain('Check how we read these amounts');
    expect(checkText).toContain('You typed “£2,307,400”: saved as £2,307,400.00');
    expect(checkText).toContain('You typed “£ 90,000.5”: saved as £90,000.50');
    expect(checkText).not.toContain('You typed “900000”');
    expect(await t.ds.getRepository(QuarterlyUpdate).count()).toBe(0);

    // £2,307,400 less £2,192,400 spent before is £115,000, within 20 % of the £120,000 forecast: both readings offered.
    const confirmed = formFields(check.body, '/manage/quarter/ETRURIA/spend');
    expect(confirmed['actual-LGF']).toBe('2307400.00');
    const question = await c.post('/manage/quarter/ETRURIA/spend', confirmed);
    expect(question.status).toBe(400);
    const qText = pageText(question.body);
    expect(qText).toContain(
      'Check the actual LGF spend: £2,307,400.00 looks like a total to date. Say whether it is the spend in 2016-17 Q4 or the total so far',
    );
    expect(qText).toContain('It is the spend in 2016-17 Q4: £2,307,400.00');
    expect(qText).toContain('It is the total so far: the spend in 2016-17 Q4 is £115,000.00');
    // The summary's link lands on the first reading's radio.
    expect(question.body).toContain('href="#reading-LGF-quarter"');
    expect(question.body).toContain('id="reading-LGF-quarter" name="reading-LGF" type="radio" value="quarter"');
    expect(await t.ds.getRepository(QuarterlyUpdate).count()).toBe(0);

    const saved = await c.post('/manage/quarter/ETRURIA/spend', {
      ...formFields(question.body, '/manage/quarter/ETRURIA/spend'),
      'reading-LGF': 'cumulative',
    });
    expect([saved.status, saved.location]).toEqual([303, '/manage/quarter/ETRURIA']);
    const page = pageText((await c.get('/manage/quarter/ETRURIA')).body);
    expect(page).toContain('Spend figures saved as a draft');
    expect(page).toContain('Status: In progress');

    const again = await c.get('/manage/quarter/ETRURIA/spend');
    const f2 = formFields(again.body, '/manage/quarter/ETRURIA/spend');
    expect([f2['actual-LGF'], f2['actual-LGF_PRECOMMITTED'], f2['forecast-LGF-2017-18-Q1']]).toEqual([
      '115,000.00',
      '900,000.00',
      '90,000.50',
    ]);
    // What changed against the last accepted figures is marked.
    expect(pageText(again.body)).toContain('2017-18 Q1 Changed £87,600.00');
    expect((pageText(again.body).match(/Changed/g) ?? []).length).toBe(1);
    const list = pageText((await c.get('/manage/quarter')).body);
    expect(list).toContain('Etruria Valley Enterprise Area ETRURIA In progress');
  });

  let milestoneId = 0;
  it('refuses impossible and out-of-quarter milestone dates, naming the milestone, and keeps what was typed', async () => {
    const c = partner.get('ETRURIA')!;
    const form = await c.get('/manage/quarter/ETRURIA/milestones');
    expect(form.status).toBe(200);
    expect(pageText(form.body)).toContain('Actual dates are on or before 31 March 2017, the end of 2016-17 Q4.');
    const fields = formFields(form.body, '/manage/quarter/ETRURIA/milestones');
    const open = await t.ds.getRepository(Milestone).find({
      where: { projectId: (await t.ds.getRepository(Project).findOneByOrFail({ code: 'ETRURIA' })).id, status: 'open' },
      order: { id: 'ASC' },
    });
    expect(open.length).toBeGreaterThan(0);
    milestoneId = open[0].id;
    const id = milestoneId;
    expect(fields[`m-${id}-forecast-year`]).toBe(open[0].forecastDate ? open[0].forecastDate.slice(0, 4) : '');
    const bad = await c.post('/manage/quarter/ETRURIA/milestones', {
      ...fields,
      [`m-${id}-forecast-day`]: '31',
      [`m-${id}-forecast-month`]: '2',
      [`m-${id}-forecast-year`]: '2017',
      [`m-${id}-actual-day`]: '15',
      [`m-${id}-actual-month`]: '4',
      [`m-${id}-actual-year`]: '2017',
    });
    expect(bad.status).toBe(400);
    const text = pageText(bad.body);
    expect(text).toContain(`There is a problem Forecast date of “${open[0].title}” must be a real date`);
    expect(text).toContain(`Actual date of “${open[0].title}” must be the same as or before 31 March 2017`);
    expect(bad.body).toContain(`href="#m-${id}-forecast-day"`);
    expect(bad.body).toMatch(
      new RegExp(`id="m-${id}-forecast-day" name="m-${id}-forecast-day" type="text" value="31"`),
    );

    const ok = await c.post('/manage/quarter/ETRURIA/milestones', {
      ...fields,
      [`m-${id}-forecast-day`]: '30',
      [`m-${id}-forecast-month`]: '6',
      [`m-${id}-forecast-year`]: '2017',
      [`m-${id}-actual-day`]: '15',
      [`m-${id}-actual-month`]: 'March',
      [`m-${id}-actual-year`]: '2017',
      [`m-${id}-status`]: 'complete',
      [`m-${id}-notes`]: 'Completion certificate ref EV-17',
    });
    expect([ok.status, ok.location]).toEqual([303, '/manage/quarter/ETRURIA']);
    expect(pageText((await c.get('/manage/quarter/ETRURIA')).body)).toContain('Milestones Changed');
    // Not applied until the update is accepted.
    expect((await t.ds.getRepository(Milestone).findOneByOrFail({ id })).actualDate).toBeNull();
  });

  it('is submitted, returned once with a comment, resubmitted and accepted; only then do the figures change, the actuals once finance confirms them', async () => {
    const c = partner.get('ETRURIA')!;
    // Outputs and risks are required parts (test/web-quarter-outputs-risks.e2e-spec.ts): finished unchanged here.
    const outputs = await c.get('/manage/quarter/ETRURIA/outputs');
    expect(
      (
        await c.post('/manage/quarter/ETRURIA/outputs', {
          ...formFields(outputs.body, '/manage/quarter/ETRURIA/outputs'),
          complete: 'yes',
        })
      ).status,
    ).toBe(303);
    await c.get('/manage/quarter/ETRURIA/risks');
    expect((await c.post('/manage/quarter/ETRURIA/risk-review', { reviewed: 'yes' })).status).toBe(303);
    await c.get('/manage/quarter/ETRURIA');
    expect((await c.post('/manage/quarter/ETRURIA/submit')).status).toBe(303);
    expect(pageText((await c.get('/manage/quarter/ETRURIA')).body)).toContain('Status: Submitted');
    // A partner cannot review; a submitted update cannot be edited.
    expect((await c.post('/manage/quarter/ETRURIA/accept')).status).toBe(403);
    await c.get('/manage/quarter/ETRURIA/spend');
    const locked = await c.post('/manage/quarter/ETRURIA/spend', { 'actual-LGF': '1.00' });
    expect(locked.status).toBe(400);
    expect(pageText(locked.body)).toContain('has been submitted and is waiting for review');

    // The programme manager is told, and returns it: a comment is required.
    const home = pageText((await pm.get('/manage')).body);
    expect(home).toContain(
      'The 2016-17 Q4 update for Etruria Valley Enterprise Area (ETRURIA) is waiting for your review',
    );
    const noComment = await pm.post('/manage/quarter/ETRURIA/return', { comment: '  ' });
    expect(noComment.status).toBe(400);
    expect(pageText(noComment.body)).toContain('There is a problem Enter a comment saying what needs to change');
    expect(
      (await pm.post('/manage/quarter/ETRURIA/return', { comment: 'The Q1 forecast needs the contractor’s figure' }))
        .status,
    ).toBe(303);

    const back = pageText((await c.get('/manage/quarter/ETRURIA')).body);
    expect(back).toContain('Status: Returned');
    expect(back).toContain('Returned for revision The Q1 forecast needs the contractor’s figure');
    expect(back).toMatch(/Notices 1 /);
    expect(pageText((await c.get('/manage/notices')).body)).toContain(
      'The 2016-17 Q4 update for Etruria Valley Enterprise Area (ETRURIA) was returned for revision',
    );
    const form = await c.get('/manage/quarter/ETRURIA/spend');
    const fields = formFields(form.body, '/manage/quarter/ETRURIA/spend');
    expect(
      (await c.post('/manage/quarter/ETRURIA/spend', { ...fields, 'forecast-LGF-2017-18-Q1': '95000' })).status,
    ).toBe(303);
    await c.get('/manage/quarter/ETRURIA');
    expect((await c.post('/manage/quarter/ETRURIA/submit')).status).toBe(303);

    const pid = (await t.ds.getRepository(Project).findOneByOrFail({ code: 'ETRURIA' })).id;
    const line = (sourceKind: string, quarter: string) =>
      t.ds.getRepository(SpendProfileLine).findOneByOrFail({ projectId: pid, sourceKind, quarter });
    expect((await line('LGF', '2017-18 Q1')).forecastPence).toBe(8_760_000);
    // The demo's accepted actual stays until the update is accepted.
    expect((await line('LGF', '2016-17 Q4')).actualPence).toBe(12_000_000);
    const precommitted = (await line('LGF_PRECOMMITTED', '2016-17 Q4')).actualPence;
    expect(precommitted).not.toBe(90_000_000);

    await pm.get('/manage/quarter/ETRURIA');
    const acceptedPage = await pm.post('/manage/quarter/ETRURIA/accept');
    expect(acceptedPage.status).toBe(303);
    const afterAccept = pageText((await pm.get('/manage/quarter/ETRURIA')).body);
    expect(afterAccept).toContain('Status: Accepted');
    expect(afterAccept).toContain(
      'Update accepted: its forecasts, milestones and outputs are now the latest; its actual spend awaits finance confirmation',
    );
    expect(afterAccept).toContain('Actual spend: awaiting finance confirmation');
    expect((await line('LGF', '2017-18 Q1')).forecastPence).toBe(9_500_000);
    // A delivery partner's actuals count only once finance confirms them (test/web-spend-confirmation.e2e-spec.ts).
    expect((await line('LGF', '2016-17 Q4')).actualPence).toBe(12_000_000);
    expect((await line('LGF_PRECOMMITTED', '2016-17 Q4')).actualPence).toBe(precommitted);
    const confirmPage = await finance.get('/manage/confirm-spend');
    expect(
      (
        await finance.post(
          '/manage/confirm-spend/ETRURIA',
          formFields(confirmPage.body, '/manage/confirm-spend/ETRURIA'),
        )
      ).status,
    ).toBe(303);
    expect((await line('LGF', '2016-17 Q4')).actualPence).toBe(11_500_000);
    expect((await line('LGF_PRECOMMITTED', '2016-17 Q4')).actualPence).toBe(90_000_000);
    const m = await t.ds.getRepository(Milestone).findOneByOrFail({ id: milestoneId });
    expect([m.forecastDate, m.actualDate, m.status, m.notes]).toEqual([
      '2017-06-30',
      '2017-03-15',
      'complete',
      'Completion certificate ref EV-17',
    ]);
    // Unchanged forecasts were not rewritten.
    expect((await line('LGF_PRECOMMITTED', '2017-18 Q1')).version).toBe(1);
    // The acceptance's one audit entry holds each figure it applied, before and after.
    const accepted = await t.ds.getRepository(AuditEntry).findOneOrFail({
      where: { entity: 'quarterly_update', action: 'accept', projectId: pid },
      order: { id: 'DESC' },
    });
    type Applied = { entity: string; action: string; values: Record<string, unknown> }[];
    const applied = (s: unknown) =>
      ((s as { applied: Applied }).applied ?? []).map((r) => [
        r.entity,
        r.action,
        r.values.sourceKind ?? null,
        r.values.quarter ?? null,
        r.values[r.action === 'set_forecast' ? 'forecast' : r.action === 'set_actual' ? 'actual' : 'notes'] ?? null,
      ]);
    expect(applied(accepted.after)).toEqual([
      ['spend_profile', 'set_forecast', 'LGF', '2017-18 Q1', '95000.00'],
      ['milestone', 'update', null, null, 'Completion certificate ref EV-17'],
    ]);
    expect(applied(accepted.before).map((r) => r.slice(0, 4))).toEqual(
      applied(accepted.after).map((r) => r.slice(0, 4)),
    );
    expect(applied(accepted.before)[0][4]).toBe('87600.00');
    // The confirmation's own entry holds the actuals it recorded.
    const confirmed = await t.ds.getRepository(AuditEntry).findOneOrFail({
      where: { entity: 'quarterly_update', action: 'confirm_spend', projectId: pid },
      order: { id: 'DESC' },
    });
    expect(applied(confirmed.after)).toEqual([
      ['spend_profile', 'set_actual', 'LGF', '2016-17 Q4', '115000.00'],
      ['spend_profile', 'set_actual', 'LGF_PRECOMMITTED', '2016-17 Q4', '900000.00'],
    ]);
    expect(applied(confirmed.before)[0][4]).toBe('120000.00');
    expect([
      (accepted.before as { status: string }).status,
      (accepted.after as { status: string; decidedBy: string }).status,
      (accepted.after as { decidedBy: string }).decidedBy,
    ]).toEqual(['submitted', 'accepted', accepted.actor]);
    expect(pageText((await pm.get('/manage/quarter')).body)).toContain(
      'Etruria Valley Enterprise Area ETRURIA Accepted',
    );
    // Accepted: nothing more to submit or review.
    expect((await pm.post('/manage/quarter/ETRURIA/accept')).status).toBe(400);
  });

  it('refuses a partner writing to another project, and an unknown project is a 404 page', async () => {
    const c = partner.get('ETRURIA')!;
    await c.get('/manage/quarter');
    const other = await c.post('/manage/quarter/LICHFIELD/spend', {});
    expect(other.status).toBe(403);
    expect((await c.get('/manage/quarter/NO-SUCH-PROJECT')).status).toBe(404);
  });
});
