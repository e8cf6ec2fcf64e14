import { parse } from 'csv-parse/sync';
import { Writable } from 'node:stream';
import { SignInThrottle } from '../src/auth/user.entity';
import { WebSession } from '../src/auth/web-session.entity';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { Project } from '../src/projects/project.entity';
import { sessionKey } from '../src/web/session/session-store';
import { LOCK_AFTER } from '../src/auth/sign-in-throttle';
import { databaseKinds } from './support/databases';
import { queryCounter } from './support/queries';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, pageText, passwordFor, WebClient } from './support/web-client';

/**
 * The staff pages' foundation over real HTTP (inject) on a real database: sign-in, sessions,
 * CSRF, lockout, the admin's user pages, the audit trail in words, notices, and what must
 * never appear in a page or a log.
 */
describe.each(databaseKinds())('staff pages foundation on %s', (kind) => {
  let t: TestApp;
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  let admin: { email: string; password: string; id: number };

  beforeAll(async () => {
    t = await startTestApp(kind, { LOG_LEVEL: 'info', WRITE_RATE_LIMIT: '100000' }, { logStream });
    admin = await makeUser(t.app, 'admin', 'web-admin@test.invalid');
  }, 120_000);
  afterAll(async () => t?.close());

  const sessions = () => t.ds.getRepository(WebSession).count();

  it('public pages and assets create no session; staff pages send the anonymous to sign in', async () => {
    const before = await sessions();
    const c = new WebClient(t.app);
    expect((await c.get('/')).status).toBe(200);
    expect((await c.get('/manage/assets/manage.css')).status).toBe(200);
    expect(c.cookie).toBeUndefined();
    const home = await c.get('/manage/admin/users');
    expect([home.status, home.location]).toEqual([303, '/manage/sign-in?next=%2Fmanage%2Fadmin%2Fusers']);
    expect(c.cookie).toBeUndefined();
    expect(await sessions()).toBe(before);
  });

  it('signs in with a new session id (no fixation), cookie flags set, and signs out', async () => {
    const c = new WebClient(t.app);
    const form = await c.get('/manage/sign-in?next=/manage/admin/users');
    expect(form.status).toBe(200);
    const setCookie = String(form.headers['set-cookie']);
    expect(setCookie).toMatch(/^gdt_session=[\w-]{43}; Path=\/manage; HttpOnly; SameSite=Lax$/);
    const anonymousId = c.sessionId!;
    const anonymousToken = c.lastToken!;
    const res = await c.post('/manage/sign-in', {
      email: admin.email,
      password: admin.password,
      next: '/manage/admin/users',
    });
    expect([res.status, res.location]).toEqual([303, '/manage/admin/users']);
    expect(c.sessionId).toBeDefined();
    expect(c.sessionId).not.toBe(anonymousId);
    // The pre-sign-in session is gone from the store, and its id no longer signs anyone in.
    expect(await t.ds.getRepository(WebSession).findOneBy({ idSha256: sessionKey(anonymousId) })).toBeNull();
    const users = await c.get('/manage/admin/users');
    expect(users.status).toBe(200);
    expect(pageText(users.body)).toContain('web-admin@test.invalid');
    // A new CSRF secret came with the new session: the old token no longer works.
    expect(c.lastToken).not.toBe(anonymousToken);
    const stale = await c.post('/manage/admin/users/1/unlock', { _csrf: anonymousToken });
    expect(stale.status).toBe(403);
    expect(pageText(stale.body)).toContain('This form has expired');
    const stolen = new WebClient(t.app);
    stolen.cookie = `gdt_session=${anonymousId}`;
    expect((await stolen.get('/manage')).status).toBe(303);
    const out = await c.post('/manage/sign-out');
    expect([out.status, out.location]).toEqual([303, '/manage/sign-in?signed-out=1']);
    expect((await c.get('/manage')).status).toBe(303);
  });

  it('refuses a form post without a valid CSRF token and changes nothing', async () => {
    const c = new WebClient(t.app);
    await c.signIn(admin.email);
    await c.get('/manage/admin/users/new');
    const audits = await t.ds.getRepository(AuditEntry).count();
    for (const token of ['', 'forged-token', undefined]) {
      const res =
        token === undefined
          ? await c.request('POST', '/manage/admin/users', { name: 'X', email: 'x@test.invalid', role: 'viewer' })
          : await c.post('/manage/admin/users', {
              _csrf: token,
              name: 'X',
              email: 'x@test.invalid',
              role: 'viewer',
              password: 'quiet lantern meadow',
            });
      expect(res.status).toBe(403);
      expect(pageText(res.body)).toContain('This form has expired');
    }
    expect(await t.ds.getRepository(AuditEntry).count()).toBe(audits);
    // The token also travels in a header (for multipart uploads).
    const viaHeader = await c.request(
      'POST',
      '/manage/admin/users',
      { name: 'Header Person', email: 'header@test.invalid', role: 'viewer', password: 'quiet lantern meadow' },
      { 'x-csrf-token': c.lastToken! },
    );
    expect(viaHeader.status).toBe(303);
  });

  it('ends a session after 30 minutes idle or 12 hours in all; refreshes the idle clock at most once a minute', async () => {
    const c = new WebClient(t.app);
    await c.signIn(admin.email);
    const repo = t.ds.getRepository(WebSession);
    const key = sessionKey(c.sessionId!);
    await c.get('/manage'); // the first page stores the session's CSRF secret
    const row = await repo.findOneByOrFail({ idSha256: key });
    // Two more page views within the minute: no write to the idle clock.
    await c.get('/manage');
    await c.get('/manage');
    expect((await repo.findOneByOrFail({ idSha256: key })).lastSeenAt).toBe(row.lastSeenAt);
    // 2 minutes idle: the next view moves the clock.
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    await repo.update({ idSha256: key }, { lastSeenAt: ago(120_000) });
    expect((await c.get('/manage')).status).toBe(200);
    expect(Date.parse((await repo.findOneByOrFail({ idSha256: key })).lastSeenAt)).toBeGreaterThan(Date.now() - 10_000);
    // 31 minutes idle: signed out.
    await repo.update({ idSha256: key }, { lastSeenAt: ago(31 * 60_000) });
    const idle = await c.get('/manage/notices');
    expect([idle.status, idle.location]).toEqual([303, '/manage/sign-in?next=%2Fmanage%2Fnotices']);
    expect(await repo.findOneBy({ idSha256: key })).toBeNull();
    // Active all along but signed in 12 hours ago: signed out.
    await c.signIn(admin.email);
    const key2 = sessionKey(c.sessionId!);
    await repo.update({ idSha256: key2 }, { createdAt: ago(12 * 3600_000 + 1000), lastSeenAt: ago(1000) });
    expect((await c.get('/manage')).status).toBe(303);
  });

  it('locks an account after repeated failures from one address, with rising waits; others are unaffected; an admin unlocks', async () => {
    const victim = await makeUser(t.app, 'finance', 'locked-finance@test.invalid');
    const attacker = new WebClient(t.app, '10.9.9.9');
    const throttles = t.ds.getRepository(SignInThrottle);
    const statuses: number[] = [];
    for (let i = 0; i < LOCK_AFTER; i++) {
      // Wait out each rising delay by moving the last failure back in time.
      await throttles.update({ client: '10.9.9.9' }, { lastFailedAt: new Date(Date.now() - 3600_000).toISOString() });
      statuses.push((await attacker.signIn(victim.email, 'wrong guess number ' + i)).status);
    }
    expect(statuses).toEqual(Array(LOCK_AFTER).fill(401));
    // Straight after a failure, the next attempt must wait (not even checked).
    const row = await throttles.findOneByOrFail({ userId: victim.id, client: '10.9.9.9' });
    expect(row.failures).toBe(LOCK_AFTER);
    expect(row.lockedAt).not.toBeNull();
    const locked = await attacker.signIn(victim.email);
    expect(locked.status).toBe(429);
    expect(pageText(locked.body)).toContain('This account is locked after too many failed sign-in attempts');
    // The owner, elsewhere, still signs in with the right password, and is told about the failures.
    const owner = new WebClient(t.app, '10.1.1.1');
    const ok = await owner.signIn(victim.email);
    expect(ok.status).toBe(303);
    expect(pageText((await owner.get('/manage')).body)).toContain(
      `There were ${LOCK_AFTER} failed attempts to sign in to your account since you last signed in`,
    );
    // The admin sees a notice and unlocks.
    const a = new WebClient(t.app);
    await a.signIn(admin.email);
    const notices = await a.get('/manage/notices');
    expect(pageText(notices.body)).toContain(
      "Web finance locked-finance's account is locked after failed sign-in attempts",
    );
    expect(pageText(notices.body)).toMatch(/Notices\s*1/);
    await a.get(`/manage/admin/users/${victim.id}`);
    const unlocked = await a.post(`/manage/admin/users/${victim.id}/unlock`);
    expect(unlocked.status).toBe(303);
    expect(await throttles.countBy({ userId: victim.id })).toBe(0);
    expect((await attacker.signIn(victim.email)).status).toBe(303);
  });

  it('asks for a short wait after three failures, refusing without checking the password', async () => {
    const u = await makeUser(t.app, 'viewer', 'slow-viewer@test.invalid');
    const c = new WebClient(t.app, '10.2.2.2');
    for (let i = 0; i < 3; i++) expect((await c.signIn(u.email, 'not the password at all')).status).toBe(401);
    // As if the third failure were this instant (a slow machine may take a second between requests).
    await t.ds
      .getRepository(SignInThrottle)
      .update({ userId: u.id, client: '10.2.2.2' }, { lastFailedAt: new Date().toISOString() });
    const wait = await c.signIn(u.email);
    expect(wait.status).toBe(429);
    expect(pageText(wait.body)).toMatch(/Wait 1 second and try again/);
  });

  it('lets an admin create a delivery partner and a programme manager, assign projects, and issue a token shown once', async () => {
    const c = new WebClient(t.app);
    await c.signIn(admin.email);
    await c.get('/manage/admin/users/new');
    const bad = await c.post('/manage/admin/users', {
      name: '',
      email: 'not-an-email',
      role: '',
      password: 'password123',
    });
    expect(bad.status).toBe(400);
    const text = pageText(bad.body);
    expect(text).toContain('There is a problem');
    expect(text).toContain('Enter a full name');
    expect(text).toContain('Select a role');
    expect(text).toContain('Password must be 12 characters or more');
    expect(bad.body).toContain('href="#name"');
    const common = await c.post('/manage/admin/users', {
      name: 'Pat Partner',
      email: 'pat@partner.example',
      role: 'delivery_partner',
      password: 'password1234',
    });
    expect(pageText(common.body)).toContain('Password is too easy to guess');
    const made = await c.post('/manage/admin/users', {
      name: 'Pat Partner',
      email: 'pat@partner.example',
      role: 'delivery_partner',
      password: 'copper kettle winter',
    });
    expect(made.status).toBe(303);
    expect(pageText((await c.get(made.location!)).body)).toContain('Success Pat Partner can now sign in');
    const partnerId = Number(/\/manage\/admin\/users\/(\d+)$/.exec(made.location!)![1]);
    expect(pageText((await c.get(made.location!)).body)).not.toContain('can now sign in');
    await c.get('/manage/admin/users/new');
    const pm = await c.post('/manage/admin/users', {
      name: 'Morgan Manager',
      email: 'morgan@lep.example',
      role: 'programme_manager',
      password: 'violet harbour engine',
    });
    const pmId = Number(/(\d+)$/.exec(pm.location!)![1]);
    const etruria = await t.ds.getRepository(Project).findOneByOrFail({ code: 'ETRURIA' });
    const lichfield = await t.ds.getRepository(Project).findOneByOrFail({ code: 'LICHFIELD' });
    const page = await c.get(`/manage/admin/users/${partnerId}`);
    expect(pageText(page.body)).toContain(etruria.name);
    expect((await c.post(`/manage/admin/users/${partnerId}/projects`, { projects: [String(etruria.id)] })).status).toBe(
      303,
    );
    await c.get(`/manage/admin/users/${pmId}`);
    expect(
      (await c.post(`/manage/admin/users/${pmId}/projects`, { projects: [String(etruria.id), String(lichfield.id)] }))
        .status,
    ).toBe(303);
    const list = pageText((await c.get('/manage/admin/users')).body);
    expect(list).toContain(`Pat Partner pat@partner.example Delivery partner ${etruria.name} Active`);
    // The partner signs in and acts within ETRURIA only (the API's scope rule, now for partners too).
    const partner = new WebClient(t.app, '10.3.3.3');
    expect((await partner.signIn('pat@partner.example', 'copper kettle winter')).status).toBe(303);
    expect((await partner.get('/manage/admin/users')).status).toBe(403);
    // A token, shown once on the page that issued it, and never again.
    await c.get(`/manage/admin/users/${pmId}`);
    const issued = await c.post(`/manage/admin/users/${pmId}/tokens`, { label: 'spreadsheet macro', days: '30' });
    const token = /id="issued-token">(gdt_[^<]+)</.exec(issued.body)![1];
    expect((await t.request('GET', '/api/auth/me', undefined, { authorization: `Bearer ${token}` })).body.email).toBe(
      'morgan@lep.example',
    );
    expect((await c.get(`/manage/admin/users/${pmId}`)).body).not.toContain(token);
    // Deactivation signs the partner out at once.
    await c.get(`/manage/admin/users/${partnerId}`);
    expect((await c.post(`/manage/admin/users/${partnerId}/active`, { active: 'false' })).status).toBe(303);
    expect((await partner.get('/manage')).status).toBe(303);
    // Role changes and assignments are in the audit trail, in words.
    const audit = pageText((await c.get(`/manage/audit?project=&quarter=`)).body);
    expect(audit).toContain(`Changed the projects of the user “Pat Partner”`);
    expect(audit).toContain(`Projects – ${etruria.name}`);
    expect(audit).toContain(`Projects – ${etruria.name}, ${lichfield.name}`);
    expect(audit).toContain('Deactivated the user “Pat Partner”');
    expect(audit).toContain('Role – Delivery partner');
    // No page seen and no log line holds a password or the token (except the one page that issued it).
    const secrets = ['copper kettle winter', 'violet harbour engine', passwordFor(admin.email)];
    const pages = [...c.seen, ...partner.seen].filter((b) => b !== issued.body);
    for (const s of [...secrets, token]) {
      expect(pages.filter((b) => b.includes(s))).toEqual([]);
      expect(logs.filter((l) => l.includes(s))).toEqual([]);
    }
    expect(logs.length).toBeGreaterThan(10);
  });

  it('shows the audit trail in pounds and words, filtered by project and quarter, and as CSV', async () => {
    const etruria = await t.ds.getRepository(Project).findOneByOrFail({ code: 'ETRURIA' });
    const P = '/api/programmes/SSLEP-GD-2014';
    const line = await t.request('PUT', `${P}/projects/ETRURIA/spend/forecast`, {
      sourceKind: 'LGF',
      quarter: '2015-16 Q2',
      forecast: '1234.50',
    });
    expect(line.status).toBeLessThan(300);
    const c = new WebClient(t.app);
    await c.signIn(admin.email);
    const page = pageText((await c.get(`/manage/audit?project=${etruria.id}&quarter=2015-16+Q2`)).body);
    expect(page).toContain('for 2015-16 Q2');
    expect(page).toContain('Forecast');
    expect(page).toContain('£1,234.50');
    expect(page).not.toContain('123450');
    const other = pageText((await c.get(`/manage/audit?project=${etruria.id}&quarter=2016-17+Q1`)).body);
    expect(other).toContain('0 changes');
    const csv = await c.get(`/manage/audit/download.csv?project=${etruria.id}&quarter=2015-16+Q2`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('Entry,When (UTC),Who,Project,What,Field,Before,After');
    expect(lines.some((l) => l.includes(etruria.name) && l.includes('Forecast') && l.includes('"£1,234.50"'))).toBe(
      true,
    );
    // A note typed as a formula: through the shared CSV writer, neutralised with a leading ' and quoted.
    const ms = (
      await t.request('POST', `${P}/projects/ETRURIA/milestones`, {
        kind: 'start_on_site',
        title: 'Start on site (audit CSV)',
        baselineDate: '2017-06-01',
      })
    ).body;
    const FORMULA = '=HYPERLINK("http://example.invalid","open")';
    const patched = await t.request('PATCH', `${P}/milestones/${ms.id}`, {
      version: Number(ms.version),
      notes: FORMULA,
    });
    expect(patched.status).toBe(200);
    const [entry] = await t.ds.query(
      `SELECT id, at, actor FROM audit_entry WHERE entity = 'milestone' AND entity_id = '${ms.id}' ORDER BY id DESC`,
    );
    const all = await c.get(`/manage/audit/download.csv?project=${etruria.id}`);
    const rows = parse(all.body) as string[][];
    expect(rows[0]).toEqual(['Entry', 'When (UTC)', 'Who', 'Project', 'What', 'Field', 'Before', 'After']);
    expect(rows.filter((r) => r[0] === String(entry.id))).toEqual([
      [
        String(entry.id),
        entry.at,
        entry.actor,
        etruria.name,
        `Changed the milestone “${ms.title}”`,
        'Notes',
        '–',
        `'${FORMULA}`,
      ],
    ]);
    expect(all.body).toContain(`,Notes,–,"'=HYPERLINK(""http://example.invalid"",""open"")"\n`);
    const bad = await c.get('/manage/audit?quarter=2015-16+Q9');
    expect(bad.status).toBe(400);
  });

  it('renders each page from a bounded number of queries, whatever the number of users', async () => {
    const c = new WebClient(t.app);
    await c.signIn(admin.email);
    await c.get('/manage'); // stores the session's CSRF secret: later pages only read the session
    const counter = queryCounter(t.ds);
    try {
      const measure = async () => ({
        users: await counter.count(() => c.get('/manage/admin/users')),
        home: await counter.count(() => c.get('/manage')),
        audit: await counter.count(() => c.get('/manage/audit')),
      });
      const first = await measure();
      for (let i = 0; i < 5; i++) await makeUser(t.app, 'programme_manager', `bulk-${i}@test.invalid`, ['ETRURIA']);
      const second = await measure();
      expect(second).toEqual(first);
      expect(Math.max(first.users, first.home, first.audit)).toBeLessThanOrEqual(15);
    } finally {
      counter.restore();
    }
  });
});
