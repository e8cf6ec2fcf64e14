import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { dealFingerprint } from '../src/bulk-import/fingerprint';
import { BulkImportService } from '../src/bulk-import/bulk-import.service';
import { emptyDealTables, rawNationalBreakdown, rawReconciliation } from '../src/bench/baselines';
import { EXCELJS_STREAM_BASELINE, measureChild } from '../src/bench/child-rss';
import { bareJsonServer, loadTest } from '../src/bench/http-load';
import { rawImportDeals } from '../src/bench/raw-import';
import { openTarget, BenchTarget } from '../src/bench/targets';
import { ReconciliationService } from '../src/reconciliation/reconciliation.service';
import { cli } from './support/cli';
import { databaseKinds } from './support/databases';

describe.each(databaseKinds())('benchmark baselines compute what the app computes on %s (20 projects)', (kind) => {
  let t: BenchTarget;
  beforeAll(async () => {
    t = await openTarget(kind, { leps: 3, projects: 20, quarters: 8, seed: 5 });
  });
  afterAll(async () => t?.close());

  it('programme reconciliation: raw SQL + engine equals the service for every programme', async () => {
    const svc = t.app.get(ReconciliationService);
    for (const s of t.dataset.plan.seeds) {
      const app = (await svc.reconciliation(s.programme.code)).report;
      const raw = await rawReconciliation(t.raw, s.programme.code);
      expect(raw.lines.length).toBe(s.headlines.length);
      expect(isDeepStrictEqual(raw, app)).toBe(true);
    }
  });

  it('national breakdown: the raw kind × year matrix equals the service, cell by cell', async () => {
    const app = (await t.app.get(ReconciliationService).nationalBreakdown()).breakdown;
    const raw = await rawNationalBreakdown(t.raw);
    expect(raw.grandTotal).toBe(app.grandTotal);
    let cells = 0;
    for (const r of app.rows) {
      for (const [col, v] of Object.entries(r.cells)) {
        expect(raw.cells.get(r.key.sourceKind!)?.get(col) ?? 0).toBe(v);
        if (v !== 0) cells++;
      }
    }
    expect([...raw.cells.values()].reduce((n, m) => n + m.size, 0)).toBe(cells);
    // Independent check of the grand total against the plan itself (non-withdrawn allocations).
    const { parsePounds } = await import('../src/common/money');
    const planned = t.dataset.plan.seeds.flatMap((s) => s.allocations).filter((a) => a.commitmentStatus !== 'withdrawn').reduce((sum, a) => sum + parsePounds(a.amount), 0);
    expect(app.grandTotal).toBe(planned);
  });

  it('bulk import: the raw prepared-statement import writes the same rows as the app', async () => {
    const fp = () => dealFingerprint((sql) => t.raw.all(sql));
    const before = await fp();
    await emptyDealTables(t.raw);
    expect((await fp()).counts.allocation).toBe(0);
    await rawImportDeals(t.raw, t.dataset.plan.seeds);
    const raw = await fp();
    expect(raw.counts).toEqual(before.counts);
    expect(raw.sha256).toBe(before.sha256);
    await emptyDealTables(t.raw);
    const res = await t.app.get(BulkImportService).importDeals(t.dataset.plan.seeds, { name: 'again' });
    expect(res.loaded).toBe(true);
    expect((await fp()).sha256).toBe(before.sha256);
  });
});

describe('bench harness', () => {
  it('the HTTP load driver sends exactly the fixed request count to a bare node:http JSON server', async () => {
    let served = 0;
    const s = await bareJsonServer(async (u) => ({ n: ++served, path: u.pathname }));
    try {
      const r = await loadTest(`${s.url}/x`, { requests: 30, concurrency: 4 });
      expect(r.statuses).toEqual({ '200': 30 });
      expect(served).toBe(30);
      expect(JSON.parse(r.firstBody).path).toBe('/x');
    } finally {
      await s.close();
    }
  });

  it('child maxRSS sees the memory a child allocates, and the exceljs streaming baseline writes every row', async () => {
    const big = await measureChild('const b = Buffer.alloc(args.mb * 1024 * 1024, 1); return b.length;', { mb: 120 });
    expect(big.result).toBe(120 * 1024 * 1024);
    expect(big.maxRssKb).toBeGreaterThan(120 * 1024);
    const dir = mkdtempSync(join(tmpdir(), 'gdt-xlsx-'));
    try {
      const rows = Array.from({ length: 500 }, (_, i) => [`P${i}`, 'LGF', i * 100.5]);
      writeFileSync(join(dir, 'rows.json'), JSON.stringify(rows));
      const x = await measureChild(EXCELJS_STREAM_BASELINE, { rowsFile: join(dir, 'rows.json'), out: join(dir, 'out.xlsx'), header: ['project', 'source', 'spend'], moneyColumns: [2] });
      expect(x.result).toEqual({ rows: 500 });
      expect(readFileSync(join(dir, 'out.xlsx')).subarray(0, 2).toString()).toBe('PK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run bench --quick end to end', () => {
  it('runs on a tiny dataset, asserts equality before timing, prints the table and writes the JSON report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdt-bench-'));
    try {
      const out = join(dir, 'latest.json');
      const db = databaseKinds().length === 2 ? 'both' : 'sqlite';
      const r = await cli(['bench', '--quick', '--projects', '20', '--scaling-projects', '6', '--leps', '3', '--quarters', '4', '--db', db, '--out', out], {});
      expect([0, 3]).toContain(r.code); // tiny data: ratios are noise, so a miss is exit 3, never a crash
      expect(r.err).toBe('');
      expect(r.out).toContain('| programme reconciliation');
      const report = JSON.parse(readFileSync(out, 'utf8'));
      const kinds = db === 'both' ? ['sqlite', 'postgres'] : ['sqlite'];
      for (const k of kinds) {
        const measured = report.rows.filter((x: { db: string; status: string }) => x.db === k && x.status === 'measured').map((x: { measure: string; projects: number }) => `${x.projects} ${x.measure}`);
        expect(measured).toEqual([
          '6 programme reconciliation', '6 national breakdown (kind × year)', '6 bulk import',
          '20 programme reconciliation', '20 national breakdown (kind × year)', '20 reconciliation over HTTP (harness check)', '20 bulk import',
        ]);
        expect(report.rows.filter((x: { db: string; status: string }) => x.db === k && x.status === 'pending')).toHaveLength(2);
        expect(report.growth.filter((g: { db: string }) => g.db === k)).toHaveLength(3);
      }
      for (const x of report.rows.filter((x: { status: string }) => x.status === 'measured')) {
        expect(x.equal).toBe(true);
        expect(x.ratio).toBeGreaterThan(0);
      }
      expect(report.datasets.map((d: { projects: number }) => d.projects)).toEqual(kinds.flatMap(() => [6, 20]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
