import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

/**
 * "Worst" explanations name one item among equally bad ones. Which one must not depend on the
 * rows' physical order: a PostgreSQL database restored with pg_restore (or one whose rows were
 * updated) returns an unordered scan in another order than before. The test rewrites a project's
 * milestone and output-target rows in reverse physical order (same ids, same values) and
 * expects every RAG explanation of the programme to be unchanged.
 */
const P = '/api/programmes/SSLEP-GD-2014';

describe.each(databaseKinds())('RAG explanations and physical row order on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('explains the same worst item after the rows are rewritten in reverse order', async () => {
    // Three milestones of one project slipped by more than 90 days: all red, each a candidate for "worst".
    for (const title of ['Alpha works', 'Bravo works', 'Charlie works']) {
      const res = await t.request('POST', `${P}/projects/MEAFORD/milestones`, {
        kind: 'start_on_site',
        title,
        baselineDate: '2015-05-01',
        forecastDate: '2016-05-01',
      });
      expect(res.status).toBe(201);
    }
    const before = (await t.request('GET', `${P}/rag`)).body;
    const meaford = before.projects.find((p: { project: string }) => p.project === 'MEAFORD');
    expect(meaford.milestones.rag).toBe('red');
    expect(meaford.milestones.numbers.red).toBeGreaterThanOrEqual(3);

    // Raw SQL keeps every column, the ids included (TypeORM's insert would draw new ids).
    await t.ds.transaction(async (m) => {
      for (const table of ['milestone', 'output_target']) {
        const rows: Record<string, unknown>[] = await m.query(`SELECT * FROM ${table} ORDER BY id`);
        await m.query(`DELETE FROM ${table}`);
        for (const r of [...rows].reverse()) {
          const cols = Object.keys(r);
          const marks = cols.map((_, i) => (kind === 'postgres' ? `$${i + 1}` : '?'));
          await m.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks.join(', ')})`, Object.values(r));
        }
      }
    });
    if (kind === 'postgres') {
      // The rewrite really changed the order of an unordered scan (else the test proves nothing).
      const scan: { id: number }[] = await t.ds.query('SELECT id FROM milestone');
      const ids = scan.map((r) => Number(r.id));
      expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
    }
    const after = (await t.request('GET', `${P}/rag`)).body;
    expect(after).toEqual(before);
  });
});
