import { parse } from 'csv-parse/sync';
import { leanQuery } from '../src/database/lean-read';
import { breakdownSql } from '../src/reconciliation/breakdown.queries';
import { breakdown, DIMENSIONS, type Dimension } from '../src/reconciliation/engine';
import { presentBreakdown } from '../src/reconciliation/reconciliation-present';
import { ReconciliationService, type GroupFilter } from '../src/reconciliation/reconciliation.service';
import { cli as runCli } from './support/cli';
import { databaseKinds } from './support/databases';
import { startTestApp, TestApp } from './support/test-app';

const CODE = 'SSLEP-GD-2014';
const P = `/api/programmes/${CODE}`;

/** Every ordered choice of one or two dimensions, and a few of three. */
const COMBOS: Dimension[][] = [
  ...DIMENSIONS.map((d) => [d]),
  ...DIMENSIONS.flatMap((a) => DIMENSIONS.filter((b) => b !== a).map((b) => [a, b])),
  ['sourceKind', 'theme', 'year'],
  ['project', 'status', 'sourceKind'],
  ['year', 'project', 'theme'],
];

describe.each(databaseKinds())('breakdown grouped at the level asked, and the national breakdown, on %s', (kind) => {
  let t: TestApp;
  let programmeId: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    const [p] = await t.ds.query(`SELECT id FROM programme WHERE code = ${kind === 'postgres' ? '$1' : '?'}`, [CODE]);
    programmeId = Number(p.id);
  });
  afterAll(async () => t?.close());

  /** The engine over the finest groups (every dimension): what the route answered before it grouped at the asked level. */
  const finest = async (dims: Dimension[], filters: GroupFilter) => {
    const svc = t.app.get(ReconciliationService);
    const groups = await t.db.read((m) => svc.groups(m, programmeId, filters));
    return presentBreakdown({
      programme: { code: CODE, name: 'Stoke-on-Trent and Staffordshire Growth Deal (2014)' },
      filters,
      breakdown: breakdown(groups, dims),
    });
  };

  it('gives exactly what the engine gives over the finest groups, for every combination of dimensions and filters', async () => {
    const filters: [string, GroupFilter][] = [
      ['', { approval: 'approved', includeWithdrawn: false }],
      ['&approval=all&includeWithdrawn=true', { approval: 'all', includeWithdrawn: true }],
    ];
    for (const [query, f] of filters)
      for (const dims of COMBOS) {
        const r = await t.request('GET', `${P}/breakdown?by=${dims.join(',')}${query}`);
        expect(r.status).toBe(200);
        const want = await finest(dims, f);
        expect({ dims, body: r.body }).toEqual({ dims, body: { ...want, programme: r.body.programme } });
        expect(r.body.programme.code).toBe(CODE);
      }
  });

  it('a programme without allocations is an empty matrix, an unknown one a 404 naming it', async () => {
    const created = await t.request('POST', '/api/programmes', {
      code: 'EMPTY-DEAL',
      name: 'A deal with nothing allocated yet',
      startsOn: '2015-04-01',
      endsOn: '2021-03-31',
      firstQuarter: '2015-16 Q1',
    });
    expect(created.status).toBe(201);
    const r = await t.anonymous('GET', '/api/programmes/EMPTY-DEAL/breakdown?by=sourceKind,year');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: [], columns: [], grandTotal: '0.00' });
    const missing = await t.anonymous('GET', '/api/programmes/NO-SUCH-DEAL/breakdown?by=sourceKind');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('NO-SUCH-DEAL');
  });

  if (kind === 'postgres')
    it('PostgreSQL: the aggregate is one named prepared statement, planned once and then reused', async () => {
      const dims: Dimension[] = ['sourceKind', 'year'];
      const sql = breakdownSql('postgres', dims, { approval: 'approved', includeWithdrawn: false });
      // Sequential calls: pg's pool hands back the most recently released client, so one session serves them all.
      const stats = async () =>
        (
          await leanQuery<{ n: string; generic: string }>(
            t.ds,
            'SELECT generic_plans + custom_plans AS n, generic_plans AS generic FROM pg_prepared_statements WHERE statement = $1',
            [sql],
          )
        ).map((s) => ({ n: Number(s.n), generic: Number(s.generic) }));
      const before = (await stats())[0] ?? { n: 0, generic: 0 };
      for (let i = 0; i < 12; i++)
        expect((await t.anonymous('GET', `${P}/breakdown?by=sourceKind,year`)).status).toBe(200);
      const after = await stats();
      expect(after).toHaveLength(1); // prepared once on this connection, not once per call
      expect(after[0].n - before.n).toBe(12);
      // After its first custom plans PostgreSQL settles on the generic plan and stops planning.
      expect(after[0].generic).toBeGreaterThan(0);
    });

  describe('national breakdown', () => {
    it('public for approved money: with one programme loaded it is that programme by kind × year, without allocation ids', async () => {
      const national = await t.anonymous('GET', '/api/national/breakdown');
      expect(national.status).toBe(200);
      const own = (await t.anonymous('GET', `${P}/breakdown?by=sourceKind,year`)).body;
      expect(national.body.scope).toBe('national');
      expect(national.body.by).toEqual(['sourceKind', 'year']);
      expect(national.body.columns).toEqual(own.columns);
      expect(national.body.rows).toEqual(own.rows.map(({ allocationIds: _, ...r }: any) => r));
      expect(national.body.columnTotals).toEqual(own.columnTotals);
      expect(national.body.grandTotal).toBe(own.grandTotal);
      expect(national.body.grandTotal).not.toBe('0.00');
    });

    it('drafts only for a signed-in caller; a programme-only dimension is a 400 naming the field', async () => {
      const anon = await t.anonymous('GET', '/api/national/breakdown?approval=draft');
      expect(anon.status).toBe(403);
      expect((await t.request('GET', '/api/national/breakdown?approval=draft')).status).toBe(200);
      const bad = await t.anonymous('GET', '/api/national/breakdown?by=sourceKind,theme');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('by');
      expect(bad.text).toContain('theme');
    });

    it('as CSV, and from the command line with the same figures', async () => {
      const csv = await t.anonymous('GET', '/api/national/breakdown?by=status&format=csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-disposition']).toBe('attachment; filename="national-breakdown-by-status.csv"');
      const json = (await t.anonymous('GET', '/api/national/breakdown?by=status')).body;
      const rows = parse(csv.text);
      expect(rows[0]).toEqual(['status', 'total']);
      expect(rows.slice(1, -1)).toEqual(json.rows.map((r: any) => [r.labels[0], r.total]));
      expect(rows[rows.length - 1]).toEqual(['Total', json.grandTotal]);

      const viaCli = await runCli(['national-breakdown', '--by', 'status', '--format', 'json'], t.env);
      expect(viaCli.code).toBe(0);
      expect(JSON.parse(viaCli.out)).toEqual(json);
      const badCli = await runCli(['national-breakdown', '--by', 'project'], t.env);
      expect(badCli.code).toBe(2);
      expect(badCli.err).toContain('project');
    });
  });
});
