import { cpus } from 'node:os';
import { penceOf } from '../common/money';
import { BulkImportService } from '../deal-loading/bulk-import.service';
import { dealFingerprint } from '../deal-loading/fingerprint';
import { presentReconciliation } from '../reconciliation/reconciliation-present';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { deliveredDefinition } from '../outputs/delivered';
import {
  emptyDealTables,
  NationalMatrix,
  rawNationalBreakdown,
  rawReconciliation,
  rawReconciliationWithDelivered,
} from './baselines';
import {
  assertEqual,
  HttpMeasure,
  MEMORY_LIMIT_KB,
  measureHttp,
  measureNationalReturn,
  measureBreakdownHttp,
  NATIONAL_QUARTER,
} from './measures';
import { cliStartupSummary, measureCliStartup, type CliStartupSummary } from './cli-process';
import { openRawPostgresPool } from './raw-driver';
import { measureOverviewHttp } from './overview-http';
import { measureProgrammeReturn, programmeReturnRows } from './programme-return';
import { measureTaskListHttp } from './task-list-http';
import { measurePartnerImport } from './partner-import';
import { measureChangeApproval } from './change-approval';
import { rawImportDeals } from './raw-import';
import { BenchTarget, DEFAULT_PG_URL, openTarget } from './targets';
import { interleave } from './timing';

export interface BenchOptions {
  projects: number;
  scalingProjects: number;
  /** Sizes between scalingProjects and projects, for the growth fit (at least three sizes in all). */
  middleProjects?: number[];
  dbs: ('sqlite' | 'postgres')[];
  quick: boolean;
  leps: number;
  quarters: number;
  seed: number;
  pgUrl?: string;
  log?: (line: string) => void;
  onProgress?: (label: string) => (done: number, total: number) => void;
}

export interface BenchRow {
  db: string;
  projects: number;
  measure: string;
  /** app ÷ baseline time (or baseline ÷ app throughput for HTTP). */
  ratio: number | null;
  target: string;
  pass: boolean | null;
  appMs: number | null;
  baselineMs: number | null;
  /** The baseline computed exactly what the app computed (checked before timing). */
  equal: boolean | null;
  status: 'measured' | 'pending';
  /** Peak memory of the export-only child process (national return), MB. */
  maxRssMb?: number | null;
  note?: string;
}

export interface GrowthRow {
  db: string;
  measure: string;
  fromProjects: number;
  toProjects: number;
  /** Every size measured (projects) and the app's median time there. */
  sizes: number[];
  timesMs: number[];
  timeRatio: number;
  sizeRatio: number;
  /** Least-squares slope of log(time) on log(size) over every size: 1 is linear. */
  exponent: number;
  pass: boolean;
}

/** The growth limit: a little room above linear for noise, none for n log n at this range. */
export const GROWTH_LIMIT = 1.15;

