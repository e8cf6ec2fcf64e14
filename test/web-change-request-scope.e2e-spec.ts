import { SYSTEM_ACTOR } from '../src/auth/actor';
import { AuthService } from '../src/auth/auth.service';
import { DENIAL_HEADER } from '../src/web/web-exception.filter';
import { databaseKinds } from './support/databases';
import { startTestApp, tableCounts, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

const CODE = 'SSLEP-GD-2014';
const NEW = '/manage/change-requests/new';

/** The error summary's items: "href text". */
function summary(html: string): string[] {
  const start = html.indexOf('govuk-error-summary__list');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => `${m[1]} ${pageText(m[2])}`);
}

/** A select's options as "value text", the empty "Choose" left out. */
function options(html: string, name: string): string[] {
  const start = html.indexOf(`name="${name}"`);
  if (start < 0) throw new Error(`no select ${name}`);
  const select = html.slice(start, html.indexOf('</select>', start));
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)]
    .filter((o) => o[1] !== '')
    .map((o) => `${o[1]} ${pageText(o[2])}`);
}

/**
 * The change-request forms offer a programme manager only what the change feature lets them
 * propose (test/change-request-scope.e2e-spec.ts): their projects, and those projects'
 * allocations and milestones. A project posted from outside that scope comes back on the form,
 * the box named, and nothing is written.
 */
