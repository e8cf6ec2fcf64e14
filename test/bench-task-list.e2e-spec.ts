import { comparableHtml, measureTaskListHttp } from '../src/bench/task-list-http';
import { openTarget, BenchTarget } from '../src/bench/targets';
import { databaseKinds } from './support/databases';

/**
 * The bench's staff task list row (issue 18): the app's page signed in as a programme manager
 * against a bare node:http server writing the same page from its own SQL. The two pages are
 * compared before timing; here, on a small generated dataset, that comparison runs for real.
 */
describe.each(databaseKinds())('bench: the staff task list, app vs bare node:http, on %s (20 projects)', (kind) => {
  let t: BenchTarget;
  let base: string;
  let code: string;
  const one = async (sql: string, params: unknown[] = []) =>
    Number(Object.values((await t.raw.all<Record<string, unknown>>(sql, params))[0])[0]);
  beforeAll(async () => {
    t = await openTarget(kind, { leps: 3, projects: 20, quarters: 8, seed: 5 });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    code = [...t.dataset.plan.seeds].sort((a, b) => b.projects.length - a.projects.length)[0].programme.code;
    // Generating and loading took 20-70 s on a loaded 2-core machine: beyond the default 60 s.
  }, 300_000);
  afterAll(async () => t?.close());

  it('the two pages agree (every row, status, count and the header) before any timing, and the run leaves no trace', async () => {
    const p = t.kind === 'postgres' ? '$1' : '?';
    const live = await one(
      `SELECT COUNT(*) FROM project p JOIN programme g ON g.id = p.programme_id WHERE g.code = ${p} AND p.status <> 'withdrawn'`,
      [code],
    );
    expect(live).toBeGreaterThan(4);
    const m = await measureTaskListHttp(t, base, code, { requests: 6, concurrency: 2, rounds: 3 });
    expect(m.rounds).toBe(3);
    expect(m.rows).toBe(live);
    // One project in five at each stage: the 3rd and 4th of every five (submitted, returned) are the manager's notices.
    const waiting = Array.from({ length: live }, (_, i) => i % 5).filter((r) => r === 2 || r === 3).length;
    expect(m.notices).toBe(waiting);
    expect(m.appRps).toBeGreaterThan(0);
    expect(m.bareRps).toBeGreaterThan(0);
    // The seeded updates, the manager's assignments and sessions are gone (later rows empty the deal tables).
    expect(await one('SELECT COUNT(*) FROM quarterly_update')).toBe(0);
    expect(await one('SELECT COUNT(*) FROM user_project')).toBe(0);
    expect(await one('SELECT COUNT(*) FROM web_session')).toBe(0);
  });

  it('the comparison sets aside only whitespace between tags and the CSRF token', () => {
    const page = (status: string, token: string) =>
      `<form>\n  <input type="hidden" name="_csrf" value="${token}">\n</form>\n<ul>\n  <li>\n    <strong class="govuk-tag">\n      ${status}\n    </strong>\n  </li>\n</ul>`;
    expect(comparableHtml(page('Accepted', 'a-1'))).toBe(comparableHtml(page('Accepted', 'b-2')));
    expect(comparableHtml(page('Accepted', 'a-1'))).toBe(
      '<form><input type="hidden" name="_csrf" value=""></form><ul><li><strong class="govuk-tag">Accepted</strong></li></ul>',
    );
    expect(comparableHtml(page('Accepted', 'a-1'))).not.toBe(comparableHtml(page('Returned', 'a-1')));
  });
});