/** Least-squares slope of log(y) on log(x). */
export function fitExponent(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export interface BenchReport {
  generatedAt: string;
  machine: { cpus: number; model: string; node: string; platform: string };
  options: Omit<BenchOptions, 'log' | 'onProgress' | 'pgUrl'>;
  datasets: {
    db: string;
    projects: number;
    programmes: number;
    allocations: number;
    rows: number;
    delivery: Record<string, number>;
    generateMs: number;
    sha256: string;
  }[];
  rows: BenchRow[];
  growth: GrowthRow[];
  /** `node -e 0`, `cli --help` and `cli reconcile` alternated in one run (also two of `rows`). */
  cliStartup?: CliStartupSummary;
  allWithinTarget: boolean;
}

/** The start-up summary as two table rows, each against `node -e 0` of the same run. */
function cliStartupRows(s: CliStartupSummary): BenchRow[] {
  const row = (k: 'help' | 'reconcile', measure: string, note: string): BenchRow => ({
    db: 'sqlite',
    projects: 0,
    measure,
    ratio: s.ratio[k],
    target: `≤ ${s.target[k]}× node -e 0`,
    pass: s.pass[k],
    appMs: s.medianMs[k],
    baselineMs: s.medianMs.node,
    equal: true,
    status: 'measured',
    note,
  });
  return [
    row('help', 'cli --help (real process)', 'no Nest loaded; alternating with node -e 0'),
    {
      ...row(
        'reconcile',
        'cli reconcile, 2014 deal (real process)',
        'a Nest context of configuration, database and reconciliation only; SQLite seeded by the CLI; alternating with node -e 0 and --help',
      ),
      maxRssMb: s.reconcilePeakMb,
    },
  ];
}

export { BaselineMismatchError } from './measures';

function matrixOf(b: Awaited<ReturnType<ReconciliationService['nationalBreakdown']>>['breakdown']): NationalMatrix {
  const cells = new Map<string, Map<string, number>>();
  for (const r of b.rows) {
    const m = new Map<string, number>();
    for (const [c, v] of Object.entries(r.cells)) if (v !== 0n) m.set(c, penceOf(v));
    cells.set(r.key.sourceKind!, m);
  }
  return { cells, grandTotal: penceOf(b.grandTotal) };
}

async function measureAt(
  t: BenchTarget,
  opts: BenchOptions,
  scale: number,
  full: boolean,
): Promise<{ rows: BenchRow[]; appMs: Record<string, number> }> {
  const rows: BenchRow[] = [];
  const appMs: Record<string, number> = {};
  // A few milliseconds each: many rounds, so one garbage collection or scheduler hiccup cannot move the median.
  const reps = opts.quick ? 3 : 101;
  const svc = t.app.get(ReconciliationService);
  const largest = [...t.dataset.plan.seeds].sort(
    (a, b) => b.projects.length - a.projects.length || a.programme.code.localeCompare(b.programme.code),
  )[0];
  const code = largest.programme.code;
  const row = (
    measure: string,
    target: string,
    limit: number,
    appT: number,
    baseT: number,
    note?: string,
  ): BenchRow => {
    const ratio = appT / baseT;
    // Targets apply at the main (national) scale; the smaller dataset is the growth reference, shown for transparency.
    return {
      db: t.kind,
      projects: scale,
      measure,
      ratio,
      target: full ? target : `${target} at ${opts.projects} (reference)`,
      pass: full ? ratio <= limit : null,
      appMs: appT,
      baselineMs: baseT,
      equal: true,
      status: 'measured',
      note,
    };
  };

  // Programme reconciliation: service vs hand-written SQL on the raw driver + the same pure engine.
  assertEqual('reconciliation', (await svc.reconciliation(code)).report, await rawReconciliation(t.raw, code));
  const [ra, rb] = await interleave(
    [
      { name: 'app', run: () => svc.reconciliation(code) },
      { name: 'raw', run: () => rawReconciliation(t.raw, code) },
    ],
    reps,
    2,
  );
  rows.push(
    row(
      'programme reconciliation',
      '≤ 1.5×',
      1.5,
      ra.medianMs,
      rb.medianMs,
      `${code}: ${largest.projects.length} projects, ${largest.allocations.length} allocations`,
    ),
  );
  appMs.reconciliation = ra.medianMs;

  // National breakdown, every programme by kind × year.
  assertEqual(
    'national breakdown',
    matrixOf((await svc.nationalBreakdown()).breakdown),
    await rawNationalBreakdown(t.raw),
  );
  const [na, nb] = await interleave(
    [
      { name: 'app', run: () => svc.nationalBreakdown() },
      { name: 'raw', run: () => rawNationalBreakdown(t.raw) },
    ],
    reps,
    2,
  );
  rows.push(
    row(
      'national breakdown (kind × year)',
      '≤ 1.5×',
      1.5,
      na.medianMs,
      nb.medianMs,
      `${t.dataset.plan.seeds.length} programmes`,
    ),
  );
  appMs.national = na.medianMs;

  // The national return: streamed export from the database vs exceljs writing the same cells from memory.
  const nr = await measureNationalReturn(t, opts.quick ? 2 : 5, full);
  const nrRatio = nr.app.medianMs / nr.baseline.medianMs;
  const rssOk = nr.maxRssKb === null ? null : nr.maxRssKb < MEMORY_LIMIT_KB;
  rows.push({
    ...row(
      'national quarterly return (xlsx)',
      '≤ 2× exceljs stream; peak RSS < 250 MB',
      2,
      nr.app.medianMs,
      nr.baseline.medianMs,
    ),
    pass: full ? nrRatio <= 2 && rssOk === true : null,
    maxRssMb: nr.maxRssKb === null ? null : nr.maxRssKb / 1024,
    note: `${NATIONAL_QUARTER}: ${nr.rows} rows (project × source), ${t.dataset.plan.seeds.length} programmes${nr.maxRssKb === null ? '' : `; the real CLI process (return national): peak ${(nr.maxRssKb / 1024).toFixed(0)} MB measured from outside (GNU time), ${(nr.childMs! / 1000).toFixed(1)} s with start-up`}`,
  });
  appMs.nationalReturn = nr.app.medianMs;

  // One programme’s return (the largest): real CLI processes against a raw statement into WorkbookWriter;
  // five alternated rounds (a whole process swings by a few hundred milliseconds on a shared machine).
  const pr = await measureProgrammeReturn(t, code, opts.quick ? 1 : 5);
  rows.push(...programmeReturnRows(pr, t.kind, scale, full));
  appMs.programmeReturn = pr.exportMs;

  {
    // Loopback HTTP (at every size, for growth; targets at the national size): the Fastify app vs bare node:http running the same queries, fixed request count and concurrency.
    await t.app.listen(0, '127.0.0.1');
    const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    // Fixed count, kept modest: at national scale an overview is ~150 ms of SQL, and each side runs twice.
    const load = { requests: opts.quick ? 40 : 400, concurrency: opts.quick ? 4 : 16 };
    const httpRow = (measure: string, m: Awaited<ReturnType<typeof measureHttp>>, note: string): BenchRow => ({
      db: t.kind,
      projects: scale,
      measure,
      ratio: m.appRps / m.bareRps,
      target: full ? '≥ 0.5× throughput' : '≥ 0.5× throughput (reference)',
      pass: full ? m.appRps / m.bareRps >= 0.5 : null,
      appMs: 1000 / m.appRps,
      baselineMs: 1000 / m.bareRps,
      equal: true,
      status: 'measured',
      note: `${note}; ${m.requests} requests, concurrency ${m.concurrency}: app ${m.appRps.toFixed(0)}/s, bare node:http ${m.bareRps.toFixed(0)}/s`,
    });
    // Programme breakdown: time per request, app ÷ a bare server doing one raw aggregate.
    const bd = await measureBreakdownHttp(t, base, code, load);
    const bdRatio = bd.bareRps / bd.appRps;
    rows.push({
      ...httpRow('programme breakdown over HTTP', bd, `${code} by=sourceKind,year`),
      ratio: bdRatio,
      target: full ? '≤ 1.5× (time per request)' : '≤ 1.5× (reference)',
      pass: full ? bdRatio <= 1.5 : null,
      note: `${code} by=sourceKind,year; ${bd.requests} requests, concurrency ${bd.concurrency}: app ${bd.appRps.toFixed(0)}/s, bare node:http ${bd.bareRps.toFixed(0)}/s; baseline parts (sequential medians): raw aggregate ${bd.rawQueryMs.toFixed(2)} ms, shared pure engine + presenter + JSON ${bd.pureMs.toFixed(2)} ms`,
    });
    appMs.breakdownHttp = 1000 / bd.appRps;
    // Fewer requests: at national size one overview is tens of milliseconds of SQL and shaping.
    const ov = await measureOverviewHttp(t, base, code, {
      requests: opts.quick ? 40 : 100,
      concurrency: opts.quick ? 4 : 8,
    });
    const ovRatio = ov.appRps / ov.bareRps;
    rows.push({
      ...httpRow('dashboard overview over HTTP', ov, `${code}, public route (no token)`),
      target: full ? '≥ 0.8× throughput' : '≥ 0.8× throughput (reference)',
      pass: full ? ovRatio >= 0.8 : null,
      note: `${code}, public route (no token); ${ov.requests} requests, concurrency ${ov.concurrency}: app ${ov.appRps.toFixed(0)}/s, bare node:http ${ov.bareRps.toFixed(0)}/s on its own SQL (raw driver), JSON equal byte for byte; baseline parts (sequential medians): its reads ${ov.readMs.toFixed(1)} ms, the shared pure shaping (reconciliation engine, RAG rules, section and model builders, presenter) + JSON ${ov.pureMs.toFixed(1)} ms`,
    });
    appMs.overviewHttp = 1000 / ov.appRps;
    // Concurrent requests: on PostgreSQL the bare server gets a pool as large as the app's.
    const httpRaw = t.kind === 'postgres' ? openRawPostgresPool(t.env.DATABASE_URL, t.env.DATABASE_SCHEMA) : t.raw;
    let rec: HttpMeasure;
    try {
      rec = await measureHttp(
        `${base}/api/programmes/${code}/reconciliation`,
        async () => {
          const [p] = await httpRaw.all<{ code: string; name: string }>(
            httpRaw.kind === 'postgres'
              ? 'SELECT code, name FROM programme WHERE code = $1'
              : 'SELECT code, name FROM programme WHERE code = ?',
            [code],
          );
          const { report, through } = await rawReconciliationWithDelivered(httpRaw, code);
          return presentReconciliation({
            programme: { code: p.code, name: p.name },
            report,
            delivered: { through, definition: deliveredDefinition(through) },
          });
        },
        load,
      );
    } finally {
      if (httpRaw !== t.raw) await httpRaw.close();
    }
    rows.push(httpRow('reconciliation over HTTP', rec, `${code}, bare server on the raw driver`));
    appMs.reconciliationHttp = 1000 / rec.appRps;
    // The staff task list (issue 18), signed in: fewer requests a run, each page lists every
    // project; five alternated runs a side, medians (two runs, best of each, swung by 0.5-0.8x).
    const tl = await measureTaskListHttp(t, base, code, {
      requests: opts.quick ? 20 : 160,
      concurrency: opts.quick ? 4 : 8,
      rounds: opts.quick ? 2 : 5,
    });
    rows.push(
      httpRow(
        'staff task list over HTTP (signed in)',
        tl,
        `${code}: ${tl.rows} projects, a programme manager of all of them (${tl.notices} notices); bare node:http on the raw driver, pages equal but for whitespace and the CSRF token; medians of ${tl.rounds} alternated runs a side`,
      ),
    );
    appMs.taskListHttp = 1000 / tl.appRps;
    if (full) {
      // Change-request approval (issue 17): one virement over the API vs one raw SQL transaction of the same writes.
      const ca = await measureChangeApproval(t, base, code, opts.quick ? 3 : 21);
      rows.push({
        ...row(
          'change-request approval (API, one virement)',
          'reference (no target set)',
          Infinity,
          ca.app.medianMs,
          ca.baseline.medianMs,
          `${code}: ${ca.pounds} moved between two projects' allocations of one source kind; the raw transaction undoes the app's approval exactly (allocations and every baseline quarter), same envelopes, decision quarter and audit entries (${ca.audit.join(', ')})`,
        ),
        pass: null,
      });
    }
  }

  if (full) {
    // Partner import of an unchanged template (issue 17): the real CLI process vs a raw read of the workbook.
    const pi = await measurePartnerImport(t, code, opts.quick ? 1 : 5);
    rows.push({
      ...row(
        'partner import of an unchanged template (real CLI process)',
        'reference (no target set)',
        Infinity,
        pi.app.medianMs,
        pi.baseline.medianMs,
        `${pi.project} ${pi.quarter}: a template just downloaded, imported by the CLI's \`import\`: 0 changes, ${pi.unchanged} rows unchanged, the project's figures byte for byte as before (one audit entry of the import); baseline: a node process reading the workbook with exceljs (${pi.cells} cells)${pi.peakKb === null ? '' : `; CLI peak ${(pi.peakKb / 1024).toFixed(0)} MB`}`,
      ),
      pass: null,
      maxRssMb: pi.peakKb === null ? null : pi.peakKb / 1024,
    });
  }

  // Bulk import: the app's path vs raw prepared inserts, same rows, one transaction each, into empty tables.
  const seeds = t.dataset.plan.seeds;
  const bulk = t.app.get(BulkImportService);
  let n = 0;
  const appImport = () => bulk.importDeals(seeds, { name: `bench-import-${n++}` });
  const fp = () => dealFingerprint((sql) => t.raw.all(sql));
  await emptyDealTables(t.raw);
  await appImport();
  const viaApp = await fp();
  await emptyDealTables(t.raw);
  await rawImportDeals(t.raw, seeds);
  assertEqual('bulk import', await fp(), viaApp);
  const clear = () => emptyDealTables(t.raw);
  const [ia, ib] = await interleave(
    [
      { name: 'app', before: clear, run: appImport },
      { name: 'raw', before: clear, run: () => rawImportDeals(t.raw, seeds) },
    ],
    opts.quick ? 1 : 5,
    opts.quick ? 0 : 1,
  );
  rows.push(
    row(
      'bulk import',
      '≤ 2×',
      2,
      ia.medianMs,
      ib.medianMs,
      `${viaApp.counts.project} projects, ${viaApp.counts.allocation} allocations, ${Object.values(viaApp.counts).reduce((a, b) => a + b, 0)} rows`,
    ),
  );
  appMs.import = ia.medianMs;
  return { rows, appMs };
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const log = opts.log ?? (() => undefined);
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    options: {
      projects: opts.projects,
      scalingProjects: opts.scalingProjects,
      dbs: opts.dbs,
      quick: opts.quick,
      leps: opts.leps,
      quarters: opts.quarters,
      seed: opts.seed,
    },
    datasets: [],
    rows: [],
    growth: [],
    allWithinTarget: false,
  };
  const sizes = [...new Set([opts.scalingProjects, ...(opts.middleProjects ?? []), opts.projects])].sort(
    (a, b) => a - b,
  );
  for (const kind of opts.dbs) {
    const timesBy: Record<number, Record<string, number>> = {};
    const largestBy: Record<number, number> = {};
    for (const scale of sizes) {
      const params = { leps: opts.leps, projects: scale, quarters: opts.quarters, seed: opts.seed };
      log(`${kind}: generating ${scale} projects`);
      const t = await openTarget(kind, params, opts.pgUrl ?? DEFAULT_PG_URL, opts.onProgress?.(`${kind} ${scale}`));
      try {
        report.datasets.push({
          db: kind,
          projects: scale,
          programmes: t.dataset.programmes.length,
          allocations: t.dataset.allocations,
          rows: t.dataset.rows,
          delivery: t.dataset.delivery,
          generateMs: t.generateMs,
          sha256: t.dataset.sha256,
        });
        log(`${kind}: measuring at ${scale} projects`);
        const m = await measureAt(t, opts, scale, scale === opts.projects);
        report.rows.push(...m.rows);
        timesBy[scale] = m.appMs;
        largestBy[scale] = Math.max(...t.dataset.plan.seeds.map((s) => s.projects.length));
      } finally {
        await t.close();
      }
    }
    for (const [measure, label, size] of [
      ['reconciliation', 'programme reconciliation (largest programme)', (s: number) => largestBy[s]],
      ['national', 'national breakdown', (s: number) => s],
      ['import', 'bulk import', (s: number) => s],
      ['nationalReturn', 'national quarterly return', (s: number) => s],
      ['breakdownHttp', 'programme breakdown over HTTP (largest programme)', (s: number) => largestBy[s]],
      ['reconciliationHttp', 'reconciliation over HTTP (largest programme)', (s: number) => largestBy[s]],
      ['overviewHttp', 'dashboard overview over HTTP (largest programme)', (s: number) => largestBy[s]],
      ['taskListHttp', 'staff task list over HTTP (largest programme)', (s: number) => largestBy[s]],
    ] as const) {
      const xs = sizes.map(size);
      const ys = sizes.map((s) => timesBy[s][measure]);
      const a = ys[0];
      const b = ys[ys.length - 1];
      const sizeRatio = xs[xs.length - 1] / xs[0];
      const exponent = sizeRatio > 1 ? fitExponent(xs, ys) : 0;
      report.growth.push({
        db: kind,
        measure: label,
        fromProjects: sizes[0],
        toProjects: sizes[sizes.length - 1],
        sizes: xs,
        timesMs: ys,
        timeRatio: b / a,
        sizeRatio,
        exponent,
        pass: exponent <= GROWTH_LIMIT,
      });
    }
  }
  // Asked for, not yet measured: listed so the report cannot read as complete.
  for (const kind of opts.dbs)
    for (const [measure, target] of [] as [string, string][])
      report.rows.push({
        db: kind,
        projects: opts.projects,
        measure,
        ratio: null,
        target,
        pass: null,
        appMs: null,
        baselineMs: null,
        equal: null,
        status: 'pending',
        note: 'not measured yet: no baseline written in this session',
      });
  // Start-up of the real CLI (SQLite, the 2014 deal): independent of the generated datasets.
  log('cli: start-up');
  report.cliStartup = cliStartupSummary(await measureCliStartup(opts.quick ? 3 : 15));
  report.rows.push(...cliStartupRows(report.cliStartup));
  report.allWithinTarget =
    report.rows.every((r) => r.status === 'measured' && r.pass !== false) && report.growth.every((g) => g.pass);
  return report;
}
