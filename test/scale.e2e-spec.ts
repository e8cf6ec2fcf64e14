import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { AuditService } from '../src/audit/audit.service';
import { dealFingerprint } from '../src/deal-loading/fingerprint';
import { openDataSource, runMigrations } from '../src/database/connect';
import { Db } from '../src/database/db.service';
import { GeneratorService } from '../src/generator/generator.service';
import { planNational } from '../src/generator/plan';
import { ReconciliationService } from '../src/reconciliation/reconciliation.service';
import { SeedService } from '../src/deal-loading/seed.service';
import { seedsDir } from '../src/common/paths';
import { ENTITIES } from '../src/entities';
import { databaseKinds } from './support/databases';
import { freshDatabaseEnv, startTestApp, TestApp } from './support/test-app';

const PARAMS = { leps: 3, projects: 24, quarters: 8, seed: 7 };

/** A second, empty database of the same kind, with the schema but no app. */
async function emptyDatabase(kind: 'sqlite' | 'postgres') {
  // Commits on disk as in production: the vacuum checks need pages VACUUM can mark all-visible.
  const { env, cleanup } = await freshDatabaseEnv(kind, true);
  const ds = await openDataSource(
    {
      DATABASE_PATH: env.DATABASE_PATH ?? '',
      DATABASE_URL: env.DATABASE_URL,
      DATABASE_SCHEMA: env.DATABASE_SCHEMA,
    },
    ENTITIES,
  );
  await runMigrations(ds);
  const db = new Db(ds);
  return {
    ds,
    db,
    seeds: new SeedService(db, new AuditService(db)),
    close: async () => (await ds.destroy(), await cleanup()),
  };
}

const fingerprint = (ds: DataSource) => dealFingerprint((sql) => ds.query(sql));

/** Counts statements the app sends while fn runs (TypeORM logs every query through its logger). */
async function countQueries<T>(
  ds: DataSource,
  fn: () => Promise<T>,
): Promise<{ n: number; sql: { q: string; p: unknown[] | undefined }[]; result: T }> {
  const sql: { q: string; p: unknown[] | undefined }[] = [];
  const spy = jest.spyOn(ds.logger, 'logQuery').mockImplementation((q, p) => void sql.push({ q, p }));
  try {
    const result = await fn();
    return { n: sql.length, sql, result };
  } finally {
    spy.mockRestore();
  }
}

