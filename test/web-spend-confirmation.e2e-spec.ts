import { AuditEntry } from '../src/audit/audit-entry.entity';
import { User } from '../src/auth/user.entity';
import { Project } from '../src/projects/project.entity';
import { QuarterlyUpdate } from '../src/quarterly-updates/quarterly-update.entity';
import { SpendProfileLine } from '../src/spend/spend.entities';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

/** The named inputs of a page's form with that action, as a browser would post them. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posts to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string> = {};
  for (const tag of form.match(/<input[^>]*>/g) ?? []) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    out[name] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '').replace(/&#163;|&pound;/g, '£');
  }
  return out;
}

const Q = '2016-17 Q4';
/** What a person reads, with the escaped angle brackets of "Name <email>" as they show. */
const read = (html: string) => pageText(html).replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/**
 * A delivery partner's spend counts as actual once finance confirms it (issue 18), on the demo
 * history (reporting quarter 2016-17 Q4): an accepted update applies its forecasts at once and
 * holds its actuals; finance is told, the return warns, and a finance user who did not submit
 * the update confirms it per project or all at once, audited in words. The person who submitted
 * an update reviews neither it nor its spend.
 */
describe.each(databaseKinds())('confirming a delivery partner’s spend on %s', (kind) => {
  let t: TestApp;
  let partner: WebClient;
  let pm: WebClient;
  let pm2: WebClient;
  let finance: WebClient;
  let third: string;

  const pid = async (code: string) => (await t.ds.getRepository(Project).findOneByOrFail({ code })).id;
  const line = async (code: string, sourceKind: string, quarter: string) =>
    t.ds.getRepository(SpendProfileLine).findOneByOrFail({ projectId: await pid(code), sourceKind, quarter });

  /** Types the spend actuals given (source kind → pounds as typed), finishes outputs and risks, and submits. */
  async function submitUpdate(c: WebClient, code: string, actuals: Record<string, string>) {
    const P = `/manage/quarter/${code}`;
    const form = await c.get(`${P}/spend`);
    let res = await c.post(`${P}/spend`, {
      ...formFields(form.body, `${P}/spend`),
      ...Object.fromEntries(Object.entries(actuals).map(([k, v]) => [`actual-${k}`, v])),
    });
    // Amounts typed with commas are shown back before saving: saved on the second post.
    if (res.status === 200) res = await c.post(`${P}/spend`, formFields(res.body, `${P}/spend`));
    expect([res.status, res.location]).toEqual([303, P]);
    const outputs = await c.get(`${P}/outputs`);
    expect(
      (await c.post(`${P}/outputs`, { ...formFields(outputs.body, `${P}/outputs`), complete: 'yes' })).status,
    ).toBe(303);
    await c.get(`${P}/risks`);
    expect((await c.post(`${P}/risk-review`, { reviewed: 'yes' })).status).toBe(303);
    await c.get(P);
    expect((await c.post(`${P}/submit`)).status).toBe(303);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { DEMO_DATA: 'true', WRITE_RATE_LIMIT: '100000' });
    // A third project with LGF spend in the reporting quarter, for the finance user who once submitted.
    const rows: { code: string }[] = await t.ds
      .getRepository(SpendProfileLine)
      .createQueryBuilder('l')
      .innerJoin(Project, 'p', 'p.id = l.project_id')
      .select('p.code', 'code')
      .where("l.quarter = :q AND l.source_kind = 'LGF' AND p.code NOT IN ('ETRURIA', 'LICHFIELD')", { q: Q })
      .andWhere("p.status <> 'withdrawn'")
      .orderBy('p.code', 'ASC')
      .getRawMany();
    third = rows[0].code;
    await makeUser(t.app, 'delivery_partner', 'partner@test.invalid', ['ETRURIA']);
    await makeUser(t.app, 'programme_manager', 'pm@test.invalid', ['ETRURIA', 'LICHFIELD', third]);
    await makeUser(t.app, 'programme_manager', 'pm2@test.invalid', ['LICHFIELD', third]);
    await makeUser(t.app, 'finance', 'finance@test.invalid');
    partner = new WebClient(t.app, '10.2.0.1');
    await partner.signIn('partner@test.invalid');
    pm = new WebClient(t.app, '10.2.0.2');
    await pm.signIn('pm@test.invalid');
    pm2 = new WebClient(t.app, '10.2.0.3');
    await pm2.signIn('pm2@test.invalid');
    finance = new WebClient(t.app, '10.2.0.4');
    await finance.signIn('finance@test.invalid');
  });
  afterAll(async () => t?.close());

  it('a partner’s accepted actuals wait for finance; forecasts apply at acceptance; finance confirms in words', async () => {
    expect((await line('ETRURIA', 'LGF', Q)).actualPence).toBe(12_000_000);
    const precommitted = (await line('ETRURIA', 'LGF_PRECOMMITTED', Q)).actualPence;
    await submitUpdate(partner, 'ETRURIA', { LGF: '115,000.00' });
    // A partner cannot reach the confirmation page, nor confirm.
    expect((await partner.get('/manage/confirm-spend')).status).toBe(403);
    expect(
      (await partner.post('/manage/confirm-spend/ETRURIA', { programme: 'SSLEP-GD-2014', quarter: Q })).status,
    ).toBe(403);

    await pm.get('/manage/quarter/ETRURIA');
    expect((await pm.post('/manage/quarter/ETRURIA/accept')).status).toBe(303);
    const page = pageText((await pm.get('/manage/quarter/ETRURIA')).body);
    expect(page).toContain(
      'Update accepted: its forecasts, milestones and outputs are now the latest; its actual spend awaits finance confirmation',
    );
    expect(page).toContain('Actual spend: awaiting finance confirmation');
    // Accepted, not yet actual: the spend line is unchanged to the penny.
    expect((await line('ETRURIA', 'LGF', Q)).actualPence).toBe(12_000_000);
    expect((await line('ETRURIA', 'LGF_PRECOMMITTED', Q)).actualPence).toBe(precommitted);
    const u = await t.ds
      .getRepository(QuarterlyUpdate)
      .findOneByOrFail({ projectId: await pid('ETRURIA'), quarter: Q });
    expect([u.status, u.spendState]).toEqual(['accepted', 'awaiting']);

    // Finance is told, with the count; the return warns while it is unconfirmed.
    const home = pageText((await finance.get('/manage/notices')).body);
    expect(home).toContain(
      `1 accepted update has actual spend for ${Q} of Stoke-on-Trent and Staffordshire Growth Deal (2014) awaiting your confirmation`,
    );
    const ret = pageText((await finance.get('/manage/returns/2016-17-Q4?programme=SSLEP-GD-2014')).body);
    expect(ret).toContain(
      `actual spend from 1 accepted quarterly update for ${Q} awaits finance confirmation and is not counted in this return: ETRURIA`,
    );

    const list = await finance.get('/manage/confirm-spend');
    expect(list.status).toBe(200);
    const text = read(list.body);
    expect(text).toContain(
      `Stoke-on-Trent and Staffordshire Growth Deal (2014): ${Q} 1 accepted update awaiting confirmation.`,
    );
    expect(text).toContain(
      `LGF £120,000.00 £115,000.00 LGF_PRECOMMITTED £${(precommitted! / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })} £${(precommitted! / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`,
    );
    expect(text).toContain('Submitted by Web delivery partner partner <partner@test.invalid>');
    expect(list.body).toContain('Confirm spend');

    const done = await finance.post(
      '/manage/confirm-spend/ETRURIA',
      formFields(list.body, '/manage/confirm-spend/ETRURIA'),
    );
    expect([done.status, done.location]).toEqual([303, '/manage/confirm-spend']);
    const after = pageText((await finance.get('/manage/confirm-spend')).body);
    expect(after).toContain(`Confirmed the ${Q} actual spend of ETRURIA: 1 actual recorded`);
    expect(after).toContain('No accepted spend is awaiting confirmation.');
    expect((await line('ETRURIA', 'LGF', Q)).actualPence).toBe(11_500_000);
    expect((await line('ETRURIA', 'LGF_PRECOMMITTED', Q)).actualPence).toBe(precommitted);
    expect(read((await pm.get('/manage/quarter/ETRURIA')).body)).toContain(
      'Actual spend confirmed by Web finance finance <finance@test.invalid>',
    );
    // Confirmed once: a second confirmation is refused in words.
    const again = await finance.post('/manage/confirm-spend/ETRURIA', { programme: 'SSLEP-GD-2014', quarter: Q });
    expect(again.status).toBe(409);
    expect(read(again.body)).toContain(
      `The ${Q} spend of ETRURIA was already confirmed by Web finance finance <finance@test.invalid>`,
    );
    // No notice left, no warning left.
    expect(pageText((await finance.get('/manage/notices')).body)).not.toContain('awaiting your confirmation');

    // The audit trail in words: who confirmed, and the actual before and after.
    const entry = await t.ds
      .getRepository(AuditEntry)
      .findOneOrFail({ where: { entity: 'quarterly_update', action: 'confirm_spend' }, order: { id: 'DESC' } });
    expect(entry.actor).toBe('Web finance finance <finance@test.invalid>');
    const audit = pageText((await finance.get(`/manage/audit?project=${await pid('ETRURIA')}`)).body);
    expect(audit).toContain(`Confirmed the actual spend of the quarterly update for ${Q}`);
    expect(audit).toContain(`Spend line LGF ${Q}: Actual £120,000.00 £115,000.00`);
    expect(audit).toContain('Actual spend awaiting finance confirmation confirmed by finance');
  });

  it('the person who submitted an update cannot accept or return it; another programme manager can', async () => {
    const P = '/manage/quarter/LICHFIELD';
    const before = (await line('LICHFIELD', 'LGF', Q)).actualPence;
    await submitUpdate(pm, 'LICHFIELD', { LGF: '4,321.09' });
    const page = pageText((await pm.get(P)).body);
    expect(page).toContain(
      'You submitted this update: another programme manager or an administrator must review it (separation of duties).',
    );
    expect(page).not.toContain('Accept the update');
    const self = await pm.post(`${P}/accept`);
    expect(self.status).toBe(403);
    expect(pageText(self.body)).toContain(
      `There is a problem You submitted the ${Q} update for LICHFIELD: another programme manager or an administrator must review it (separation of duties)`,
    );
    const selfReturn = await pm.post(`${P}/return`, { comment: 'My own' });
    expect(selfReturn.status).toBe(403);
    expect(
      (await t.ds.getRepository(QuarterlyUpdate).findOneByOrFail({ projectId: await pid('LICHFIELD'), quarter: Q }))
        .status,
    ).toBe('submitted');

    await pm2.get(P);
    expect((await pm2.post(`${P}/accept`)).status).toBe(303);
    expect((await line('LICHFIELD', 'LGF', Q)).actualPence).toBe(before);
    expect(pageText((await finance.get('/manage/confirm-spend')).body)).toContain('LGF');
  });

  it('finance cannot confirm spend they submitted; "Confirm all" confirms the rest and names what it left', async () => {
    // A programme manager submits, then moves to finance: their own update's spend waits for another finance user.
    await submitUpdate(pm2, third, { LGF: '1,234.56' });
    await pm.get(`/manage/quarter/${third}`);
    expect((await pm.post(`/manage/quarter/${third}/accept`)).status).toBe(303);
    await t.ds.getRepository(User).update({ email: 'pm2@test.invalid' }, { role: 'finance' });
    const list = await pm2.get('/manage/confirm-spend');
    expect(list.status).toBe(200);
    expect(pageText(list.body)).toContain(
      'You submitted this update: another finance user must confirm its spend (separation of duties).',
    );
    const own = await pm2.post(`/manage/confirm-spend/${third}`, { programme: 'SSLEP-GD-2014', quarter: Q });
    expect(own.status).toBe(403);
    expect(pageText(own.body)).toContain(
      `You submitted the ${Q} update for ${third}: another finance user must confirm its spend (separation of duties)`,
    );
    // Their notice counts only what they may confirm: LICHFIELD.
    expect(pageText((await pm2.get('/manage/notices')).body)).toContain(
      `1 accepted update has actual spend for ${Q} of Stoke-on-Trent and Staffordshire Growth Deal (2014) awaiting your confirmation`,
    );
    const all = await pm2.post('/manage/confirm-spend', { programme: 'SSLEP-GD-2014', quarter: Q });
    expect(all.status).toBe(303);
    expect(pageText((await pm2.get('/manage/confirm-spend')).body)).toContain(
      `Confirmed the ${Q} actual spend of 1 project (LICHFIELD); ${third} left for another finance user (you submitted it)`,
    );
    expect((await line('LICHFIELD', 'LGF', Q)).actualPence).toBe(432_109);
    expect((await line(third, 'LGF', Q)).actualPence).not.toBe(123_456);

    // The other finance user confirms it with "Confirm all".
    const page = await finance.get('/manage/confirm-spend');
    expect(pageText(page.body)).toContain(`${third}`);
    expect((await finance.post('/manage/confirm-spend', { programme: 'SSLEP-GD-2014', quarter: Q })).status).toBe(303);
    expect((await line(third, 'LGF', Q)).actualPence).toBe(123_456);
    expect(await t.ds.getRepository(QuarterlyUpdate).count({ where: { spendState: 'awaiting' } })).toBe(0);
  });
});
