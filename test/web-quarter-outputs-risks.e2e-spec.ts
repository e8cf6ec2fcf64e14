import { AuditEntry } from '../src/audit/audit-entry.entity';
import { OutputActual, OutputTarget } from '../src/outputs/output.entities';
import { Project } from '../src/projects/project.entity';
import { ProjectRisk } from '../src/risks/risk.entity';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

/** The named inputs (and checked radios) of a page's form with that action, as a browser would post them. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const tag of form.match(/<input[^>]*>/g) ?? []) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    if (/type="radio"/.test(tag) && !/checked/.test(tag)) continue;
    out[name] = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
  }
  return out;
}

const P = '/manage/quarter/ETRURIA';
const PARTNER = 'Web delivery partner partner <partner@test.invalid>';
const PM = 'Web programme manager pm <pm@test.invalid>';

/**
 * The outputs and risks of a project's quarterly update on the demo history (reporting
 * quarter 2016-17 Q4, every earlier quarter submitted): output claims and forecasts checked by
 * the outputs feature's own rules and applied only on acceptance; the risk register added to,
 * changed and closed, audited with before and after, and read through the API; both parts
 * required before the update is submitted.
 */
describe.each(databaseKinds())('outputs and risks in the quarterly update on %s', (kind) => {
  let t: TestApp;
  let partner: WebClient;
  let pm: WebClient;
  let otherPm: WebClient;
  let etruria: number;

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
    await makeUser(t.app, 'delivery_partner', 'partner@test.invalid', ['ETRURIA']);
    await makeUser(t.app, 'programme_manager', 'pm@test.invalid', ['ETRURIA']);
    await makeUser(t.app, 'programme_manager', 'other-pm@test.invalid', ['LICHFIELD']);
    partner = new WebClient(t.app, '10.2.0.1');
    await partner.signIn('partner@test.invalid');
    pm = new WebClient(t.app, '10.2.0.2');
    await pm.signIn('pm@test.invalid');
    otherPm = new WebClient(t.app, '10.2.0.3');
    await otherPm.signIn('other-pm@test.invalid');
    etruria = (await t.ds.getRepository(Project).findOneByOrFail({ code: 'ETRURIA' })).id;
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows outputs and risks as tasks, not started, and refuses to submit without them', async () => {
    const page = pageText((await partner.get(P)).body);
    expect(page).toContain('Outputs: claims and forecasts Required before submitting Not started');
    expect(page).toContain('Risks Required before submitting Not started');
    // Something saved (the narrative) makes a draft; submitting it names both missing parts.
    const n = await partner.get(`${P}/narrative`);
    expect(
      (await partner.post(`${P}/narrative`, { ...formFields(n.body, `${P}/narrative`), narrative: 'On site.' })).status,
    ).toBe(303);
    await partner.get(P);
    const refused = await partner.post(`${P}/submit`);
    expect(refused.status).toBe(400);
    expect(pageText(refused.body)).toContain(
      'There is a problem Enter the outputs for 2016-17 Q4: claims and forecasts of the final totals Review the risk register for 2016-17 Q4: add, change or close risks, then say you have finished',
    );
    expect(refused.body).toContain('href="#section-4-status"');
    expect(refused.body).toContain('href="#section-5-status"');
  });

  it('catches typing mistakes in the outputs, naming each box, and keeps what was typed', async () => {
    const form = await partner.get(`${P}/outputs`);
    expect(form.status).toBe(200);
    const text = pageText(form.body);
    expect(text).toContain(
      'Jobs created (gross, FTE, permanent) Target 1,500 Claimed so far 60 (every quarter recorded, including 2016-17 Q4 before its return is submitted) Accepted forecast of the final total 1,450',
    );
    expect(text).toContain('Target 30.00 Claimed so far 8.50');
    const fields = formFields(form.body, `${P}/outputs`);
    expect([
      fields['o-JOBS_CREATED-forecast'],
      fields['o-JOBS_CREATED-1-quarter'],
      fields['o-JOBS_CREATED-1-value'],
      fields['o-SITE_AREA-forecast'],
    ]).toEqual(['1,450', '2016-17 Q4', '', '30.00']);

    // Mistakes the form catches itself: a fraction of a job, a negative count, too many places, no answer.
    const bad = await partner.post(`${P}/outputs`, {
      ...fields,
      'o-JOBS_CREATED-1-value': '12.5',
      'o-JOBS_CREATED-1-key': 'EMPLOYER:ONE',
      'o-JOBS_CREATED-2-quarter': '2016-17 Q4',
      'o-JOBS_CREATED-2-value': '-3',
      'o-JOBS_CREATED-2-key': 'EMPLOYER:TWO',
      'o-SITE_AREA-1-value': '1.255',
      'o-SITE_AREA-1-key': 'SITE:PLOT 9',
    });
    expect(bad.status).toBe(400);
    expect(pageText(bad.body)).toContain(
      'There is a problem Say whether you have finished the outputs ' +
        'Amount claimed for jobs created (claim 1) must be a whole number, like 12 ' +
        'Amount claimed for jobs created (claim 2) must be 0 or more ' +
        'Amount claimed for employment land unlocked (claim 1) must have no more than 2 decimal places, like 12.00',
    );
    expect(bad.body).toContain('href="#o-JOBS_CREATED-1-value"');
    expect(bad.body).toContain('href="#complete"');
    expect(bad.body).toMatch(/<input[^>]*id="o-JOBS_CREATED-1-value"[^>]*value="12.5"/);

    // Mistakes the outputs feature's rules catch: a future quarter, a submitted (locked) quarter,
    // a quarter that is not one, the same key twice in one quarter.
    const rules = await partner.post(`${P}/outputs`, {
      ...fields,
      complete: 'yes',
      'o-JOBS_CREATED-1-quarter': '2017-18 Q1',
      'o-JOBS_CREATED-1-value': '5',
      'o-JOBS_CREATED-1-key': 'EMPLOYER:ONE',
      'o-JOBS_CREATED-2-quarter': '2016-17 Q3',
      'o-JOBS_CREATED-2-value': '5',
      'o-JOBS_CREATED-2-key': 'EMPLOYER:TWO',
      'o-JOBS_CREATED-3-quarter': 'Q4 2016',
      'o-JOBS_CREATED-3-value': '5',
      'o-JOBS_CREATED-3-key': 'EMPLOYER:THREE',
      'o-JOBS_CREATED-4-quarter': '2016-17 Q4',
      'o-JOBS_CREATED-4-value': '5',
      'o-JOBS_CREATED-4-key': 'employer:four',
      'o-JOBS_CREATED-5-quarter': '2016-17 Q4',
      'o-JOBS_CREATED-5-value': '6',
      'o-JOBS_CREATED-5-key': ' Employer:Four ',
    });
    expect(rules.status).toBe(400);
    const r = pageText(rules.body);
    expect(r).toContain(
      'Jobs created (claim 1): 2017-18 Q1 is after the reporting quarter 2016-17 Q4: actuals cannot be recorded for the future',
    );
    expect(r).toContain('Jobs created (claim 2): 2016-17 Q3 is locked: its return has been submitted');
    expect(r).toContain('Jobs created (claim 3): Must be a quarter like "2015-16 Q1"');
    expect(r).toContain('Jobs created (claim 5): EMPLOYER:FOUR is claimed twice for 2016-17 Q4 in this update');
    expect(rules.body).toContain('href="#o-JOBS_CREATED-1-quarter"');
    expect(rules.body).toContain('href="#o-JOBS_CREATED-5-key"');
    expect(await t.ds.getRepository(OutputActual).count({ where: { projectId: etruria, quarter: '2016-17 Q4' } })).toBe(
      0,
    );
  });

  it('saves claims and forecasts as a draft, commas read, double claims flagged', async () => {
    const fields = formFields((await partner.get(`${P}/outputs`)).body, `${P}/outputs`);
    const saved = await partner.post(`${P}/outputs`, {
      ...fields,
      complete: 'no',
      'o-JOBS_CREATED-forecast': '1,500',
      'o-JOBS_CREATED-1-quarter': '2016/17 q4',
      'o-JOBS_CREATED-1-value': '45',
      'o-JOBS_CREATED-1-key': 'employer:northgate  logistics',
      'o-JOBS_CREATED-1-evidence': 'Employer headcount return, March 2017',
      'o-JOBS_CREATED-2-quarter': '2016-17 Q4',
      'o-JOBS_CREATED-2-value': '1,020',
      'o-JOBS_CREATED-2-key': 'EMPLOYER:POTTERIES TILES',
      'o-SITE_AREA-1-value': '2.5 ha',
      'o-SITE_AREA-1-key': 'SITE:ETRURIA PLOT 4',
    });
    expect([saved.status, saved.location]).toEqual([303, P]);
    const page = pageText((await partner.get(P)).body);
    expect(page).toContain('Outputs saved as a draft');
    expect(page).toContain('Outputs: claims and forecasts Required before submitting In progress');

    const again = await partner.get(`${P}/outputs`);
    const f = formFields(again.body, `${P}/outputs`);
    expect([
      f['o-JOBS_CREATED-forecast'],
      f['o-JOBS_CREATED-1-quarter'],
      f['o-JOBS_CREATED-1-value'],
      f['o-JOBS_CREATED-1-key'],
      f['o-JOBS_CREATED-2-value'],
      f['o-JOBS_CREATED-3-value'],
      f['o-SITE_AREA-1-value'],
      f['o-SITE_AREA-forecast'],
      f.complete,
    ]).toEqual(['1,500', '2016-17 Q4', '45', 'EMPLOYER:NORTHGATE LOGISTICS', '1,020', '', '2.50', '30.00', 'no']);
    expect(pageText(again.body)).toContain(
      'EMPLOYER:NORTHGATE LOGISTICS is also claimed by BERICOTE, LICHFIELD: counted once in the programme totals',
    );
    // Held on the update: nothing recorded until it is accepted.
    expect(await t.ds.getRepository(OutputActual).count({ where: { projectId: etruria, quarter: '2016-17 Q4' } })).toBe(
      0,
    );
    expect(
      (await t.ds.getRepository(OutputTarget).findOneByOrFail({ projectId: etruria, metricCode: 'JOBS_CREATED' }))
        .forecastValue,
    ).toBe(1450);
  });

  it('keeps a risk register: added, changed and closed, audited before and after, read through the API', async () => {
    const empty = await partner.get(`${P}/risks`);
    expect(pageText(empty.body)).toContain('No risks are recorded for ETRURIA.');
    const bad = await partner.post(`${P}/risks`, { description: ' ', likelihood: '', impact: '7', owner: '' });
    expect(bad.status).toBe(400);
    expect(pageText(bad.body)).toContain(
      'There is a problem Enter a description of the risk Choose the likelihood, from 1 (very low) to 5 (very high) Choose the impact, from 1 (very low) to 5 (very high) Enter who owns the risk',
    );
    expect(bad.body).toContain('href="#likelihood"');
    expect(await t.ds.getRepository(ProjectRisk).count()).toBe(0);

    const add = (description: string, likelihood: string, impact: string, mitigation: string, owner: string) =>
      partner.post(`${P}/risks`, { description, likelihood, impact, mitigation, owner });
    expect(
      (
        await add(
          'Ground remediation costs exceed the estimate',
          '3',
          '4',
          'Contingency of 10 % held',
          'Project director',
        )
      ).location,
    ).toBe(`${P}/risks`);
    expect((await add('Tenant for plot 4 withdraws', '2', '3', '', 'Estates lead')).status).toBe(303);
    const [ground, tenant] = await t.ds.getRepository(ProjectRisk).find({ order: { id: 'ASC' } });
    expect(pageText((await partner.get(P)).body)).toContain('Risks Required before submitting In progress');

    // Changed: likelihood 3 → 4; the tenant risk closed.
    const edit = await partner.get(`${P}/risks/${ground.id}`);
    const ef = formFields(edit.body, `${P}/risks/${ground.id}`);
    expect(
      (
        await partner.post(`${P}/risks/${ground.id}`, {
          ...ef,
          description: ground.description,
          likelihood: '4',
          impact: '4',
          mitigation: 'Contingency of 10 % held',
          owner: 'Project director',
        })
      ).status,
    ).toBe(303);
    await partner.get(`${P}/risks/${tenant.id}`);
    expect((await partner.post(`${P}/risks/${tenant.id}/close`, {})).status).toBe(303);
    // A closed risk is not changed; another project's manager cannot reach this one.
    const closed = await partner.post(`${P}/risks/${tenant.id}`, {
      description: 'x',
      likelihood: '1',
      impact: '1',
      owner: 'y',
    });
    expect(closed.status).toBe(400);
    expect(pageText(closed.body)).toContain('This risk is closed: add a new risk instead');
    await otherPm.get('/manage/quarter');
    expect((await otherPm.post(`${P}/risks/${ground.id}/close`, {})).status).toBe(403);
    expect((await otherPm.post(`/manage/quarter/LICHFIELD/risks/${ground.id}/close`, {})).status).toBe(404);

    const rows = (await partner.get(`${P}/risks`)).body;
    const table = pageText(rows.slice(rows.indexOf('<table'), rows.indexOf('</table>')));
    expect(table).toBe(
      'Risk register Risk Likelihood Impact Score Mitigation Owner Status ' +
        'Ground remediation costs exceed the estimate 4 high 4 high 16 Contingency of 10 % held Project director Open ' +
        'Tenant for plot 4 withdraws 2 low 3 medium 6 – Estates lead Closed in 2016-17 Q4',
    );

    const audit = await t.ds
      .getRepository(AuditEntry)
      .find({ where: { entity: 'project_risk' }, order: { id: 'ASC' } });
    expect(audit.map((a) => [a.action, a.actor, a.entityId])).toEqual([
      ['create', PARTNER, String(ground.id)],
      ['create', PARTNER, String(tenant.id)],
      ['update', PARTNER, String(ground.id)],
      ['close', PARTNER, String(tenant.id)],
    ]);
    expect([audit[2].before, audit[2].after]).toEqual([
      {
        description: 'Ground remediation costs exceed the estimate',
        likelihood: '3 (medium)',
        impact: '4 (high)',
        mitigation: 'Contingency of 10 % held',
        owner: 'Project director',
        status: 'open',
      },
      {
        description: 'Ground remediation costs exceed the estimate',
        likelihood: '4 (high)',
        impact: '4 (high)',
        mitigation: 'Contingency of 10 % held',
        owner: 'Project director',
        status: 'open',
      },
    ]);
    expect([(audit[3].before as { status: string }).status, audit[3].after]).toEqual([
      'open',
      {
        description: 'Tenant for plot 4 withdraws',
        likelihood: '2 (low)',
        impact: '3 (medium)',
        mitigation: null,
        owner: 'Estates lead',
        status: 'closed',
        closedIn: '2016-17 Q4',
      },
    ]);

    const api = await t.request('GET', '/api/programmes/SSLEP-GD-2014/projects/ETRURIA/risks');
    expect(api.status).toBe(200);
    expect(api.body).toEqual({
      project: 'ETRURIA',
      risks: [
        {
          id: ground.id,
          description: 'Ground remediation costs exceed the estimate',
          likelihood: 4,
          impact: 4,
          score: 16,
          mitigation: 'Contingency of 10 % held',
          owner: 'Project director',
          status: 'open',
          raisedIn: '2016-17 Q4',
          closedIn: null,
          version: 2,
        },
        {
          id: tenant.id,
          description: 'Tenant for plot 4 withdraws',
          likelihood: 2,
          impact: 3,
          score: 6,
          mitigation: null,
          owner: 'Estates lead',
          status: 'closed',
          raisedIn: '2016-17 Q4',
          closedIn: '2016-17 Q4',
          version: 2,
        },
      ],
    });
    expect((await t.request('GET', '/api/programmes/SSLEP-GD-2014/projects/NOPE/risks')).status).toBe(404);
  });

  it('is submitted once both parts are done, and acceptance records the claims and forecasts', async () => {
    await partner.get(P);
    const inProgress = await partner.post(`${P}/submit`);
    expect(inProgress.status).toBe(400);
    expect(pageText(inProgress.body)).toContain(
      'There is a problem Say you have finished the outputs: the section is in progress Say you have finished reviewing the risks: the section is in progress',
    );
    const fields = formFields((await partner.get(`${P}/outputs`)).body, `${P}/outputs`);
    expect((await partner.post(`${P}/outputs`, { ...fields, complete: 'yes' })).status).toBe(303);
    await partner.get(`${P}/risks`);
    const noAnswer = await partner.post(`${P}/risk-review`, {});
    expect(noAnswer.status).toBe(400);
    expect(pageText(noAnswer.body)).toContain('There is a problem Say whether you have finished reviewing the risks');
    expect((await partner.post(`${P}/risk-review`, { reviewed: 'yes' })).status).toBe(303);
    const page = pageText((await partner.get(P)).body);
    expect(page).toContain('Outputs: claims and forecasts Required before submitting Done');
    expect(page).toContain('Risks Required before submitting Done');
    expect((await partner.post(`${P}/submit`)).status).toBe(303);
    // Submitted: the risks are not edited in the update until it is returned.
    await partner.get(`${P}/risks`);
    const locked = await partner.post(`${P}/risks`, { description: 'x', likelihood: '1', impact: '1', owner: 'y' });
    expect(locked.status).toBe(400);
    expect(pageText(locked.body)).toContain('has been submitted and is waiting for review');

    await pm.get(P);
    expect((await pm.post(`${P}/accept`)).status).toBe(303);
    const claims = await t.ds.getRepository(OutputActual).find({
      where: { projectId: etruria, quarter: '2016-17 Q4' },
      order: { metricCode: 'ASC', claimKey: 'ASC' },
    });
    expect(claims.map((c) => [c.metricCode, c.claimKey, c.value, c.evidence, c.recordedBy])).toEqual([
      ['JOBS_CREATED', 'EMPLOYER:NORTHGATE LOGISTICS', 45, 'Employer headcount return, March 2017', PM],
      ['JOBS_CREATED', 'EMPLOYER:POTTERIES TILES', 1020, null, PM],
      ['SITE_AREA', 'SITE:ETRURIA PLOT 4', 250, null, PM],
    ]);
    const jobs = await t.ds
      .getRepository(OutputTarget)
      .findOneByOrFail({ projectId: etruria, metricCode: 'JOBS_CREATED' });
    expect([jobs.targetValue, jobs.forecastValue]).toEqual([1500, 1500]);
    const site = await t.ds
      .getRepository(OutputTarget)
      .findOneByOrFail({ projectId: etruria, metricCode: 'SITE_AREA' });
    expect([site.forecastValue, site.version]).toEqual([3000, 1]);

    const outputs = await t.request('GET', '/api/programmes/SSLEP-GD-2014/projects/ETRURIA/outputs');
    const j = outputs.body.metrics.find((x: { metric: string }) => x.metric === 'JOBS_CREATED');
    expect([j.cumulative, j.forecast]).toEqual([1125, 1500]);
    expect(
      j.actuals
        .filter((a: { quarter: string }) => a.quarter === '2016-17 Q4')
        .map((a: { claimKey: string; doubleClaim: boolean }) => [a.claimKey, a.doubleClaim]),
    ).toEqual([
      ['EMPLOYER:NORTHGATE LOGISTICS', true],
      ['EMPLOYER:POTTERIES TILES', false],
    ]);
    // One audit entry for the acceptance holds each claim and forecast it recorded, before and after.
    expect(await t.ds.getRepository(AuditEntry).count({ where: { entity: 'output_actual', projectId: etruria } })).toBe(
      0,
    );
    const acc = await t.ds
      .getRepository(AuditEntry)
      .findOneByOrFail({ entity: 'quarterly_update', action: 'accept', projectId: etruria });
    type Row = { entity: string; action: string; values: Record<string, unknown> | null };
    const outputRows = (snap: unknown) =>
      (snap as { applied: Row[] }).applied
        .filter((r) => r.entity.startsWith('output'))
        .map((r) => [r.entity, r.action, r.values?.claimKey ?? null, r.values?.value ?? r.values?.forecast ?? null]);
    expect(outputRows(acc.before)).toEqual([
      ['output_actual', 'create', null, null],
      ['output_actual', 'create', null, null],
      ['output_actual', 'create', null, null],
      ['output_target', 'update', null, 1450],
    ]);
    expect(outputRows(acc.after)).toEqual([
      ['output_actual', 'create', 'EMPLOYER:NORTHGATE LOGISTICS', 45],
      ['output_actual', 'create', 'EMPLOYER:POTTERIES TILES', 1020],
      ['output_actual', 'create', 'SITE:ETRURIA PLOT 4', '2.50'],
      ['output_target', 'update', null, 1500],
    ]);
  });
});