describe.each(databaseKinds())('national scale on %s', (kind) => {
  let t: TestApp;
  let tmp: string;
  beforeAll(async () => {
    t = await startTestApp(kind, {}, { synchronousCommit: true });
    tmp = mkdtempSync(join(tmpdir(), 'gdt-scale-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('generates the dataset through the bulk path: one audit entry with row count and content hash; a second run loads nothing', async () => {
    const gen = t.app.get(GeneratorService);
    const before = await t.ds.getRepository(AuditEntry).count();
    const res = await gen.generate(PARAMS);
    expect(res.loaded).toBe(true);
    expect(res.projects).toBe(24);
    const entries = await t.ds.getRepository(AuditEntry).find({ where: { action: 'bulk_import' } });
    expect(await t.ds.getRepository(AuditEntry).count()).toBe(before + 1);
    expect(entries).toHaveLength(1);
    expect(entries[0].meta).toMatchObject({
      rows: res.rows,
      sha256: res.sha256,
      name: 'synthetic-l3-p24-q8-s7',
      synthetic: true,
      approvedBaseline: true,
    });
    const counts: { n: number | string }[] = await t.ds.query(
      `SELECT COUNT(*) AS n FROM project p JOIN programme g ON g.id = p.programme_id WHERE g.synthetic = ${kind === 'postgres' ? 'true' : '1'}`,
    );
    expect(Number(counts[0].n)).toBe(24);
    expect((await gen.generate(PARAMS)).loaded).toBe(false);
  });

  (kind === 'postgres' ? it : it.skip)(
    'PostgreSQL: the generator leaves what it loaded vacuumed and analysed, so index-only scans apply at once',
    async () => {
      const rows: { relallvisible: number; reltuples: number; n: string }[] = await t.ds.query(
        `SELECT c.relallvisible, c.reltuples, (SELECT COUNT(*) FROM spend_profile) AS n
         FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
        WHERE s.nspname = current_schema() AND c.relname = 'spend_profile'`,
      );
      expect(rows).toHaveLength(1);
      expect(Number(rows[0].n)).toBeGreaterThan(0);
      // Statistics count every generated spend line; the visibility map covers the table's pages.
      expect(Number(rows[0].reltuples)).toBe(Number(rows[0].n));
      expect(Number(rows[0].relallvisible)).toBeGreaterThan(0);
    },
  );

  it('generated headlines reconcile as planned: agreeing ones agree, deliberate discrepancies are unreconciled', async () => {
    const plan = planNational(PARAMS);
    const svc = t.app.get(ReconciliationService);
    let checked = 0;
    for (const s of plan.seeds) {
      const r = await svc.reconciliation(s.programme.code);
      for (const e of plan.expectations.filter((x) => x.programme === s.programme.code)) {
        const lines = r.report.lines.filter((l) => l.headlineCode === e.headline);
        expect(lines.length).toBeGreaterThan(0);
        for (const l of lines) {
          const want =
            e.expect === 'agrees'
              ? ['reconciled', 'within_rounding']
              : e.expect === 'measured'
                ? ['met', 'not_met']
                : [e.expect];
          expect({ headline: `${s.programme.code}/${e.headline}`, status: l.status }).toEqual({
            headline: `${s.programme.code}/${e.headline}`,
            status: expect.stringMatching(new RegExp(`^(${want.join('|')})$`)),
          });
          checked++;
        }
      }
    }
    expect(checked).toBe(plan.expectations.length);
    expect(plan.expectations.filter((e) => e.expect === 'unreconciled').length).toBeGreaterThanOrEqual(1);
  });

  it('bulk import writes exactly what the row-by-row seed path writes (generated deals and the 2014 deal)', async () => {
    const plan = planNational(PARAMS);
    const other = await emptyDatabase(kind);
    try {
      for (const s of plan.seeds) {
        const file = join(tmp, `${s.name}.json`);
        writeFileSync(file, JSON.stringify(s));
        await other.seeds.loadDeal(file, undefined, { bulk: false });
      }
      await other.seeds.loadDeal(join(seedsDir(), 'growth-deal-2014.json'), undefined, { bulk: false });
      const a = await fingerprint(t.ds);
      const b = await fingerprint(other.ds);
      expect(b.counts).toEqual(a.counts);
      expect(b.counts.project).toBe(24 + 8);
      expect(b.sha256).toBe(a.sha256);
    } finally {
      await other.close();
    }
    // And the 2014 seed forced through the bulk path equals the row-by-row load the app did at start.
    const bulk = await emptyDatabase(kind);
    try {
      const r = await bulk.seeds.loadDeal(join(seedsDir(), 'growth-deal-2014.json'), undefined, { bulk: true });
      // The deal's own rows are 26 organisations + 1 programme + 3 themes + 8 projects + 2 pools
      // + 19 allocations + 39 headlines = 98; the loader then calls the features' load functions
      // (the same as in the app): 10 commitments + 2 output targets + 6 envelope lines + the
      // 30 default open-data assumptions (the accountable body joined them with 360Giving's
      // rules) = 48 more.
      expect(r.rows).toBe(146);
      const only2014 = async (ds: DataSource) =>
        dealFingerprint(async (sql) =>
          (await ds.query(sql)).filter(
            (x: Record<string, unknown>) => !String(x.programme ?? x.code ?? '').startsWith('SYN'),
          ),
        );
      const mine = await only2014(bulk.ds);
      const theirs = await only2014(t.ds);
      expect(mine.counts.allocation).toBe(19);
      expect(mine.counts.project).toBe(8);
      expect(mine.counts).toEqual(theirs.counts);
      expect(mine.sha256).toBe(theirs.sha256);
    } finally {
      await bulk.close();
    }
  });

  it('a programme reconciliation and the national breakdown issue a fixed number of queries whatever the project count', async () => {
    const plan = planNational(PARAMS);
    const bySize = [...plan.seeds].sort((a, b) => a.projects.length - b.projects.length);
    const small = bySize[0];
    const large = bySize[bySize.length - 1];
    expect(large.projects.length).toBeGreaterThan(small.projects.length);
    const svc = t.app.get(ReconciliationService);
    const qs = await countQueries(t.ds, () => svc.reconciliation(small.programme.code));
    const ql = await countQueries(t.ds, () => svc.reconciliation(large.programme.code));
    // programme, allocation groups, headlines, projects, delivered output totals, the approved
    // change requests that can explain a variance, and the deal as agreed beside now (current
    // money by line, the approvals' allocation writes, the approved requests, the codes).
    expect(qs.n).toBe(10);
    expect(ql.n).toBe(10);
    const nb = await countQueries(t.ds, () => svc.nationalBreakdown());
    expect(nb.n).toBe(1);
    const gen = t.app.get(GeneratorService);
    await gen.generate({ ...PARAMS, projects: 60, seed: 8 });
    expect((await countQueries(t.ds, () => svc.nationalBreakdown())).n).toBe(1);
  });

  (kind === 'postgres' ? it : it.skip)(
    'PostgreSQL plans the programme aggregate with an index on allocation (enable_seqscan = off)',
    async () => {
      const svc = t.app.get(ReconciliationService);
      const code = planNational(PARAMS).seeds[0].programme.code;
      const { sql } = await countQueries(t.ds, () => svc.reconciliation(code));
      const agg = sql.find((s) => /FROM allocation a/.test(s.q))!;
      expect(agg).toBeDefined();
      const qr = t.ds.createQueryRunner();
      try {
        await qr.query('ANALYZE allocation');
        await qr.query('SET enable_seqscan = off');
        const plan: { 'QUERY PLAN': string }[] = await qr.query(`EXPLAIN ${agg.q}`, agg.p);
        const text = plan.map((r) => r['QUERY PLAN']).join('\n');
        // Whichever allocation index the planner prefers, the programme filter is an index condition.
        expect(text).not.toMatch(/Seq Scan on allocation/);
        expect(text).toMatch(/(Index Scan|Index Only Scan|Bitmap Heap Scan)( using \S+)? on allocation a/);
        expect(text).toMatch(/Index Cond: \([^\n]*programme_id = /);
        const nat = await countQueries(t.ds, () => svc.nationalBreakdown());
        const plan2: { 'QUERY PLAN': string }[] = await qr.query(`EXPLAIN ${nat.sql[0].q}`, nat.sql[0].p);
        expect(plan2.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
          /(Index Only Scan|Index Scan|Bitmap Heap Scan)( using \S+)? on allocation\b/,
        );
      } finally {
        await qr.query('RESET enable_seqscan');
        await qr.release();
      }
    },
  );
});
