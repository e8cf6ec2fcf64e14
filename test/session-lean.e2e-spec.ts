import { sessionUserSql } from '../src/auth/session-user';
import { leanQuery } from '../src/database/lean-read';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';
import { makeUser, pageText, WebClient } from './support/web-client';

/**
 * A staff page's session, user and assignments are one statement per request (issue 18's task
 * list bench): the session store reads all three, the guard takes the user from it, and the
 * user's current state (active, role, assignments) still decides every request.
 */
describe.each(databaseKinds())('staff session, user and assignments in one statement on %s', (kind) => {
  let t: TestApp;
  let pm: { email: string; id: number };
  let c: WebClient;
  const seen: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(kind);
    pm = await makeUser(t.app, 'programme_manager', 'lean-pm@test.invalid', ['ETRURIA', 'LICHFIELD']);
    c = new WebClient(t.app);
    expect((await c.signIn(pm.email)).status).toBe(303);
    await c.get('/manage'); // shows (and clears) the sign-in's flash message: a session write
    const logger = t.ds.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (...args: Parameters<typeof logger.logQuery>) => {
      seen.push(String(args[0]));
      return original(...args);
    };
  }, 120_000);
  afterAll(async () => t?.close());

  const statementsOf = async (url: string) => {
    seen.length = 0;
    const r = await c.get(url);
    return { r, sql: [...seen] };
  };
  const reading = (table: string, sql: string[]) =>
    sql.filter((s) => new RegExp(`(FROM|JOIN)\\s+("?\\w+"?\\.)?"?${table}"?\\s`, 'i').test(s));

  it('one statement reads the session row, the user and the assignments; none reads them again', async () => {
    const { r, sql } = await statementsOf('/manage/quarter?programme=SSLEP-GD-2014');
    expect(r.status).toBe(200);
    expect(sql[0]).toBe(sessionUserSql(kind));
    expect(reading('web_session', sql)).toEqual([sessionUserSql(kind)]);
    expect(reading('app_user', sql)).toEqual([sessionUserSql(kind)]);
    // The assignments: the page's own queries may join user_project; the guard's scope read does not repeat.
    expect(sql.filter((s) => /"up"\."user_id" = /.test(s))).toEqual([]);
    // The user and scope came from that row: the header names the user, the list shows both assigned projects.
    const text = pageText(r.body);
    expect(text).toContain('Web programme manager lean-pm');
    expect(r.body).toContain('/manage/quarter/ETRURIA?programme=SSLEP-GD-2014');
    expect(r.body).toContain('/manage/quarter/LICHFIELD?programme=SSLEP-GD-2014');
  });

  it('the user as it is now decides each request: a role change and a deactivation take effect at once', async () => {
    expect((await c.get('/manage/admin/users')).status).toBe(403);
    await t.ds.query(`UPDATE app_user SET role = 'admin' WHERE id = ${pm.id}`);
    expect((await c.get('/manage/admin/users')).status).toBe(200);
    await t.ds.query(`UPDATE app_user SET role = 'programme_manager' WHERE id = ${pm.id}`);
    expect((await c.get('/manage/admin/users')).status).toBe(403);
    // Deactivated behind the app's back (the session row stays): the session no longer signs anyone in.
    await t.ds.query(`UPDATE app_user SET active = ${kind === 'postgres' ? 'false' : '0'} WHERE id = ${pm.id}`);
    const after = await c.get('/manage/quarter?programme=SSLEP-GD-2014');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/manage\/sign-in/);
    await t.ds.query(`UPDATE app_user SET active = ${kind === 'postgres' ? 'true' : '1'} WHERE id = ${pm.id}`);
  });

  it('the user read with the session is never written into the session row', async () => {
    // A page that writes the session (a flash message after a form) stores only the session's own keys.
    const [row] = await t.ds.query(`SELECT data FROM web_session WHERE user_id = ${kind === 'postgres' ? '$1' : '?'}`, [
      pm.id,
    ]);
    expect(Object.keys(JSON.parse(row.data)).sort()).toEqual(['_csrf', 'userId']);
  });

  if (kind === 'postgres')
    it('PostgreSQL: a named prepared statement, prepared once on the connection and reused by every request', async () => {
      const sql = sessionUserSql('postgres');
      // Sequential requests: pg's pool hands back the most recently released client, so one connection serves them.
      const stats = async () =>
        (
          await leanQuery<{ name: string; n: string }>(
            t.ds,
            'SELECT name, generic_plans + custom_plans AS n FROM pg_prepared_statements WHERE statement = $1',
            [sql],
          )
        ).map((s) => ({ name: s.name, n: Number(s.n) }));
      await c.get('/manage');
      const before = await stats();
      expect(before).toHaveLength(1);
      expect(before[0].name).toMatch(/^gdt_[0-9a-f]{20}$/);
      for (let i = 0; i < 6; i++) expect((await c.get('/manage')).status).toBe(200);
      const after = await stats();
      expect(after).toEqual([{ name: before[0].name, n: before[0].n + 6 }]);
    });
});
