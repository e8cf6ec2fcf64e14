import { AccountsService } from '../src/auth/accounts.service';
import { SYSTEM_ACTOR } from '../src/auth/actor';
import { AuthService } from '../src/auth/auth.service';
import { GeneratorService } from '../src/generator/generator.service';
import { Programme } from '../src/programmes/programme.entity';
import { Project } from '../src/projects/project.entity';
import { QuarterlyUpdate } from '../src/quarterly-updates/quarterly-update.entity';
import { DENIAL_HEADER } from '../src/web/web-exception.filter';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { pageText, passwordFor, WebClient } from './support/web-client';

/** The named inputs (and checked radios) of a page's form with that action, as a browser would post them. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form with action ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const tag of form.match(/<input[^>]*>/g) ?? []) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    if (/type="radio"/.test(tag) && !/checked/.test(tag)) continue;
    out[name] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '').replace(/&#163;|&pound;/g, '£');
  }
  return out;
}

/**
 * The quarterly update pages with several programmes whose project codes repeat (the 2014 deal
 * and a generated national dataset, where every programme has a P0001): the programme chosen on
 * the task list is carried through every link, form and redirect, and the update is stored on
 * that programme's project only. Without a programme the pages ask for one (400), never 500.
 */
describe.each(databaseKinds())('quarterly updates with several programmes on %s', (kind) => {
  let t: TestApp;
  let pm: WebClient;
  let a: Programme;
  let b: Programme;
  let projectA: Project;
  let projectB: Project;

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    const gen = await t.app.get(GeneratorService).generate({ leps: 2, projects: 4, quarters: 8, seed: 5 });
    expect(gen.loaded).toBe(true);
    const generated = await t.ds
      .getRepository(Programme)
      .createQueryBuilder('g')
      .where("g.code <> 'SSLEP-GD-2014'")
      .orderBy('g.code')
      .getMany();
    // Seed 5 makes three programmes (one LEP has an expansion deal), each with its own P0001.
    expect(generated.map((g) => g.code)).toEqual(['SYN5-L01-GD1', 'SYN5-L02-GD1', 'SYN5-L02-GD2']);
    [a, b] = generated;
    projectA = await t.ds.getRepository(Project).findOneByOrFail({ programmeId: a.id, code: 'P0001' });
    projectB = await t.ds.getRepository(Project).findOneByOrFail({ programmeId: b.id, code: 'P0001' });
    const email = 'pm-generated@test.invalid';
    await t.app
      .get(AuthService)
      .createUser(
        { name: 'Generated PM', email, role: 'programme_manager', projects: ['P0001'], programme: a.code },
        SYSTEM_ACTOR,
      );
    await t.app.get(AccountsService).setPassword(email, passwordFor(email), SYSTEM_ACTOR);
    pm = new WebClient(t.app, '10.18.0.1');
    await pm.signIn(email);
  }, 300_000);
  afterAll(async () => t?.close());

  it('carries the programme from the task list through the spend form to submission, on that programme only', async () => {
    const q = `?programme=${encodeURIComponent(a.code)}`;
    const list = await pm.get(`/manage/quarter${q}`);
    expect(list.status).toBe(200);
    expect(pageText(list.body)).toContain('1 project:');
    const home = `/manage/quarter/P0001${q}`;
    expect(list.body).toContain(`href="${home}"`);

    const page = await pm.get(home);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`href="/manage/quarter/P0001/spend${q}"`);
    expect(page.body).toContain(`href="/manage/quarter${q}"`); // back to this programme's list
    expect(page.body).toContain(`href="/manage/partner-workbook/P0001${q}"`);

    const spendUrl = `/manage/quarter/P0001/spend${q}`;
    const form = await pm.get(spendUrl);
    expect(form.status).toBe(200);
    const fields = formFields(form.body, spendUrl);
    const actual = Object.keys(fields).find((k) => k.startsWith('actual-'))!;
    expect(actual).toBe('actual-LGF_PRECOMMITTED');
    let saved = await pm.post(spendUrl, { ...fields, [actual]: '1234.56' });
    if (saved.status === 200 && pageText(saved.body).includes('Check how we read these amounts'))
      // Forecasts shown with commas are read back before saving (the form's own check).
      saved = await pm.post(spendUrl, formFields(saved.body, spendUrl));
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(home);

    // Outputs and risks must be done before submitting: both through this programme's forms.
    const outputsUrl = `/manage/quarter/P0001/outputs${q}`;
    const outputs = await pm.get(outputsUrl);
    expect(outputs.status).toBe(200);
    if (outputs.body.includes(`action="${outputsUrl}"`)) {
      const r = await pm.post(outputsUrl, { ...formFields(outputs.body, outputsUrl), complete: 'yes' });
      expect(r.status).toBe(303);
      expect(r.headers.location).toBe(home);
    }
    const risks = await pm.get(`/manage/quarter/P0001/risks${q}`);
    const reviewUrl = `/manage/quarter/P0001/risk-review${q}`;
    const reviewed = await pm.post(reviewUrl, { ...formFields(risks.body, reviewUrl), reviewed: 'yes' });
    expect(reviewed.status).toBe(303);
    expect(reviewed.headers.location).toBe(home);

    const ready = await pm.get(home);
    const submitUrl = `/manage/quarter/P0001/submit${q}`;
    const submitted = await pm.post(submitUrl, formFields(ready.body, submitUrl));
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe(home);
    expect(pageText((await pm.get(home)).body)).toContain('Update submitted for review');

    const mine = await t.ds.getRepository(QuarterlyUpdate).findBy({ projectId: projectA.id });
    expect(mine).toHaveLength(1);
    expect(mine[0].programmeId).toBe(a.id);
    expect(mine[0].status).toBe('submitted');
    // The figure typed, in pence; the other source's box was saved as shown (nothing spent).
    expect(mine[0].draft.actuals).toEqual({ LGF_PRECOMMITTED: 123456, LOCAL_MATCH: 0 });
    // The other programme's P0001 has no update at all.
    expect(await t.ds.getRepository(QuarterlyUpdate).countBy({ projectId: projectB.id })).toBe(0);
  });

  it('names the submitted update’s project by name and code, and its programme, in the notices and their count', async () => {
    const [update] = await t.ds.getRepository(QuarterlyUpdate).findBy({ projectId: projectA.id });
    const page = await pm.get('/manage/notices');
    const text = `The ${update.quarter} update for ${projectA.name} (P0001) in ${a.name} is waiting for your review`;
    expect(
      [...page.body.matchAll(/<li data-kind="([^"]+)"><a class="govuk-link" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [
        m[1],
        m[2],
        pageText(m[3]),
      ]),
    ).toEqual([['update-awaiting-review', `/manage/quarter/P0001?programme=${encodeURIComponent(a.code)}`, text]]);
    expect(page.body).toContain('aria-label="1 notice">1</span>');
    expect(projectA.name).not.toBe('P0001');
  });

  it('refuses another programme’s P0001 to a manager assigned only this programme’s', async () => {
    const q = `?programme=${encodeURIComponent(b.code)}`;
    const form = await pm.get(`/manage/quarter/P0001/narrative${q}`);
    expect(form.status).toBe(200);
    const fields = { version: '1', narrative: 'Not mine' };
    const refused = await pm.post(`/manage/quarter/P0001/narrative${q}`, fields);
    expect(refused.status).toBe(403);
    expect(await t.ds.getRepository(QuarterlyUpdate).countBy({ projectId: projectB.id })).toBe(0);
  });

  it('the guard checks the programme named by ?programme=: every write to another programme’s P0001 is refused', async () => {
    // A delivery partner assigned P0001 of programme A only; programme B has a P0001 too.
    const email = 'partner-generated@test.invalid';
    await t.app
      .get(AuthService)
      .createUser(
        { name: 'Generated partner', email, role: 'delivery_partner', projects: ['P0001'], programme: a.code },
        SYSTEM_ACTOR,
      );
    await t.app.get(AccountsService).setPassword(email, passwordFor(email), SYSTEM_ACTOR);
    const partner = new WebClient(t.app, '10.18.0.2');
    expect((await partner.signIn(email)).status).toBe(303);
    const writes = [
      'spend',
      'milestones',
      'narrative',
      'outputs',
      'risks',
      'risk-review',
      'risks/1',
      'risks/1/close',
      'submit',
    ].map((part) => `/manage/quarter/P0001/${part}`);
    const before = await t.ds.getRepository(QuarterlyUpdate).countBy({ projectId: projectB.id });
    await partner.get(`/manage/quarter/P0001?programme=${encodeURIComponent(b.code)}`);
    const refusals: string[] = [];
    for (const path of [...writes, '/manage/partner-workbook/P0001']) {
      const r = await partner.post(`${path}?programme=${encodeURIComponent(b.code)}`, { version: '1' });
      refusals.push(`${path} ${r.status} ${String(r.headers[DENIAL_HEADER])}`);
    }
    expect(refusals).toEqual(
      [...writes, '/manage/partner-workbook/P0001'].map((path) => `${path} 403 PROJECT_NOT_ASSIGNED`),
    );
    expect(await t.ds.getRepository(QuarterlyUpdate).countBy({ projectId: projectB.id })).toBe(before);
    // The same partner's own P0001 (programme A) is theirs: the guard lets the form through.
    const own = await partner.get(`/manage/quarter/P0001/narrative?programme=${encodeURIComponent(a.code)}`);
    expect(own.status).toBe(200);
    const saved = await partner.post(`/manage/quarter/P0001/narrative?programme=${encodeURIComponent(a.code)}`, {
      version: '1',
      narrative: 'Ours',
    });
    expect(saved.headers[DENIAL_HEADER]).toBeUndefined();
    expect(saved.status).not.toBe(403);
  });

  it('links the partner spreadsheet of this programme’s P0001, and asks for the programme without one', async () => {
    const q = `?programme=${encodeURIComponent(a.code)}`;
    const page = await pm.get(`/manage/partner-workbook/P0001${q}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`href="/manage/partner-workbook/P0001/template${q}"`);
    expect(page.body).toContain(`action="/manage/partner-workbook/P0001${q}&amp;_csrf=`);
    expect(page.body).toContain(`href="/manage/quarter/P0001${q}"`); // back to this update
    const file = await pm.get(`/manage/partner-workbook/P0001/template${q}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toContain(a.code);
    const none = await pm.get('/manage/partner-workbook/P0001');
    expect(none.status).toBe(400);
    expect(pageText(none.body)).toContain('choose the programme first');
  });

  it('asks to choose the programme when a page is reached without one (400), and lists the programmes', async () => {
    for (const path of ['/manage/quarter/P0001', '/manage/quarter/P0001/spend', '/manage/quarter/P0001/risks']) {
      const r = await pm.get(path);
      expect(r.status).toBe(400);
      expect(pageText(r.body)).toContain(
        'There is more than one programme, and P0001 may be a project of several: choose the programme first, then the project from its list.',
      );
      expect(r.body).toContain(
        '<a class="govuk-link" href="/manage/quarter">Choose the programme on the quarter page</a>',
      );
    }
    const home = await pm.get('/manage/quarter/P0001');
    const bad = await pm.post('/manage/quarter/P0001/narrative', { version: '1', narrative: 'Which one?' });
    expect(bad.status).toBe(400);
    expect(pageText(bad.body)).toContain('choose the programme first');
    expect(home.status).toBe(400);

    const choose = await pm.get('/manage/quarter');
    expect(choose.status).toBe(200);
    expect(pageText(choose.body)).toContain('Choose a programme');
    for (const g of [a, b])
      expect(choose.body).toContain(`href="/manage/quarter?programme=${encodeURIComponent(g.code)}"`);
    expect(choose.body).toContain('href="/manage/quarter?programme=SSLEP-GD-2014"');
  });
});