describe.each(databaseKinds())('change-request forms within a manager’s projects on %s', (kind) => {
  let t: TestApp;
  let pm: WebClient;
  let finance: WebClient;

  beforeAll(async () => {
    t = await startTestApp(kind, { WRITE_RATE_LIMIT: '100000' });
    await makeUser(t.app, 'programme_manager', 'scope-pm@test.invalid', ['SWAR', 'ETRURIA']);
    await makeUser(t.app, 'finance', 'scope-finance@test.invalid');
    pm = new WebClient(t.app, '10.18.0.1');
    finance = new WebClient(t.app, '10.18.0.2');
    expect((await pm.signIn('scope-pm@test.invalid')).status).toBe(303);
    expect((await finance.signIn('scope-finance@test.invalid')).status).toBe(303);
  }, 180_000);
  afterAll(async () => t?.close());

  const MINE = ['ETRURIA Etruria Valley Enterprise Area (ETRURIA)', 'SWAR Stafford Western Access Route (SWAR)'];

  it('lists only the manager’s projects, their allocations and milestones; finance sees every project', async () => {
    const form = await pm.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`);
    expect(form.status).toBe(200);
    expect(options(form.body, 'project')).toEqual(MINE);
    const all = await finance.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`);
    expect(options(all.body, 'project')).toEqual([
      'AMSH Advanced Manufacturing Skills Hub (AMSH)',
      'BERICOTE Bericote Four Ashes employment site (BERICOTE)',
      'BRANSTON Branston Interchange (BRANSTON)',
      'ETRURIA Etruria Valley Enterprise Area (ETRURIA)',
      'LICHFIELD Lichfield Park employment site (LICHFIELD)',
      'LSTP Local Sustainable Transport Package (LSTP)',
      'MEAFORD Meaford employment site (MEAFORD)',
      'SWAR Stafford Western Access Route (SWAR)',
    ]);
    // A virement: the manager's projects' allocations only, and no programme headroom.
    const realloc = await pm.get(`${NEW}?programme=${CODE}&kind=reallocation`);
    expect(options(realloc.body, 'newProject')).toEqual(MINE);
    expect(options(realloc.body, 'lines-0-allocation')).toEqual([
      '4 Etruria Valley Enterprise Area (ETRURIA) – Local Growth Fund award – unprofiled – £2,400,000.00 (confirmed)',
      '1 Etruria Valley Enterprise Area (ETRURIA) – Local partners’ match funding – unprofiled – £2,500,000.00 (confirmed)',
      '10 Etruria Valley Enterprise Area (ETRURIA) – Previously committed growth funding – unprofiled – £8,200,000.00 (confirmed)',
      '9 Etruria Valley Enterprise Area (ETRURIA) – Provisional Local Growth Fund allocation – unprofiled – £16,100,000.00 (provisional)',
      '14 Stafford Western Access Route (SWAR) – Local Growth Fund award – unprofiled – £16,100,000.00 (confirmed)',
      '11 Stafford Western Access Route (SWAR) – Local partners’ match funding – unprofiled – £2,000,000.00 (confirmed)',
      '16 Stafford Western Access Route (SWAR) – Previously committed growth funding – unprofiled – £8,200,000.00 (confirmed)',
    ]);
    const financeRealloc = await finance.get(`${NEW}?programme=${CODE}&kind=reallocation`);
    expect(options(financeRealloc.body, 'lines-0-allocation')).toContain(
      'headroom:LGF Headroom of Local Growth Fund award (LGF)',
    );
    // Deal commitments are the programme's (admin's to re-baseline): none offered to the manager.
    const ms = await pm.get(`${NEW}?programme=${CODE}&kind=rebaseline_milestone`);
    expect(options(ms.body, 'milestones-0-milestone')).toEqual([]);
    // Programme targets likewise: the manager's projects only.
    const tg = await pm.get(`${NEW}?programme=${CODE}&kind=rebaseline_target`);
    expect(options(tg.body, 'targets-0-holder')).toEqual(MINE);
  });

  it('refuses a project outside the manager’s scope on the form, naming the box; nothing is written', async () => {
    const counts = await tableCounts(t.ds);
    await pm.get(`${NEW}?programme=${CODE}&kind=reprofile_spend`);
    const res = await pm.post(NEW, {
      programme: CODE,
      kind: 'reprofile_spend',
      project: 'MEAFORD',
      sourceKind: 'LGF',
      'moves-0-from': '2015-16 Q3',
      'moves-0-to': '2016-17 Q2',
      'moves-0-amount': '1000',
      title: 'Not mine',
      reason: 'Trying',
    });
    expect([res.status, res.headers[DENIAL_HEADER], summary(res.body)]).toEqual([
      403,
      'PROJECT_NOT_ASSIGNED',
      ['#project Project: choose one of your projects: Meaford employment site (MEAFORD) is not assigned to you'],
    ]);
    // The form again, with what was typed, and the manager's own projects to choose from.
    expect(pageText(res.body)).toContain('Re-profile');
    expect(options(res.body, 'project')).toEqual(MINE);
    expect(res.body).toContain('value="Not mine"');
    const newProject = await pm.post(NEW, {
      programme: CODE,
      kind: 'reallocation',
      newProject: 'LICHFIELD',
      newSourceKind: 'LGF',
      newPeriod: '2018-19',
      newCommitment: 'confirmed',
      newAmount: '5',
      'lines-0-delta': '-5',
      title: 'Not mine',
      reason: 'Trying',
    });
    expect([newProject.status, newProject.headers[DENIAL_HEADER], summary(newProject.body)]).toEqual([
      403,
      'PROJECT_NOT_ASSIGNED',
      [
        '#newProject New allocation: project (optional): choose one of your projects: Lichfield Park employment site (LICHFIELD) is not assigned to you',
      ],
    ]);
    expect(await tableCounts(t.ds)).toEqual(counts);
    // Their own project drafts as before.
    const own = await pm.post(NEW, {
      programme: CODE,
      kind: 'hold_project',
      project: 'SWAR',
      title: 'Hold SWAR',
      reason: 'Paused',
    });
    expect(own.status).toBe(303);
  });

  it('words a kind’s refusal in pounds on the box that caused it: an overdrawn allocation, unbalanced lines', async () => {
    const counts = await tableCounts(t.ds);
    await finance.get(`${NEW}?programme=${CODE}&kind=reallocation`);
    const virement = (from: string, to: string) =>
      finance.post(NEW, {
        programme: CODE,
        kind: 'reallocation',
        'lines-0-allocation': '4',
        'lines-0-delta': from,
        'lines-1-allocation': '14',
        'lines-1-delta': to,
        title: 'Move LGF from Etruria to SWAR',
        reason: 'Tender came in over',
      });
    // Etruria's LGF award holds £2,400,000.00: taking £2,420,000 would leave it at -£20,000.00.
    const overdrawn = await virement('-£2,420,000', '2,420,000');
    const words =
      'Change (line 1): takes £20,000.00 more than the allocation holds (it holds £2,400,000.00; no allocation may go below £0.00)';
    expect([overdrawn.status, summary(overdrawn.body)]).toEqual([422, [`#lines-0-delta ${words}`]]);
    expect(pageText(overdrawn.body)).toContain(`Error: ${words}`);
    expect(overdrawn.body).not.toContain('20000.00');
    const unbalanced = await virement('-5', '3');
    expect([unbalanced.status, summary(unbalanced.body)]).toEqual([
      422,
      [
        '#lines-0-delta Change (line 1): the changes add up to -£2.00, not £0.00: make them balance, or release £2.00 to the headroom of LGF on a line of its own',
      ],
    ]);
    expect(await tableCounts(t.ds)).toEqual(counts);
  });

  it('edits a draft in its own form, pre-filled, through the API’s draft update: author only, before submission', async () => {
    await makeUser(t.app, 'programme_manager', 'scope-pm2@test.invalid', ['SWAR', 'ETRURIA']);
    const pm2 = new WebClient(t.app, '10.18.0.3');
    expect((await pm2.signIn('scope-pm2@test.invalid')).status).toBe(303);
    await pm.get(`${NEW}?programme=${CODE}&kind=reallocation`);
    const drafted = await pm.post(NEW, {
      programme: CODE,
      kind: 'reallocation',
      'lines-0-allocation': '4',
      'lines-0-delta': '-1000',
      'lines-1-allocation': '14',
      'lines-1-delta': '1000',
      title: 'Move LGF to SWAR',
      reason: 'Tender over',
    });
    expect(drafted.status).toBe(303);
    const n = Number(/change-requests\/(\d+)\?/.exec(drafted.location!)![1]);
    const page = `/manage/change-requests/${n}?programme=${CODE}`;
    const edit = `/manage/change-requests/${n}/edit`;
    const editLink = `href="${edit}?programme=${CODE}"`;
    expect((await pm.get(page)).body).toContain(editLink);
    // Another manager of the same projects neither sees Edit nor may edit: the author's draft.
    expect((await pm2.get(page)).body).not.toContain(editLink);
    const notAuthor = await pm2.get(`${edit}?programme=${CODE}`);
    expect(notAuthor.status).toBe(403);

    const form = await pm.get(`${edit}?programme=${CODE}`);
    expect(form.status).toBe(200);
    expect(pageText(form.body)).toContain(`Edit change request ${n}`);
    const selected = (name: string) =>
      /<option value="([^"]*)" selected/.exec(form.body.slice(form.body.indexOf(`name="${name}"`)))?.[1];
    expect([selected('lines-0-allocation'), selected('lines-1-allocation')]).toEqual(['4', '14']);
    expect(form.body).toContain('name="lines-0-delta" type="text" spellcheck="false" value="-£1,000.00"');
    expect(form.body).toContain('name="lines-1-delta" type="text" spellcheck="false" value="£1,000.00"');
    expect(form.body).toContain('value="Move LGF to SWAR"');
    expect(form.body).toContain(`action="${edit}"`);
    expect(form.body).toContain('<input type="hidden" name="version" value="1">');

    const fields = {
      programme: CODE,
      version: '1',
      'lines-0-allocation': '4',
      'lines-0-delta': '-£2,500',
      'lines-1-allocation': '14',
      'lines-1-delta': '£2,500',
      title: 'Move £2,500 LGF to SWAR',
      reason: 'Tender over by more',
    };
    // The same refusals as drafting: in pounds, on the box; a project outside scope named.
    const overdrawn = await pm.post(edit, { ...fields, 'lines-0-delta': '-2,420,000', 'lines-1-delta': '2,420,000' });
    expect([overdrawn.status, summary(overdrawn.body)]).toEqual([
      422,
      [
        '#lines-0-delta Change (line 1): takes £20,000.00 more than the allocation holds (it holds £2,400,000.00; no allocation may go below £0.00)',
      ],
    ]);
    const foreign = await pm.post(edit, {
      ...fields,
      newProject: 'MEAFORD',
      newSourceKind: 'LGF',
      newPeriod: '2018-19',
      newCommitment: 'confirmed',
      newAmount: '1',
    });
    expect([foreign.status, foreign.headers[DENIAL_HEADER], summary(foreign.body)]).toEqual([
      403,
      'PROJECT_NOT_ASSIGNED',
      [
        '#newProject New allocation: project (optional): choose one of your projects: Meaford employment site (MEAFORD) is not assigned to you',
      ],
    ]);
    const row = async () =>
      (
        (await t.ds.query(
          `SELECT c.version AS version, c.title AS title, c.payload AS payload FROM change_request c
           JOIN programme g ON g.id = c.programme_id WHERE g.code = '${CODE}' AND c.number = ${n}`,
        )) as { version: number; title: string; payload: unknown }[]
      ).map((r) => ({
        version: Number(r.version),
        title: r.title,
        payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
      }))[0];
    expect(await row()).toEqual({
      version: 1,
      title: 'Move LGF to SWAR',
      payload: {
        lines: [
          { allocationId: 4, delta: '-1000.00' },
          { allocationId: 14, delta: '1000.00' },
        ],
      },
    });

    const saved = await pm.post(edit, fields);
    expect([saved.status, saved.location]).toEqual([303, page]);
    const after = await pm.get(page);
    expect(pageText(after.body)).toContain(
      `Change request ${n} saved: check the before and after, then submit it for approval`,
    );
    expect(pageText(after.body)).toContain('Move £2,500 LGF to SWAR Draft');
    expect(await row()).toEqual({
      version: 2,
      title: 'Move £2,500 LGF to SWAR',
      payload: {
        lines: [
          { allocationId: 4, delta: '-2500.00' },
          { allocationId: 14, delta: '2500.00' },
        ],
      },
    });
    const audit = (await t.ds.query(
      `SELECT action FROM audit_entry WHERE entity = 'change_request' AND entity_id = '${n}' ORDER BY id`,
    )) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    // The version read is checked: the form of version 1 is stale now.
    expect((await pm.post(edit, fields)).status).toBe(409);

    // Submitted: no Edit, and the form says why.
    expect((await pm.post(`/manage/change-requests/${n}/submit`, { programme: CODE, version: '2' })).status).toBe(303);
    expect((await pm.get(page)).body).not.toContain(editLink);
    const late = await pm.get(`${edit}?programme=${CODE}`);
    expect([
      late.status,
      pageText(late.body).includes(`Change request ${n} is submitted: only a draft can be edited`),
    ]).toEqual([409, true]);
    expect((await pm.post(edit, { ...fields, version: '3' })).status).toBe(409);
  });

  it('a draft holding more than its form can show is not edited in the form, which would drop the rest', async () => {
    // The manager's own draft, made through the API with a nine-quarter baseline: the form has eight lines.
    const token = (await t.app.get(AuthService).createToken('scope-pm@test.invalid', 1, 'test', SYSTEM_ACTOR)).token;
    const quarters = ['2015-16', '2016-17'].flatMap((y) => [1, 2, 3, 4].map((q) => `${y} Q${q}`)).concat('2017-18 Q1');
    const made = await t.request(
      'POST',
      `/api/programmes/${CODE}/change-requests`,
      {
        kind: 'set_baseline',
        title: 'SWAR baseline over nine quarters',
        reason: 'Contractor programme agreed',
        payload: {
          project: 'SWAR',
          sourceKind: 'LGF',
          quarters: quarters.map((quarter, i) => ({ quarter, amount: i < 8 ? '1800000.00' : '1700000.00' })),
        },
      },
      { authorization: `Bearer ${token}` },
    );
    expect(made.status).toBe(201);
    const n = made.body.number as number;
    const page = await pm.get(`/manage/change-requests/${n}?programme=${CODE}`);
    expect(page.body).not.toContain(`/manage/change-requests/${n}/edit`);
    expect(pageText(page.body)).toContain(
      'This draft holds more than its form can show (more lines than the form has, or details it has no box for), so it is changed through the API, where nothing in it is lost.',
    );
    const form = await pm.get(`/manage/change-requests/${n}/edit?programme=${CODE}`);
    expect([
      form.status,
      pageText(form.body).includes(`Change request ${n} holds more than its form can show`),
    ]).toEqual([409, true]);
    // Posting the form (its eight lines) is refused too, and the draft keeps all nine.
    const posted = await pm.post(`/manage/change-requests/${n}/edit`, {
      programme: CODE,
      version: '1',
      project: 'SWAR',
      sourceKind: 'LGF',
      'quarters-0-quarter': '2015-16 Q1',
      'quarters-0-amount': '16100000',
      title: 'SWAR baseline',
      reason: 'Contractor programme agreed',
    });
    expect(posted.status).toBe(409);
    const kept = await t.request('GET', `/api/programmes/${CODE}/change-requests/${n}`);
    expect([kept.body.version, kept.body.payload.quarters.length]).toEqual([1, 9]);
  });
});
